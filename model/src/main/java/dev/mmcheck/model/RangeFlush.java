package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;

/**
 * flush_tlb_range(vma, start, end) as a <em>range</em> flush (arch/x86/mm/tlb.c:flush_tlb_mm_range
 * with start/end, v4.12; native_flush_tlb_others / flush_tlb_func invalidate only those pages),
 * for the rmap zapper, whose flush must not hide a stale translation outside its range: the
 * race fixed by eb66ae030829 is exactly an old-address TLB entry that a flush of the new address
 * leaves behind. {@link TlbFlush} keeps modelling every other flush as a full flush.
 *
 * <p>State (declared only in models that use it): the range of the one range flush in flight
 * ({@code range_flush.lo/hi}; its only caller, unmap_mapping_range, holds i_mmap_rwsem, so
 * there is at most one), and per CPU a pending range-flush IPI, taken by a per-CPU daemon
 * {@code IPI<c>} when interrupts are enabled. Targets as in {@link TlbFlush}: every other CPU of
 * mm_cpumask, lazy CPUs too before v4.20 ({@link Feature#FREED_TABLES_LAZY_SKIP}: no page
 * tables are freed here, so from v4.20 lazy CPUs are skipped). A lazy CPU that takes the IPI
 * leaves the mm, as in flush_tlb_func. Paging-structure caches are kept: no page table is freed.
 */
public final class RangeFlush {
    public static final String SEND = "send IPIs";
    public static final String WAIT = "wait for acknowledgements";

    /** The range being flushed, pages [lo, hi). */
    public final Field lo;
    public final Field hi;
    /** cpu[c]: a range-flush IPI is pending. */
    public final FieldArray pending;
    /** flush_tlb_range of the calling thread; set {@link #lo} and {@link #hi} in the call's arguments. */
    public final Procedure flushTlbRange;

    private RangeFlush(Kernel k) {
        int cpus = k.config.cpus();
        lo = k.program.field("range_flush.lo", 0, k.config.pages());
        hi = k.program.field("range_flush.hi", 0, k.config.pages());
        pending = k.program.array("cpu.range_flush_ipi", cpus, 0, 1);
        flushTlbRange = k.program.procedure("flush_tlb_range", c -> body(k, c));
        for (int c = 0; c < cpus; c++) {
            addIpiHandler(k, c);
        }
    }

    /** The range flush of {@code k}'s model (declared on first use, with its IPI handlers). */
    public static RangeFlush of(Kernel k) {
        return k.shared(RangeFlush.class, RangeFlush::new);
    }

    private void flushRange(Machine m, long[] s, int cpu) {
        for (int p = lo.get(s); p < hi.get(s); p++) {
            m.setTlb(s, cpu, p, Machine.NONE);
        }
    }

    private void body(Kernel k, Code c) {
        Machine m = k.machine;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        boolean skipLazy = k.has(Feature.FREED_TABLES_LAZY_SKIP);
        c.step(SEND, k.src("arch/x86/mm/tlb.c:flush_tlb_mm_range (range), native_flush_tlb_others"), k.effect(c, SEND, s -> {
            if (m.usesMm(s, self)) {
                flushRange(m, s, self);
            }
            int targets = 0;
            for (int cpu = 0; cpu < k.config.cpus(); cpu++) {
                if (cpu == self || m.inCpumask.get(s, cpu) == 0 || skipLazy && m.lazy.get(s, cpu) == 1) {
                    continue;
                }
                pending.set(s, cpu, 1);
                targets |= 1 << cpu;
            }
            l.flushTargets.set(s, targets);
        })).ifGoTo(s -> l.flushTargets.get(s) == 0, "flush done");
        c.await(WAIT, k.src("kernel/smp.c:smp_call_function_many (wait)"), s -> {
            int targets = l.flushTargets.get(s);
            for (int cpu = 0; targets >> cpu != 0; cpu++) {
                if ((targets >> cpu & 1) == 1 && pending.get(s, cpu) == 1) {
                    return false;
                }
            }
            return true;
        }, k.effect(c, WAIT, s -> l.flushTargets.set(s, 0)));
        // The range belongs to this flush only: clear it so that no state remembers it.
        c.step("flush done", k.src("arch/x86/mm/tlb.c:flush_tlb_mm_range"), k.effect(c, "flush done", s -> {
            lo.set(s, 0);
            hi.set(s, 0);
        }));
    }

    private void addIpiHandler(Kernel k, int cpu) {
        Machine m = k.machine;
        Process p = k.program.process("IPI" + cpu).daemon();
        p.await("range_flush_IPI", k.src("arch/x86/mm/tlb.c:flush_tlb_func (range)"),
                s -> pending.get(s, cpu) == 1 && m.irqsDisabled.get(s, cpu) == 0,
                s -> {
                    if (m.usesMm(s, cpu)) {
                        if (m.lazy.get(s, cpu) == 1) {
                            m.loaded.set(s, cpu, Machine.INIT_MM);
                            m.lazy.set(s, cpu, 0);
                            m.inCpumask.set(s, cpu, 0);
                            m.flushCpu(s, cpu);
                        } else {
                            flushRange(m, s, cpu);
                        }
                    }
                    pending.set(s, cpu, 0);
                });
    }
}
