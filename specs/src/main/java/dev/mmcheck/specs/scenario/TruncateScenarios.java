package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios of truncate over a shared file mapping whose pages are page-cache pages
 * (docs/model-file.md), on the small machine (4 pages, 2 per page table, 5 frames, 3 VMA
 * objects). The file is [0x0000, 0x2000) at offset 0; truncate takes no mmap_sem and races the
 * mm's own unmappers (munmap, madvise) and a fault through the page lock, the i_mmap rwsem, the
 * PTE locks, and the page references held by the page cache, the PTEs and the mmu_gathers.
 */
public final class TruncateScenarios {
    private static final MachineConfig TWO_CPUS = MachineConfig.small();
    private static final MachineConfig THREE_CPUS = new MachineConfig(3, 3, 4, 2, 5, 3, 0, 7);

    private TruncateScenarios() {
    }

    /** munmap of the mapping while truncate removes its pages; CPU1 caches the mapped page. */
    public static Scenario munmapVsTruncate() {
        return Scenario.named("file-munmap-vs-truncate-2cpu",
                        "T0 munmaps the shared file mapping [0x0000, 0x2000) while T1 truncates the file to 0; CPU1 caches 0x0000")
                .machine(TWO_CPUS)
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.truncate(0));
    }

    /**
     * munmap of the second page splits the file VMA (__vma_adjust under i_mmap_rwsem) while
     * truncate walks the file's i_mmap; CPU1 caches the page munmap removes.
     */
    public static Scenario munmapSplitVsTruncate() {
        return Scenario.named("file-munmap-split-vs-truncate-2cpu",
                        "T0 munmaps [0x1000, 0x2000), splitting the shared file mapping [0x0000, 0x2000), while T1 truncates the file to 0; CPU1 caches 0x1000")
                .machine(TWO_CPUS)
                .fileVma(0, 2).mapped(0, 1).tlb(1, 1)
                .thread(0, Op.munmap(1, 2)).thread(1, Op.truncate(0));
    }

    /** A store faults the second page in while truncate removes it; CPU1 caches the first page. */
    public static Scenario faultVsTruncate() {
        return Scenario.named("file-fault-vs-truncate-2cpu",
                        "T0 stores to 0x1000 (not mapped: a shared file fault) while T1 truncates the file to 0; CPU1 caches 0x0000")
                .machine(TWO_CPUS)
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.access(1)).thread(1, Op.truncate(0));
    }

    /**
     * madvise(MADV_DONTNEED) zaps both pages while truncate removes them; CPU0, the caller's CPU,
     * caches the first, so a stale entry at madvise's return is a store T0 can lose.
     */
    public static Scenario madviseVsTruncate() {
        return Scenario.named("file-madvise-vs-truncate-2cpu",
                        "T0 zaps the shared file mapping [0x0000, 0x2000) with MADV_DONTNEED while T1 truncates the file to 0; CPU0 caches 0x0000")
                .machine(TWO_CPUS)
                .fileVma(0, 2).mapped(0, 1).tlb(0, 0)
                .thread(0, Op.madviseDontneed(0, 2)).thread(1, Op.truncate(0));
    }

    /** Three CPUs: munmap and truncate race a store that faults the page back in. */
    public static Scenario munmapVsTruncateVsStore() {
        return Scenario.named("file-munmap-vs-truncate-vs-store-3cpu",
                        "T0 munmaps the shared file mapping [0x0000, 0x2000), T1 truncates the file to 0, T2 stores to 0x1000; CPU1 caches 0x0000")
                .machine(THREE_CPUS)
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.truncate(0)).thread(2, Op.access(1));
    }

    /**
     * Three CPUs: madvise zaps the first page while truncate removes both and a store faults the
     * second one in. (madvise's range excludes the stored page: a page re-faulted after madvise's
     * own flush and cleared again by truncate, whose flush is still under way, would be a stale
     * entry at madvise's return that the correct kernel also leaves; see docs/model-file.md.)
     */
    public static Scenario madviseVsTruncateVsStore() {
        return Scenario.named("file-madvise-vs-truncate-vs-store-3cpu",
                        "T0 zaps [0x0000, 0x1000) with MADV_DONTNEED, T1 truncates the file to 0, T2 stores to 0x1000; CPU2 caches 0x0000")
                .machine(THREE_CPUS)
                .fileVma(0, 2).mapped(0, 1).tlb(2, 0)
                .thread(0, Op.madviseDontneed(0, 1)).thread(1, Op.truncate(0)).thread(2, Op.access(1));
    }

    /** Every scenario of this area. */
    public static List<Supplier<Scenario>> all() {
        return List.of(TruncateScenarios::munmapVsTruncate, TruncateScenarios::munmapSplitVsTruncate, TruncateScenarios::faultVsTruncate,
                TruncateScenarios::madviseVsTruncate, TruncateScenarios::munmapVsTruncateVsStore,
                TruncateScenarios::madviseVsTruncateVsStore);
    }
}
