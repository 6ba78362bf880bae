package dev.mmcheck.model;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;

/**
 * The per-CPU TLB context state that context switches need (arch/x86/mm/tlb.c,
 * arch/x86/include/asm/tlbflush.h): which task a CPU runs, whether it is inside
 * switch_mm_irqs_off, the CPU's ASID slot for the mm with its flush generation
 * (cpu_tlbstate.ctxs[asid].ctx_id / .tlb_gen, v4.14+) and mm-&gt;context.tlb_gen. It exists only
 * when a scenario enables context switches ({@link #enable}); without it the machine keeps the
 * fixed roles of the scenario and none of this state is in the state vector.
 *
 * <p>ASIDs: the TLB and paging-structure cache of {@link Machine} hold the entries tagged with
 * the mm's ASID on each CPU. They stay after the CPU switches to another mm (usable again only
 * when it switches back without a flush) unless that mm took the ASID slot (choose_new_asid
 * evicting it round-robin), which is a nondeterministic choice of the switch. Entries of other
 * mms are not modelled. v4.12 has no PCID: every CR3 write flushes.
 *
 * <p>Generations are absolute counters up to {@link #MAX_GEN}; a scenario that flushes more often
 * fails loudly (setChecked) instead of wrapping.
 */
public final class CpuContexts {
    /** running values. */
    public static final int MM_THREAD = 0;
    public static final int KTHREAD = 1;
    public static final int OTHER = 2;
    /** switching values. */
    public static final int NOT_SWITCHING = 0;
    /** Inside switch_mm_irqs_off, loaded_mm still the previous mm. */
    public static final int IN_SWITCH_MM = 1;
    /** cpu_tlbstate.loaded_mm == LOADED_MM_SWITCHING. */
    public static final int LOADED_MM_SWITCHING = 2;

    public static final int MAX_GEN = 7;

    private final Kernel k;
    /** mm->context.tlb_gen. */
    public final Field tlbGen;
    /** What CPU c runs: a thread of the mm, a kernel thread, another process. */
    public final FieldArray running;
    /** Context switches CPU c may still make away from the mm's threads (scenario bound). */
    public final FieldArray switchesLeft;
    /** CPU c's progress inside switch_mm_irqs_off. */
    public final FieldArray switching;
    /** One of CPU c's ASID slots still belongs to the mm (ctxs[asid].ctx_id == mm's ctx_id). */
    public final FieldArray asidCached;
    /** ctxs[mm's asid].tlb_gen on CPU c: the mm generation its entries are up to date with. */
    public final FieldArray asidGen;
    /** flush_tlb_info.new_tlb_gen of CPU c's pending flush IPI. */
    public final FieldArray ipiGen;

    private CpuContexts(Kernel k, int maxSwitches) {
        this.k = k;
        Program p = k.program;
        int cpus = k.config.cpus();
        tlbGen = p.field("mm.context.tlb_gen", 0, MAX_GEN);
        running = p.array("cpu.running", cpus, MM_THREAD, OTHER);
        switchesLeft = p.array("cpu.switches_left", cpus, 0, maxSwitches);
        switching = p.array("cpu.in_switch_mm", cpus, NOT_SWITCHING, LOADED_MM_SWITCHING);
        asidCached = p.array("cpu.mm_asid_cached", cpus, 0, 1);
        asidGen = p.array("cpu.ctxs_tlb_gen", cpus, 0, MAX_GEN);
        ipiGen = p.array("cpu.flush_ipi_new_tlb_gen", cpus, 0, MAX_GEN);
    }

    /** Declares the state; call before any kernel code is built. */
    public static CpuContexts enable(Kernel k, int maxSwitches) {
        return k.shared(CpuContexts.class, k2 -> new CpuContexts(k2, maxSwitches));
    }

    /** The context state of {@code k}'s model, or null when the scenario has no context switches. */
    public static CpuContexts of(Kernel k) {
        return k.sharedIfMade(CpuContexts.class);
    }

    private boolean pcid() {
        return k.has(Feature.PCID_TLB_GEN);
    }

    /** CPU c is inside switch_mm_irqs_off (IRQs off, running no user code). */
    public boolean inSwitch(long[] s, int cpu) {
        return switching.get(s, cpu) != NOT_SWITCHING;
    }

    /** inc_mm_tlb_gen (v4.14+): the new generation, or 0 before v4.14. */
    public int incTlbGen(long[] s) {
        if (!pcid()) {
            return 0;
        }
        tlbGen.setChecked(s, tlbGen.get(s) + 1);
        return tlbGen.get(s);
    }

    /**
     * flush_tlb_mm_range's choice of remote targets (native_flush_tlb_others / native_flush_tlb_multi):
     * every CPU of mm_cpumask before v4.20 and for freed page tables; from v4.20 lazy CPUs are
     * skipped (tlb_is_not_lazy); with should_flush_tlb (6db2526c1d69, v6.14) also CPUs whose loaded_mm is not
     * the mm (another mm, or LOADED_MM_SWITCHING). The cpumask trim (once a second) is not modelled.
     */
    public boolean isTarget(long[] s, int cpu, boolean freedTables) {
        Machine m = k.machine;
        if (m.inCpumask.get(s, cpu) == 0) {
            return false;
        }
        if (freedTables || !k.has(Feature.FREED_TABLES_LAZY_SKIP)) {
            return true;
        }
        if (m.lazy.get(s, cpu) == 1) {
            return false;
        }
        if (k.has(Feature.SHOULD_FLUSH_TLB)) {
            if (switching.get(s, cpu) == LOADED_MM_SWITCHING) {
                return k.has(Feature.SHOULD_FLUSH_SWITCHING);
            }
            return m.usesMm(s, cpu);
        }
        return true;
    }

