package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios for the NUMA hinting fault (mm/memory.c:do_numa_page, model/NumaFault): a NUMA scan
 * (change_prot_numa) makes 0x0000's PTE PROT_NONE, then a thread's store to it takes the hinting
 * fault, which restores the PTE or migrates the page, while another thread unmaps, zaps or
 * write-protects the page. Page 0 is 0x0000; pages 0-1 share page table 0.
 */
public final class NumaFaultScenarios {
    private NumaFaultScenarios() {
    }

    /** Every scenario; the correct variants hold on each. */
    public static List<Supplier<Scenario>> all() {
        return List.of(NumaFaultScenarios::numaFaultVsMadvise, NumaFaultScenarios::numaFaultVsMunmap,
                NumaFaultScenarios::numaFaultVsMprotect, NumaFaultScenarios::numaFaultsOnOnePage,
                NumaFaultScenarios::numaFaultVsMadviseRemoteTlb, NumaFaultScenarios::numaFaultVsPendingFlush,
                NumaFaultScenarios::numaFaultsVsMadvise);
    }

    /**
     * MADV_DONTNEED runs under mmap_sem read, like the fault: it can zap the PTE between
     * handle_pte_fault's lockless read and do_numa_page's pte_same, or while the page migrates.
     */
    public static Scenario numaFaultVsMadvise() {
        return Scenario.named("numa-fault-vs-madvise",
                        "T0 change_prot_numa()s 0x0000, then stores to it (NUMA hinting fault, may migrate) while T1"
                                + " madvise(DONTNEED)s it; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.madviseDontneed(0, 1));
    }

    /** munmap (downgraded to read from v4.20) of the VMA whose page takes the hinting fault. */
    public static Scenario numaFaultVsMunmap() {
        return Scenario.named("numa-fault-vs-munmap",
                        "T0 change_prot_numa()s 0x0000, then stores to it (NUMA hinting fault, may migrate) while T1"
                                + " munmap()s [0x0000, 0x1000); CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 1).mapped(0).tlb(1, 0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.munmap(0, 1));
    }

    /** mprotect(PROT_READ) after the scan, while another thread's store takes the hinting fault. */
    public static Scenario numaFaultVsMprotect() {
        return Scenario.named("numa-fault-vs-mprotect",
                        "T0 change_prot_numa()s 0x0000, then mprotect(PROT_READ)s it, while T1 stores to it"
                                + " (NUMA hinting fault, may migrate); CPU0 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(0, 0)
                .thread(0, Op.numaScan(0, 1), Op.mprotectRead(0, 1))
                .thread(1, Op.access(0));
    }

    /**
     * Two threads fault on the same PROT_NONE PTE: one restores or migrates, the other finds the
     * PTE changed (pte_same), a migration entry (migration_entry_wait), or the page again.
     */
    public static Scenario numaFaultsOnOnePage() {
        return Scenario.named("numa-faults-one-page",
                        "T0 change_prot_numa()s 0x0000 and stores to it while T1 stores to it too: two NUMA hinting"
                                + " faults on one PTE, each may migrate")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.access(0));
    }

    /**
     * B6 (20841405940e) driven by the real hinting fault: T1's fault migrates the page while
     * change_prot_numa's flush is still deferred and CPU0 caches the page. From v5.13
     * (b99a342d4f11) the migrated PTE is still PROT_NONE, so only mm_tlb_flush_pending makes
     * ptep_clear_flush flush; before, do_numa_page made the PTE present first and migration
     * flushed it anyway.
     */
    public static Scenario numaFaultVsPendingFlush() {
        return Scenario.named("numa-fault-vs-pending-flush",
                        "T0 change_prot_numa()s 0x0000 (flush deferred) while T1 stores to it (NUMA hinting fault,"
                                + " may migrate); CPU0 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(0, 0)
                .thread(0, Op.numaScan(0, 1))
                .thread(1, Op.access(0));
    }

    /**
     * Two hinting faults on one PTE while MADV_DONTNEED zaps it: a fault can meet the other's
     * migration entry, a restored PTE, a zapped PTE or a freshly faulted page.
     */
    public static Scenario numaFaultsVsMadvise() {
        return Scenario.named("numa-faults-vs-madvise-3cpu",
                        "T0 change_prot_numa()s 0x0000 and stores to it while T2 stores to it too (two NUMA hinting"
                                + " faults, each may migrate) and T1 madvise(DONTNEED)s it")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 2).mapped(0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.madviseDontneed(0, 1))
                .thread(2, Op.access(0))
                .exhaustiveOnly(); // 1.0-1.5 M states, 4-5 s per variant
    }

    /** The madvise race with a third CPU that caches 0x0000 and keeps re-walking it. */
    public static Scenario numaFaultVsMadviseRemoteTlb() {
        return Scenario.named("numa-fault-vs-madvise-3cpu",
                        "T0 change_prot_numa()s 0x0000, then stores to it (NUMA hinting fault, may migrate) while T1"
                                + " madvise(DONTNEED)s it; CPU2 (T2, in user space) caches 0x0000")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 2).mapped(0).tlb(2, 0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.madviseDontneed(0, 1));
    }
}
