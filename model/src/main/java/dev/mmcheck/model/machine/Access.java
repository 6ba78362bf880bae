package dev.mmcheck.model.machine;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.faults.NumaFault;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.mm.ThreadLocals;

/**
 * A user-mode store by thread t (on CPU t) to {@link ThreadLocals#page}, as the x86 hardware
 * executes it (Intel SDM vol. 3A §4.10): through a TLB entry if there is one; else a page walk,
 * which starts from a cached page-table pointer (paging-structure cache) or from the PMD entry,
 * caches the pointer, and fills the TLB if the PTE is present; else a #PF exception, handled by
 * {@link PageFault} (arch/x86/mm/fault.c:__do_page_fault, v4.12), after which the instruction is
 * retried. A fault that ends in SIGSEGV (or OOM, see {@link PageFault}) ends the access with
 * {@link ThreadLocals#failed} = 1.
 *
 * <p>The store itself changes no modelled state: what it writes does not matter, only which
 * frame it reaches, and a TLB entry that reaches a freed frame is already an I1 violation.
 * Write permission and accessed/dirty bits are not modelled (all mappings are writable).
 */
public final class Access {
    private static final String HARDWARE =
            "Intel SDM vol. 3A 4.10.2-4.10.3 (TLB, paging-structure caches); a miss raises #PF";
    /** The user-mode store: a TLB hit, a page walk that fills the TLB, or a #PF. */
    public static final StepRef USER_STORE = StepRef.in("access", "user_store");
    /** The #PF exception: arch/x86/mm/fault.c:__do_page_fault, then the store is retried. */
    public static final StepRef DO_PAGE_FAULT = StepRef.in("access", "do_page_fault");

    private Access() {
    }

    /** The procedure {@code access}, which calls a {@code page_fault} built with it. */
    public static Procedure procedure(Kernel k) {
        Procedure fault = PageFault.procedure(k);
        return k.program.procedure("access", c -> body(k, c, fault));
    }

    private static void body(Kernel k, Code c, Procedure fault) {
        int cpu = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Machine m = k.machine;
        MachineConfig cfg = k.config;

        // One step: TLB hit, or a walk that caches the PDE and fills the TLB, or a miss.
        // A new #PF starts without FAULT_FLAG_TRIED (only with a userfaultfd, which can retry).
        var tried = k.userfaultfd.present() ? Userfaultfd.tried(c, k) : null;
        c.step(USER_STORE.label(), HARDWARE, s -> {
            int page = l.page.get(s);
            if (tried != null) {
                tried.set(s, 0);
            }
            if (l.failed.get(s) == 1 || m.tlb(s, cpu, page) != Machine.NONE) {
                return; // SIGSEGV delivered instead of a retry, or the store goes through the TLB
            }
            int table = cfg.tableOf(page);
            if (m.psc(s, cpu, table) == Machine.NONE && m.pmd.get(s, table) != Machine.NONE) {
                m.setPsc(s, cpu, table, m.pmd.get(s, table));
            }
            // The walk uses only a present PTE that is not PROT_NONE (a NUMA-hinting PTE faults:
            // do_numa_page, see NumaFault), and copies its write permission.
            if (m.psc(s, cpu, table) != Machine.NONE && m.walkable(s, page)) {
                m.fillTlb(s, cpu, page);
            }
        })
                .ifGoTo(s -> l.failed.get(s) == 1 || m.tlb(s, cpu, l.page.get(s)) != Machine.NONE, Code.RETURN)
                // #PF: the handler runs, then the faulting instruction is retried.
                .call(DO_PAGE_FAULT.label(), k.src(PageFault.entry(k)), fault)
                .goTo(USER_STORE.label());
    }
}
