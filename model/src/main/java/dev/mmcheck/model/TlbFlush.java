package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;

/**
 * The x86 TLB shootdown flush_tlb_mm_range(mm, start, end, freed_tables) as steps of the calling
 * thread t on its CPU t (arch/x86/mm/tlb.c):
 * <ol>
 *   <li><b>send IPIs</b>: flush the local CPU if it runs the mm, and raise a flush IPI on every
 *       other CPU of mm_cpumask that must get one: all of them before v4.20
 *       (native_flush_tlb_others, v4.12: a lazy target leaves the mm in flush_tlb_func); from
 *       v4.20 ({@link Feature#FREED_TABLES_LAZY_SKIP}) lazy CPUs only when page tables were freed
 *       (native_flush_tlb_others: smp_call_function_many if info->freed_tables, else
 *       on_each_cpu_cond_mask(tlb_is_not_lazy, ...));</li>
 *   <li><b>wait for acknowledgements</b>: smp_call_function_many(..., wait=1) spins, with IRQs
 *       enabled, until every target has run flush_tlb_func ({@link Hardware}'s IPI handler).</li>
 * </ol>
 * The freed_tables argument is the caller's gather flag ({@link ThreadLocals#gatherFreedTables}),
 * as x86 tlb_flush passes tlb-&gt;freed_tables (v4.20); before v4.20 it is never set. Range flushes
 * are modelled as full flushes of the mm. With context switches ({@link CpuContexts}) the IPI step
 * also does inc_mm_tlb_gen (v4.14+) and picks its targets by version ({@link CpuContexts#sendIpis});
 * without them CPUs never switch back to the mm, the only place generations are compared.
 */
public final class TlbFlush {
    public static final String SEND = "send IPIs";
    public static final String WAIT = "wait for acknowledgements";

    /** flush_tlb_mm_range; the caller's {@code tlb_freed_tables} is the freed_tables argument. */
    public final Procedure flushTlbMmRange;

    private TlbFlush(Kernel k) {
        flushTlbMmRange = k.program.procedure("flush_tlb_mm_range", c -> body(k, c));
    }

    /** The flush procedure of {@code k}'s model (declared on first use). */
    public static TlbFlush of(Kernel k) {
        return k.shared(TlbFlush.class, TlbFlush::new);
    }

    private static void body(Kernel k, Code c) {
        Machine m = k.machine;
        int self = k.threadOf(c.process());
        int cpus = k.config.cpus();
        ThreadLocals l = ThreadLocals.of(c, k);
        boolean skipLazy = k.has(Feature.FREED_TABLES_LAZY_SKIP);
        CpuContexts ctx = CpuContexts.of(k);
        c.step(SEND, k.src("arch/x86/mm/tlb.c:flush_tlb_mm_range, native_flush_tlb_others"), k.effect(c, SEND, ctx != null
                ? s -> l.flushTargets.set(s, ctx.sendIpis(s, self, l.gatherFreedTables.get(s) == 1)) : s -> {
            if (m.usesMm(s, self)) {
                m.flushCpu(s, self);
            }
            boolean freedTables = l.gatherFreedTables.get(s) == 1;
            int targets = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (cpu == self || m.inCpumask.get(s, cpu) == 0) {
                    continue;
                }
                if (skipLazy && !freedTables && m.lazy.get(s, cpu) == 1) {
                    continue;
                }
                m.ipiPending.set(s, cpu, 1);
                if (freedTables) {
                    m.ipiFreedTables.set(s, cpu, 1);
                }
                targets |= 1 << cpu;
            }
            l.flushTargets.set(s, targets);
        })).ifGoTo(s -> l.flushTargets.get(s) == 0, Code.RETURN);
        c.await(WAIT, k.src("kernel/smp.c:smp_call_function_many (wait)"), s -> acknowledged(m, s, l.flushTargets.get(s)),
                k.effect(c, WAIT, s -> l.flushTargets.set(s, 0)));
    }

    /** Every CPU in {@code targets} has run its flush (its IPI is no longer pending). */
    private static boolean acknowledged(Machine m, long[] s, int targets) {
        for (int cpu = 0; targets >> cpu != 0; cpu++) {
            if ((targets >> cpu & 1) == 1 && m.ipiPending.get(s, cpu) == 1) {
                return false;
            }
        }
        return true;
    }
}