    /**
     * The IPI step of flush_tlb_mm_range with context state: inc_mm_tlb_gen, flush_tlb_func on
     * the local CPU, and the flush IPI (with the new generation) on every other target. Returns
     * the targets as a bit set.
     */
    public int sendIpis(long[] s, int self, boolean freedTables) {
        int newGen = incTlbGen(s);
        flushLocal(s, self, newGen);
        int targets = 0;
        for (int cpu = 0; cpu < k.config.cpus(); cpu++) {
            if (cpu != self && isTarget(s, cpu, freedTables)) {
                raise(s, cpu, newGen);
                if (freedTables) {
                    k.machine.ipiFreedTables.set(s, cpu, 1);
                }
                targets |= 1 << cpu;
            }
        }
        return targets;
    }

    /** flush_tlb_func run locally by the initiator on its own CPU (IRQs disabled). */
    public void flushLocal(long[] s, int cpu, int newGen) {
        Machine m = k.machine;
        if (m.usesMm(s, cpu) && m.lazy.get(s, cpu) == 0) {
            m.flushCpu(s, cpu);
            asidGen.set(s, cpu, tlbGen.get(s));
        }
    }

    /** Raises the flush IPI on {@code cpu} carrying {@code newGen}. */
    public void raise(long[] s, int cpu, int newGen) {
        k.machine.ipiPending.set(s, cpu, 1);
        ipiGen.set(s, cpu, Math.max(ipiGen.get(s, cpu), newGen));
    }

    /**
     * flush_tlb_func on a target CPU, with the context state:
     * <ul>
     *   <li>loaded_mm is not the mm: nothing (the ASID is checked when the CPU switches back);</li>
     *   <li>lazy: v4.12 leave_mm (CR3 to init_mm, which flushes without PCID); v4.14+
     *       switch_mm_irqs_off(NULL, &amp;init_mm): the mm's ASID keeps its entries and its
     *       generation, so switching back flushes; either way the CPU leaves mm_cpumask;</li>
     *   <li>v4.14+: nothing if the ASID is already at the flush's new_tlb_gen, else a full flush
     *       and ctxs[asid].tlb_gen = mm->context.tlb_gen;</li>
     *   <li>v4.12: flush.</li>
     * </ul>
     */
    public void flushTlbFunc(long[] s, int cpu) {
        Machine m = k.machine;
        if (m.usesMm(s, cpu)) {
            if (m.lazy.get(s, cpu) == 1) {
                m.loaded.set(s, cpu, Machine.INIT_MM);
                m.lazy.set(s, cpu, 0);
                m.inCpumask.set(s, cpu, 0);
                if (!pcid()) {
                    m.flushCpu(s, cpu);
                    asidCached.set(s, cpu, 0);
                }
            } else if (!pcid()) {
                m.flushCpu(s, cpu);
            } else if (ipiGen.get(s, cpu) > asidGen.get(s, cpu)) {
                m.flushCpu(s, cpu);
                asidGen.set(s, cpu, tlbGen.get(s));
            }
        }
        m.ipiPending.set(s, cpu, 0);
        m.ipiFreedTables.set(s, cpu, 0);
        ipiGen.set(s, cpu, 0);
    }

    /**
     * CPU c can execute user code of the mm with its current entries, now or after switching back
     * without a flush: it runs a thread of the mm (or, before v4.20, is lazy: it switches back
     * without a flush), or another mm holds CR3 while the mm's ASID is cached and up to date.
     */
    public boolean mayUseLater(long[] s, int cpu, boolean lazyCounts) {
        Machine m = k.machine;
        if (inSwitch(s, cpu)) {
            // It flushes before running user code unless its ASID is already up to date.
            boolean upToDate = pcid() && asidCached.get(s, cpu) == 1 && asidGen.get(s, cpu) >= tlbGen.get(s);
            return m.usesMm(s, cpu) && !pcid() || upToDate;
        }
        if (m.usesMm(s, cpu)) {
            return lazyCounts || m.lazy.get(s, cpu) == 0;
        }
        return pcid() && asidCached.get(s, cpu) == 1 && asidGen.get(s, cpu) >= tlbGen.get(s);
    }

    /** I2 at a syscall's return, over the CPUs of {@link #mayUseLater} (Ghost.checkReturn's rule). */
    public void checkReturn(long[] s, int thread, int lo, int hi, boolean lazyCounts) {
        Machine m = k.machine;
        Ghost g = k.ghost;
        if (g.stalePage.get(s) != 0) {
            return;
        }
        for (int c = 0; c < k.config.cpus(); c++) {
            if (!mayUseLater(s, c, lazyCounts)) {
                continue;
            }
            for (int p = lo; p < hi; p++) {
                int e = m.tlb(s, c, p);
                if (e != Machine.NONE && e != m.pte.get(s, p)) {
                    g.stalePage.set(s, p + 1);
                    g.staleCpu.set(s, c);
                    g.staleFrame.set(s, e - 1);
                    g.staleThread.set(s, thread);
                    return;
                }
            }
        }
    }
}
