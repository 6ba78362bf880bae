package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.machine.Hardware;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/**
 * The x86 TLB shootdown (arch/x86/mm/tlb.c) as steps of the calling thread t on its CPU t, in
 * two procedures:
 * <ul>
 *   <li>{@code flush_tlb_mm_range(mm, start, end, stride, freed_tables)}: the range is the
 *       caller's {@link ThreadLocals#flushStart}/{@link ThreadLocals#flushEnd} (pages; the whole
 *       mm, TLB_FLUSH_ALL, is [0, pages)), the stride {@link ThreadLocals#flushByTable} (v4.20+,
 *       a31acd3ee8f7) and freed_tables the caller's gather flag
 *       ({@link ThreadLocals#gatherFreedTables}; never set before v4.20). The targets are the
 *       other CPUs of mm_cpumask.</li>
 *   <li>{@code arch_tlbbatch_flush} (try_to_unmap_flush before v4.13): reclaim's deferred flush
 *       of everything (TLB_FLUSH_ALL, no mm) on the CPUs it recorded in
 *       {@link ThreadLocals#ubcCpumask} when it cleared the PTEs.</li>
 * </ul>
 * Steps, statement by statement as in the source of each version:
 * <ol>
 *   <li><b>{@value #LOCAL}</b>: (v4.14+, with context switches) inc_mm_tlb_gen; the local flush
 *       (flush_tlb_func_local: INVLPG per page of the range, which also drops the CPU's
 *       paging-structure caches, or a full flush); cpumask_any_but: no other CPU, no IPI. Before
 *       v4.20, and from v4.20 when page tables were freed, smp_call_function_many takes the
 *       whole cpumask in one word read, so this step also queues the IPIs.</li>
 *   <li>from v4.20 for leaf-only flushes ({@link Feature#FREED_TABLES_LAZY_SKIP}):
 *       on_each_cpu_cond_mask evaluates <b>tlb_is_not_lazy</b> (v6.14: should_flush_tlb) on each
 *       CPU of the mask in turn, one step per CPU, since each reads that CPU's state separately;
 *       then <b>{@value #SEND}</b> queues the IPIs on the chosen CPUs;</li>
 *   <li><b>{@value #WAIT}</b>: wait=1, the initiator spins with IRQs enabled until every target
 *       has run flush_tlb_func ({@link Hardware}'s IPI handler).</li>
 * </ol>
 * Merged accesses, each invisible (docs/model.md, "Step granularity"): inc_mm_tlb_gen, the local
 * flush and the cpumask reads touch, besides this CPU's own TLB, one shared word each, and a
 * concurrent switch_mm orders its cpumask write before its tlb_gen read, so every outcome of the
 * split order is an outcome of the merged one or flushes more.
 */
public final class TlbFlush {
    public static final String LOCAL = "flush_tlb_func_local";
    public static final String SEND = "smp_call_function_many";
    public static final String WAIT = "csd_lock_wait";
    /** flush_tlb_mm_range: the local flush and the choice of CPUs to send the IPI to. */
    public static final StepRef FLUSH_LOCAL = StepRef.in("flush_tlb_mm_range", LOCAL);
    /** flush_tlb_mm_range: the IPIs are sent (smp_call_function_many). */
    public static final StepRef FLUSH_SEND = StepRef.in("flush_tlb_mm_range", SEND);
    /** flush_tlb_mm_range: waits for every target's acknowledgement (csd_lock_wait). */
    public static final StepRef FLUSH_WAIT = StepRef.in("flush_tlb_mm_range", WAIT);
    /** arch_tlbbatch_flush (try_to_unmap_flush before v4.13): the local flush and the choice of CPUs. */
    public static final StepRef BATCH_FLUSH_LOCAL = StepRef.in("arch_tlbbatch_flush", LOCAL);
    /** arch_tlbbatch_flush: the IPIs are sent (smp_call_function_many, after the per-CPU tests). */
    public static final StepRef BATCH_FLUSH_SEND = StepRef.in("arch_tlbbatch_flush", SEND);
    /** arch_tlbbatch_flush: waits for every target's acknowledgement (csd_lock_wait). */
    public static final StepRef BATCH_FLUSH_WAIT = StepRef.in("arch_tlbbatch_flush", WAIT);

    /** flush_tlb_mm_range; see the class comment for its arguments. */
    public final Procedure flushTlbMmRange;
    /** arch_tlbbatch_flush / try_to_unmap_flush: reclaim's deferred flush. */
    public final Procedure archTlbbatchFlush;

