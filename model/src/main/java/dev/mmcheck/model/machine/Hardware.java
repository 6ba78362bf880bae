package dev.mmcheck.model.machine;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

/**
 * What every CPU's hardware may do at any time, as a daemon process per CPU:
 * <ul>
 *   <li>a page walk that caches a page-table pointer (PDE) in the paging-structure cache,</li>
 *   <li>a page walk that fills the TLB from a PTE through that cached pointer,</li>
 *   <li>taking a flush IPI (when interrupts are enabled) and running flush_tlb_func.</li>
 * </ul>
 * Walks happen whenever the CPU's CR3 holds the mm: in user mode, in kernel mode and in lazy-TLB
 * mode ("the cpu performs speculative tlb reads", arch/x86/mm/tlb.c v4.12). A walk that would not
 * change the TLB is not offered, so the hardware cannot spin in place.
 */
public final class Hardware {
    private static final String WALK = "x86 page walk (Intel SDM 4.10.3: TLB and paging-structure caches)";
    /** A CPU's hardware: one of the page walks or the flush IPI, whichever comes first. */
    public static final StepRef HW = StepRef.step("hw");
    /** flush_tlb_func (flush_tlb_func_remote from v4.14): the CPU takes a queued flush IPI. */
    public static final StepRef FLUSH_IPI = HW.choice("flush_IPI");
    /** leave_mm (switch_mm_irqs_off to init_mm from v4.14): the lazy CPU loads init_mm's CR3. */
    public static final StepRef LEAVE_MM = HW.choice("leave_mm: load_cr3(init_mm)");

    private Hardware() {
    }

    /** hw [cache_PDE_{addr}]: a page walk caches the PMD entry of the page table that maps {@code page} (its first page). */
    public static StepRef cachePde(int page) {
        return HW.choice("cache_PDE_" + Machine.addr(page));
    }

    /** hw [fill_TLB_{addr}]: a page walk through the cached PDE fills the TLB entry of {@code page}. */
    public static StepRef fillTlb(int page) {
        return HW.choice("fill_TLB_" + Machine.addr(page));
    }

    /** Adds one hardware daemon per CPU. */
    public static void addCpus(Kernel k) {
        for (int c = 0; c < k.config.cpus(); c++) {
            addCpu(k, c);
        }
    }

    private static void addCpu(Kernel k, int cpu) {
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        Process p = k.program.process(Actor.of("CPU", cpu)).daemon();
        Code code = p.either(HW.label(), WALK);
        for (int t = 0; t < cfg.tables(); t++) {
            int table = t;
            code.or(cachePde(table * cfg.pagesPerTable()).choice(), WALK,
                    s -> m.usesMm(s, cpu) && m.pmd.get(s, table) != Machine.NONE && m.psc(s, cpu, table) != m.pmd.get(s, table),
                    s -> m.setPsc(s, cpu, table, m.pmd.get(s, table)));
        }
        for (int pg = 0; pg < cfg.pages(); pg++) {
            int page = pg;
            int table = cfg.tableOf(page);
            code.or(fillTlb(page).choice(), WALK,
                    s -> m.usesMm(s, cpu) && m.psc(s, cpu, table) != Machine.NONE
                            && m.walkable(s, page) && m.tlbDiffers(s, cpu, page),
                    s -> m.fillTlb(s, cpu, page));
        }
        // flush_tlb_func (v4.12) / flush_tlb_func_remote (v4.14+), for every request queued on
        // this CPU: a CPU that has switched away ignores them; a lazy CPU leaves the mm (leave_mm /
        // switch_mm_irqs_off to init_mm: CR3 now points to init_mm, clear own bit in mm_cpumask);
        // otherwise INVLPG each requested page (which drops the paging-structure caches too).
        // With context switches the generations decide ({@link CpuContexts#flushTlbFunc}).
        CpuContexts ctx = k.contexts;
        boolean clearFirst = leaveClearsCpumaskFirst(k);
        code.or(FLUSH_IPI.choice(), k.src("arch/x86/mm/tlb.c:flush_tlb_func"),
                s -> m.ipiPending(s, cpu) && m.irqsDisabled.get(s, cpu) == 0 && m.leavingMm.get(s, cpu) == 0,
                s -> {
                    if (clearFirst && m.usesMm(s, cpu) && m.lazy.get(s, cpu) == 1) {
                        // The lazy CPU leaves the mm: cpumask_clear_cpu now, the CR3 write in
                        // the next step (the IPI is acknowledged only then).
                        m.inCpumask.set(s, cpu, 0);
                        m.leavingMm.set(s, cpu, 1);
                    } else {
                        ctx.flushTlbFunc(s, cpu);
                    }
                });
        if (clearFirst) {
            code.or(LEAVE_MM.choice(), k.src(k.has(Feature.LEAVE_MM_VIA_SWITCH_MM)
                            ? "arch/x86/mm/tlb.c:switch_mm_irqs_off(NULL, &init_mm)" : "arch/x86/mm/tlb.c:leave_mm, load_cr3"),
                    s -> m.leavingMm.get(s, cpu) == 1,
                    s -> {
                        m.leavingMm.set(s, cpu, 0);
                        ctx.flushTlbFunc(s, cpu);
                    });
        }
    }

    /**
     * A lazy CPU that takes a flush IPI clears its mm_cpumask bit before it loads init_mm's CR3:
     * v4.12 (leave_mm) and v4.14-v6.13 (switch_mm_irqs_off); v4.13's leave_mm loads CR3 first,
     * v6.14 leaves the bit set ({@link Feature#LAZY_MM_CPUMASK}).
     */
    static boolean leaveClearsCpumaskFirst(Kernel k) {
        return !k.has(Feature.LAZY_MM_CPUMASK)
                && (k.has(Feature.PCID_TLB_GEN) || !k.has(Feature.LEAVE_MM_VIA_SWITCH_MM));
    }

}
