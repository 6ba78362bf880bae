package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios for PT_RECLAIM (v6.14+, docs/model-vma-locks.md "PT_RECLAIM"): a MADV_DONTNEED that
 * covers a whole page table frees the table it emptied, while faults in the same VMA (readers of
 * the same per-VMA lock) map that table without its lock. On releases before v6.14 the same
 * operations keep the table.
 */
public final class PtReclaimScenarios {
    private PtReclaimScenarios() {
    }

    /**
     * MADV_DONTNEED of the whole table [0x0000, 0x2000) while T1 faults 0x1000 in: the fault may
     * map the table before the zap reclaims it and lock it after, find the PMD none (its page is
     * released and the store faults again, allocating a new table), or be zapped with the rest.
     */
    public static Scenario reclaimVsFault() {
        return Scenario.named("madvise-reclaim-vs-fault-2cpu",
                        "T0 zaps the whole page table [0x0000, 0x2000) with MADV_DONTNEED while T1 stores to 0x1000; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.access(1));
    }

    /**
     * The same zap with an mmu_gather batch of one page: the batch fills at each PTE, so the zap
     * flushes and drops the PTE lock midway, and the table is reclaimed only by try_to_free_pte,
     * which re-checks every PTE: T1's store to 0x0000 after the zap let go of it keeps the table.
     */
    public static Scenario reclaimAfterForcedFlushVsFault() {
        return Scenario.named("madvise-reclaim-batch-full-vs-fault-2cpu",
                        "T0 zaps the whole page table [0x0000, 0x2000) with MADV_DONTNEED, one page per mmu_gather batch, while T1"
                                + " stores to 0x0000; CPU1 caches 0x0000")
                .machine(new MachineConfig(2, 2, 4, 2, 5, 3, 0, 1))
                .vma(0, 2).mapped(0, 1).tlb(1, 0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.access(0));
    }

    /**
     * The same zap of a shared file mapping while T1's store faults 0x1000 in from the page cache:
     * finish_fault re-checks the PMD under the PTE lock and returns VM_FAULT_NOPAGE when the table
     * is gone.
     */
    public static Scenario fileReclaimVsFault() {
        return Scenario.named("file-madvise-reclaim-vs-fault-2cpu",
                        "T0 zaps the whole shared file mapping [0x0000, 0x2000) with MADV_DONTNEED while T1 stores to 0x1000 (a"
                                + " shared file fault); CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.access(1));
    }

    /**
     * A NUMA hinting fault against the reclaim: T0 makes 0x0000 PROT_NONE (change_prot_numa) and
     * stores to it while T1 zaps the whole table; do_numa_page's pte_same fails on a zapped PTE,
     * and the migration's rmap walk and relock find the PMD none.
     */
    public static Scenario numaFaultVsReclaim() {
        return Scenario.named("numa-fault-vs-madvise-reclaim-2cpu",
                        "T0 change_prot_numa()s 0x0000 and stores to it (NUMA hinting fault, may migrate) while T1 zaps the whole"
                                + " page table [0x0000, 0x2000) with MADV_DONTNEED")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0)
                .thread(0, Op.numaScan(0, 1), Op.access(0))
                .thread(1, Op.madviseDontneed(0, 2));
    }

    /**
     * UFFDIO_COPY into a table being reclaimed: T1, the monitor, copies 0x1000 in the background
     * while T0 zaps the whole registered VMA's table (after its REMOVE event is read). The copy
     * may find the PMD none at its second read (-EEXIST, nothing mapped), at pte_offset_map
     * (-EAGAIN) or at pmd_same under the PTE lock (-EAGAIN, the old table kept by RCU), or install
     * first and keep the table.
     */
    public static Scenario reclaimVsUffdCopy() {
        return Scenario.named("uffd-copy-vs-madvise-reclaim-2cpu",
                        "T0 zaps the whole page table [0x0000, 0x2000) of a userfaultfd-registered VMA with MADV_DONTNEED; T1, the"
                                + " monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small())
                .uffdVma(0, 2).mapped(0)
                .thread(0, Op.madviseDontneed(0, 2))
                .uffdMonitor(1, 1);
    }

    /**
     * The same zap while T1's store to 0x1000 userfaults and T2, the monitor, resolves it: a copy
     * that fails against the reclaim (-EEXIST or -EAGAIN) is followed by UFFDIO_WAKE, and the
     * store faults again. In the exhaustive profile.
     */
    public static Scenario reclaimVsUserfault3cpu() {
        return Scenario.named("uffd-fault-vs-madvise-reclaim-3cpu",
                        "T0 zaps the whole page table [0x0000, 0x2000) of a userfaultfd-registered VMA with MADV_DONTNEED while T1"
                                + " stores to 0x1000 (a userfault); T2, the monitor, resolves it with UFFDIO_COPY")
                .machine(MachineConfig.small().withCpus(3, 3))
                .uffdVma(0, 2).mapped(0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.access(1))
                .uffdMonitor(2)
                .exhaustiveOnly();
    }

    /** Three CPUs: the same zap while T1 stores to 0x0000 (present, then zapped) and T2 to 0x1000. In the exhaustive profile. */
    public static Scenario reclaimVsFaults3cpu() {
        return Scenario.named("madvise-reclaim-vs-faults-3cpu",
                        "T0 zaps the whole page table [0x0000, 0x2000) with MADV_DONTNEED while T1 stores to 0x0000 and T2 to 0x1000;"
                                + " CPU2 caches 0x0000")
                .machine(Scenarios.threeCpus(3))
                .vma(0, 2).mapped(0).tlb(2, 0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.access(0)).thread(2, Op.access(1))
                .exhaustiveOnly();
    }

    /** Every scenario of this class. */
    public static List<Supplier<Scenario>> all() {
        return List.of(PtReclaimScenarios::reclaimVsFault, PtReclaimScenarios::reclaimAfterForcedFlushVsFault,
                PtReclaimScenarios::fileReclaimVsFault, PtReclaimScenarios::numaFaultVsReclaim, PtReclaimScenarios::reclaimVsUffdCopy,
                PtReclaimScenarios::reclaimVsUserfault3cpu, PtReclaimScenarios::reclaimVsFaults3cpu);
    }
}
