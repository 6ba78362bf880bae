package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios for reclaim's deferred TLB flush, mprotect and NUMA hinting with migration
 * (SEMANTICS.md 3.4, 3.6; BUGS.md B6). Page 0 is 0x0000; pages 0-1 share page table 0.
 */
public final class ReclaimScenarios {
    private ReclaimScenarios() {
    }

    /** The scenarios every correct variant (v4.13 and later) must hold on. */
    public static List<Supplier<Scenario>> all() {
        return List.of(ReclaimScenarios::reclaimVsMadvise, ReclaimScenarios::reclaimVsMprotect,
                ReclaimScenarios::mprotectWithRemoteTlb, ReclaimScenarios::numaScanVsMigration,
                ReclaimScenarios::parallelNumaScansVsMigration);
    }

    /**
     * Reclaim clears 0x0000's PTE and defers the flush while another thread MADV_DONTNEEDs the
     * same page: that thread finds the PTE clear, but CPU1 still caches 0x0000.
     */
    public static Scenario reclaimVsMadvise() {
        return Scenario.named("reclaim-vs-madvise",
                        "T0 reclaims 0x0000 with a deferred flush while T1 madvise(DONTNEED)s it; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.reclaim(0))
                .thread(1, Op.madviseDontneed(0, 1));
    }

    /**
     * Reclaim clears 0x0000's PTE and defers the flush while another thread mprotects it
     * read-only: mprotect finds nothing to change, so it flushes nothing.
     */
    public static Scenario reclaimVsMprotect() {
        return Scenario.named("reclaim-vs-mprotect",
                        "T0 reclaims 0x0000 with a deferred flush while T1 mprotect(PROT_READ)s it; CPU1 caches 0x0000 writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.reclaim(0))
                .thread(1, Op.mprotectRead(0, 1));
    }

    /** mprotect(PROT_READ) while the other CPU caches the page writable and keeps re-walking it. */
    public static Scenario mprotectWithRemoteTlb() {
        return Scenario.named("mprotect-remote-tlb",
                        "T0 mprotect(PROT_READ)s [0x0000, 0x2000) while CPU1 (T1, in user space) caches both pages writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0, 1).tlb(1, 0, 1)
                .thread(0, Op.mprotectRead(0, 2));
    }

    /**
     * NUMA hinting makes 0x0000 PROT_NONE and defers the flush; meanwhile T1 migrates the page:
     * migration must flush because a protection change is pending (20841405940e).
     */
    public static Scenario numaScanVsMigration() {
        return Scenario.named("numa-scan-vs-migration",
                        "T0 change_prot_numa()s 0x0000 while T1 migrates its page; CPU1 caches 0x0000 writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.numaScan(0, 1))
                .thread(1, Op.migrate(0));
    }

    /**
     * Two NUMA scans of neighbouring pages and a migration: with a bool tlb_flush_pending, the
     * scan that finishes first clears the flag while the other has a deferred change
     * (16af97dc5a89).
     */
    public static Scenario parallelNumaScansVsMigration() {
        return Scenario.named("numa-scans-vs-migration",
                        "T0 and T1 change_prot_numa() 0x0000 and 0x1000 while T2 migrates 0x1000's page; CPU2 caches 0x1000")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 2).mapped(0, 1).tlb(2, 1)
                .thread(0, Op.numaScan(0, 1))
                .thread(1, Op.numaScan(1, 2))
                .thread(2, Op.migrate(1));
    }
}