    private final Kernel k;

    private TlbFlush(Kernel k) {
        this.k = k;
        flushTlbMmRange = k.program.procedure("flush_tlb_mm_range", c -> body(c, false));
        archTlbbatchFlush = k.program.procedure("arch_tlbbatch_flush", c -> body(c, true));
    }

    /** The flush procedures of {@code k}'s model (declared on first use). */
    public static TlbFlush of(Kernel k) {
        return k.shared(TlbFlush.class, TlbFlush::new);
    }

    /** flush_tlb_mm_range, on_each_cpu_cond_mask: tlb_is_not_lazy(cpu) (v4.20 to v6.13). */
    public static StepRef isNotLazy(int cpu) {
        return StepRef.in("flush_tlb_mm_range", conditionLabel(false, cpu));
    }

    /** flush_tlb_mm_range, native_flush_tlb_multi: should_flush_tlb(cpu) (v6.14). */
    public static StepRef shouldFlushTlb(int cpu) {
        return StepRef.in("flush_tlb_mm_range", conditionLabel(true, cpu));
    }

    /**
     * flush_tlb_mm_range, should_flush_tlb of the first CPU tested (v6.14): should_trim_cpumask(mm)
     * said no, the cpumask was trimmed less than a second ago.
     */
    public static StepRef trimNotDue(int cpu) {
        return shouldFlushTlb(cpu).choice("cpumask trimmed within the last second");
    }

    /**
     * flush_tlb_mm_range, should_flush_tlb of the first CPU tested (v6.14): should_trim_cpumask(mm)
     * said yes, so every CPU of the mask that is not lazy is a target.
     */
    public static StepRef trimDue(int cpu) {
        return shouldFlushTlb(cpu).choice("trim the cpumask");
    }

    /** arch_tlbbatch_flush, on_each_cpu_cond_mask: tlb_is_not_lazy(cpu) (v4.20 to v6.13). */
    public static StepRef batchIsNotLazy(int cpu) {
        return StepRef.in("arch_tlbbatch_flush", conditionLabel(false, cpu));
    }

    /** arch_tlbbatch_flush, native_flush_tlb_multi: should_flush_tlb(cpu) (v6.14). */
    public static StepRef batchShouldFlushTlb(int cpu) {
        return StepRef.in("arch_tlbbatch_flush", conditionLabel(true, cpu));
    }

    /**
     * The per-CPU condition step for {@code cpu} in the flush of {@code k}'s variant
     * ({@code batch}: arch_tlbbatch_flush): tlb_is_not_lazy (v4.20 to v6.13), should_flush_tlb
     * (v6.14, {@link Feature#SHOULD_FLUSH_TLB}).
     */
    public static StepRef condition(Kernel k, boolean batch, int cpu) {
        boolean should = k.has(Feature.SHOULD_FLUSH_TLB);
        if (batch) {
            return should ? batchShouldFlushTlb(cpu) : batchIsNotLazy(cpu);
        }
        return should ? shouldFlushTlb(cpu) : isNotLazy(cpu);
    }

    private static String conditionLabel(boolean shouldFlushTlb, int cpu) {
        return (shouldFlushTlb ? "should_flush_tlb(CPU" : "tlb_is_not_lazy(CPU") + cpu + ")";
    }

    private void body(Code c, boolean batch) {
        Machine m = k.machine;
        int self = k.threadOf(c.process());
        int cpus = k.config.cpus();
        ThreadLocals l = ThreadLocals.of(c, k);
        CpuContexts ctx = k.contexts;
        boolean perCpuCondition = k.has(Feature.FREED_TABLES_LAZY_SKIP);
        String file = "arch/x86/mm/tlb.c:";
        String src = batch
                ? k.src(k.has(Feature.FLUSH_TLB_BATCHED_PENDING) ? file + "arch_tlbbatch_flush" : "mm/rmap.c:try_to_unmap_flush")
                : k.src(file + "flush_tlb_mm_range, flush_tlb_func_local");
        // The CPUs a flush may target: mm_cpumask, or the batch's recorded cpumask.
        Field mask = batch ? l.ubcCpumask : null;
        // flush_tlb_info.new_tlb_gen, kept from inc_mm_tlb_gen to the send (v4.14+, with context switches).
        Field newTlbGen = ctx.present() && !batch ? c.local("flush_new_tlb_gen", 0, CpuContexts.MAX_GEN) : null;
        // The same steps in either procedure, each named by that procedure's constant.
        String local = (batch ? BATCH_FLUSH_LOCAL : FLUSH_LOCAL).label();
        String send = (batch ? BATCH_FLUSH_SEND : FLUSH_SEND).label();
        String wait = (batch ? BATCH_FLUSH_WAIT : FLUSH_WAIT).label();
        c.step(local, src, s -> {
            int pages = batch ? m.allPages() : requestedPages(l, s);
            boolean freedTables = !batch && l.gatherFreedTables.get(s) == 1;
            int newGen = newTlbGen == null ? 0 : ctx.incTlbGen(s);
            // flush_tlb_func_local: flush_tlb_mm_range flushes locally when the mm is loaded;
            // arch_tlbbatch_flush when this CPU is in the recorded mask.
            if (batch ? (mask.get(s) >> self & 1) == 1 : m.usesMm(s, self)) {
                ctx.flushLocal(s, self, newGen, pages);
            }
            int others = (batch ? mask.get(s) : cpumask(m, s)) & ~(1 << self);
            if (perCpuCondition && !freedTables && others != 0) {
                // on_each_cpu_cond_mask: the per-CPU steps below choose the targets; the request
                // stays open until they have.
                if (newTlbGen != null) {
                    newTlbGen.set(s, newGen);
                }
                return;
            }
            raiseAll(s, others, pages, newGen);
            l.flushTargets.set(s, others);
            endRequest(l, s, batch);
        }).ifGoTo(s -> !open(l, s, batch) && l.flushTargets.get(s) == 0, Code.RETURN)
                .ifGoTo(s -> !open(l, s, batch), wait);
        if (perCpuCondition) {
            // info->trim_cpumask = should_trim_cpumask(mm) (v6.14, flush_tlb_mm_range only): true
            // once a second, by jiffies against mm->context.next_trim_cpumask. The model has no
            // time, so any flush may trim. Nothing reads the choice before the first
            // should_flush_tlb, so it is made there.
            Field trim = !batch && ctx.present() && k.has(Feature.SHOULD_FLUSH_TLB) ? c.local("trim_cpumask", 0, 1) : null;
            int lastCpu = self == cpus - 1 ? cpus - 2 : cpus - 1;
            boolean first = true;
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (cpu == self) {
                    continue;
                }
                int target = cpu;
                String label = condition(k, batch, cpu).label();
                String source = k.src(file + (k.has(Feature.SHOULD_FLUSH_TLB) ? "native_flush_tlb_multi, should_flush_tlb"
                        : "native_flush_tlb_others, on_each_cpu_cond_mask, tlb_is_not_lazy"));
                boolean last = cpu == lastCpu;
                Effect test = s -> {
                    boolean inMask = batch ? (mask.get(s) >> target & 1) == 1 : m.inCpumask.get(s, target) == 1;
                    if (inMask && wantsLeafFlush(s, target, trim != null && trim.get(s) == 1)) {
                        l.flushTargets.set(s, l.flushTargets.get(s) | 1 << target);
                    }
                    if (trim != null && last) {
                        trim.set(s, 0); // read by no later step
                    }
                };
                if (trim != null && first) {
                    c.either(label, source)
                            .or(trimNotDue(cpu).choice(), test)
                            .or(trimDue(cpu).choice(), k.src(file + "flush_tlb_mm_range, should_trim_cpumask"), null, s -> {
                                trim.set(s, 1);
                                test.apply(s);
                            });
                } else {
                    c.step(label, source, test);
                }
                first = false;
            }
            c.step(send, k.src("kernel/smp.c:on_each_cpu_mask, smp_call_function_many"), s -> {
                int pages = batch ? m.allPages() : requestedPages(l, s);
                raiseAll(s, l.flushTargets.get(s), pages, newTlbGen == null ? 0 : newTlbGen.get(s));
                if (newTlbGen != null) {
                    newTlbGen.set(s, 0);
                }
                endRequest(l, s, batch);
            }).ifGoTo(s -> l.flushTargets.get(s) == 0, Code.RETURN);
        }
        c.await(wait, k.src("kernel/smp.c:smp_call_function_many, csd_lock_wait"),
                s -> acknowledged(m, s, l.flushTargets.get(s)),
                s -> l.flushTargets.set(s, 0));
    }

    /** The request is still being sent (its arguments are not consumed yet). */
    private static boolean open(ThreadLocals l, long[] s, boolean batch) {
        return batch ? l.ubcCpumask.get(s) != 0 : l.flushEnd.get(s) != 0;
    }

    /**
     * The leaf-only target test of v4.20+ for a CPU in the mask: tlb_is_not_lazy, or (v6.14,
     * should_flush_tlb) not lazy and running the mm, or in the middle of switch_mm with
     * fea4e317f9e7, or any CPU that is not lazy while the flush {@code trims} the cpumask (an
     * IPI to a CPU that no longer has the mm loaded clears its bit there from v6.14,
     * {@link CpuContexts#flushTlbFunc}, and does nothing before). arch_tlbbatch_flush's request
     * has no mm, so should_flush_tlb takes every CPU that is not lazy; the model sends it only to
     * those that run the mm, since flush_tlb_func does nothing to the mm's state on the others.
     */
    private boolean wantsLeafFlush(long[] s, int cpu, boolean trims) {
        Machine m = k.machine;
        if (m.lazy.get(s, cpu) == 1) {
            return false;
        }
        if (!k.has(Feature.SHOULD_FLUSH_TLB) || !k.contexts.present()) {
            return true; // tlb_is_not_lazy
        }
        if (trims) {
            return true; // "In cpumask, but not the loaded mm? Periodically remove by flushing."
        }
        if (k.contexts.loadedMmSwitching(s, cpu)) {
            return k.has(Feature.SHOULD_FLUSH_SWITCHING);
        }
        return m.usesMm(s, cpu);
    }

    /** The pages flush_tlb_func invalidates for the caller's arguments: one INVLPG per page, or per table. */
    private int requestedPages(ThreadLocals l, long[] s) {
        int stride = l.flushByTable.get(s) == 1 ? k.config.pagesPerTable() : 1;
        int pages = invalidatedPages(l.flushStart.get(s), l.flushEnd.get(s), stride);
        if (pages == 0) {
            throw new IllegalStateException("flush_tlb_mm_range called with an empty range by " + k.variant.name());
        }
        return pages;
    }

    /**
     * The pages flush_tlb_func's loop INVLPGs for [start, end) with a stride of {@code stride}
     * pages (addr += 1 &lt;&lt; stride_shift), as a bit per page: with a PMD stride only the
     * first page of each table in the range. Below tlb_single_page_flush_ceiling (33 pages, more
     * than any scenario has) the range is flushed page by page, so TLB_FLUSH_ALL is the only full
     * flush; every page set is the same thing in the model.
     */
    public static int invalidatedPages(int start, int end, int stride) {
        int pages = 0;
        for (int p = start; p < end; p += stride) {
            pages |= 1 << p;
        }
        return pages;
    }

    private static int cpumask(Machine m, long[] s) {
        int mask = 0;
        for (int cpu = 0; cpu < m.config.cpus(); cpu++) {
            mask |= m.inCpumask.get(s, cpu) << cpu;
        }
        return mask;
    }

    /** Queues the flush on every CPU of {@code targets}. */
    private void raiseAll(long[] s, int targets, int pages, int newGen) {
        for (int cpu = 0; targets >> cpu != 0; cpu++) {
            if ((targets >> cpu & 1) == 1) {
                raise(k, s, cpu, pages, newGen);
            }
        }
    }

    /**
     * Queues a flush of {@code pages} (flush_tlb_info with new_tlb_gen {@code newGen}) on
     * {@code cpu}: its call_single_queue gains an entry, and the IPI is pending until the CPU
     * runs flush_tlb_func for everything queued.
     */
    public static void raise(Kernel k, long[] s, int cpu, int pages, int newGen) {
        Machine m = k.machine;
        k.contexts.queue(s, cpu, newGen, m.ipiPending(s, cpu));
        m.ipiPages.set(s, cpu, m.ipiPages.get(s, cpu) | pages);
    }

    /** The request's arguments are consumed: no state remembers them. */
    private static void endRequest(ThreadLocals l, long[] s, boolean batch) {
        if (batch) {
            l.ubcCpumask.set(s, 0);
        } else {
            l.flushStart.set(s, 0);
            l.flushEnd.set(s, 0);
            l.flushByTable.set(s, 0);
        }
    }

    /** Every CPU in {@code targets} has run its flush (its IPI is no longer pending). */
    private static boolean acknowledged(Machine m, long[] s, int targets) {
        for (int cpu = 0; targets >> cpu != 0; cpu++) {
            if ((targets >> cpu & 1) == 1 && m.ipiPending(s, cpu)) {
                return false;
            }
        }
        return true;
    }
}
