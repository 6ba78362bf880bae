package dev.mmcheck.specs.scenario;

import java.util.List;
import java.util.function.Supplier;

/**
 * mmap(MAP_FIXED) over a mapped range, as v6.12 does it (docs/model-vma-locks.md, "MAP_FIXED"):
 * the old VMA is write-locked and detached while it stays in the tree, its PTEs cleared, the new
 * VMA stored over it in one store, then the old one completed. Runs from v6.12.
 */
public final class MmapFixedScenarios {
    private MmapFixedScenarios() {
    }

    /**
     * A fault in the range mmap(MAP_FIXED) replaces: the fault may hold the old VMA (mmap's
     * vma_start_write waits for it), find it write-locked (and fall back to mmap_lock, then
     * fault in the new VMA), or find the new VMA write-locked. CPU1 caches 0x0000 of the old
     * mapping, which mmap's flush must remove before it returns (I2).
     */
    public static Scenario mmapFixedVsFault() {
        return Scenario.named("mmap-fixed-vs-fault",
                        "T0 mmaps a fresh anonymous mapping with MAP_FIXED over the VMA [0x0000, 0x2000) while T1 stores to"
                                + " 0x1000 in it; CPU1 caches 0x0000")
                .machine(Scenarios.twoCpus())
                .vma(0, 2).vma(3, 4)
                .mapped(0, 3)
                .tlb(1, 0)
                .thread(0, Op.mmapFixed(0, 2))
                .thread(1, Op.access(1));
    }

    /**
     * Three CPUs: mmap(MAP_FIXED) over [0x0000, 0x2000) while T1 stores to 0x1000 (a fault) and
     * T2 to 0x0000, which CPU2 may still reach through its TLB entry of the old mapping until
     * mmap's flush; CPU1 caches 0x0000 too.
     */
    public static Scenario mmapFixedVsFaults3cpu() {
        return Scenario.named("mmap-fixed-vs-faults-3cpu",
                        "T0 mmaps over [0x0000, 0x2000) with MAP_FIXED while T1 stores to 0x1000 and T2 to 0x0000; CPU1 and"
                                + " CPU2 cache 0x0000")
                .machine(Scenarios.threeCpus(3))
                .vma(0, 2).vma(3, 4)
                .mapped(0)
                .tlb(1, 0).tlb(2, 0)
                .thread(0, Op.mmapFixed(0, 2))
                .thread(1, Op.access(1))
                .thread(2, Op.access(0));
    }

    /**
     * mmap(MAP_FIXED) over two VMAs while every tree store that allocates may fail with -ENOMEM:
     * the side-tree store of the second VMA (munmap_gather_failed: the first is attached again,
     * nothing unmapped), or vma_iter_prealloc of the new VMA after the old PTEs were cleared
     * (vms_abort_munmap_vmas stores NULL over the range and completes the old VMAs: -ENOMEM with
     * a gap). T1 stores to 0x1000 meanwhile; CPU1 caches 0x0000.
     */
    public static Scenario mmapFixedEnomemVsFault() {
        return Scenario.named("mmap-fixed-enomem-vs-fault",
                        "T0 mmaps with MAP_FIXED over the VMAs [0x0000, 0x1000) and [0x1000, 0x2000) while any tree store may"
                                + " fail with -ENOMEM; T1 stores to 0x1000; CPU1 caches 0x0000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .vma(0, 1).vma(1, 2).vma(3, 4)
                .mapped(0, 3)
                .tlb(1, 0)
                .treeStoresMayFail()
                .thread(0, Op.mmapFixed(0, 2))
                .thread(1, Op.access(1));
    }

    /**
     * mmap(MAP_FIXED) over the middle page of the mlocked VMA [0x0000, 0x3000): the gather splits
     * it at 0x1000 and at 0x2000 (each split write-locks the VMA and its new part), gathers the
     * middle, and the new VMA, not VM_LOCKED, merges with neither part, so locked_vm must drop
     * by the one gathered page (I3). T1 stores to 0x1000 meanwhile, through CPU1's TLB entry of
     * the old page until mmap's flush, then by a fault in the old VMA or the new one.
     */
    public static Scenario mmapFixedSplitMlockedVsFault() {
        return Scenario.named("mmap-fixed-split-mlocked-vs-fault",
                        "T0 mmaps with MAP_FIXED over [0x1000, 0x2000), in the middle of the mlocked VMA [0x0000, 0x3000), while"
                                + " T1 stores to 0x1000; CPU1 caches 0x1000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .lockedVma(0, 3)
                .mapped(0, 1, 2)
                .tlb(1, 1)
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(1));
    }

    /**
     * Three CPUs: as {@link #mmapFixedSplitMlockedVsFault()}, and T2 stores to 0x2000, in the part
     * above the range, which the split at 0x2000 write-locks while T2's fault may hold it.
     */
    public static Scenario mmapFixedSplitMlockedVsFaults3cpu() {
        return Scenario.named("mmap-fixed-split-mlocked-vs-faults-3cpu",
                        "T0 mmaps with MAP_FIXED over [0x1000, 0x2000), in the middle of the mlocked VMA [0x0000, 0x3000), while"
                                + " T1 stores to 0x1000 and T2 to 0x2000; CPU1 caches 0x1000")
                .machine(Scenarios.threeCpus(3).withVmaSlots(4))
                .lockedVma(0, 3)
                .mapped(0, 1)
                .tlb(1, 1)
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(1))
                .thread(2, Op.access(2))
                .exhaustiveOnly(); // about 1 M states or more
    }

    /**
     * mmap(MAP_FIXED) over the middle page of the VMA [0x0000, 0x3000): the gather splits it at
     * both ends, and vma_merge_new_range merges the new range with both parts again (prev
     * expanded to [0x0000, 0x3000), next removed: vma_expand, commit_merge, vma_complete). T1
     * stores to 0x2000 meanwhile (a fault in the old VMA, its upper part or the merged VMA);
     * CPU1 caches 0x1000 of the old mapping.
     */
    public static Scenario mmapFixedSplitMergeVsFault() {
        return Scenario.named("mmap-fixed-split-merge-vs-fault",
                        "T0 mmaps with MAP_FIXED over [0x1000, 0x2000), in the middle of the VMA [0x0000, 0x3000), which merges"
                                + " back into one VMA, while T1 stores to 0x2000; CPU1 caches 0x1000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .vma(0, 3)
                .mapped(0, 1)
                .tlb(1, 1)
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(2));
    }

    /**
     * As {@link #mmapFixedSplitMergeVsFault()}, with every tree store that allocates allowed to
     * fail with -ENOMEM: the gather's side-tree store (nothing unmapped), commit_merge's
     * preallocation (no merge: a new VMA between the two parts), or the new VMA's store after
     * that (vms_abort_munmap_vmas: a gap).
     */
    public static Scenario mmapFixedSplitMergeEnomemVsFault() {
        return Scenario.named("mmap-fixed-split-merge-enomem-vs-fault",
                        "T0 mmaps with MAP_FIXED over [0x1000, 0x2000), in the middle of the VMA [0x0000, 0x3000), while any"
                                + " tree store may fail with -ENOMEM; T1 stores to 0x2000; CPU1 caches 0x1000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .vma(0, 3)
                .mapped(0, 1)
                .tlb(1, 1)
                .treeStoresMayFail()
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(2));
    }

    /**
     * mmap(MAP_FIXED) into the gap [0x1000, 0x2000) beside the VMA [0x0000, 0x1000): nothing to
     * gather or clear; vma_merge_new_range expands that VMA over the gap (its vma_start_write
     * waits for T1's fault in it), or, where commit_merge's preallocation fails, a new VMA is
     * stored, whose own failure returns -ENOMEM at once (vms_abort_munmap_vmas has nothing to do).
     */
    public static Scenario mmapFixedIntoGapVsFault() {
        return Scenario.named("mmap-fixed-into-gap-vs-fault",
                        "T0 mmaps with MAP_FIXED into the gap [0x1000, 0x2000) beside the VMA [0x0000, 0x1000) while any tree"
                                + " store may fail with -ENOMEM; T1 stores to 0x0000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .vma(0, 1).vma(3, 4)
                .mapped(0, 3)
                .treeStoresMayFail()
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(0));
    }

    /**
     * mmap(MAP_FIXED) over the whole VMA [0x1000, 0x2000) beside the VMA [0x0000, 0x1000), which
     * vma_merge_new_range expands over the range: vma_expand's vma_start_write waits for T1's
     * fault at 0x0000 under that VMA's lock. CPU1 caches 0x1000 of the old mapping.
     */
    public static Scenario mmapFixedMergeNeighbourVsFault() {
        return Scenario.named("mmap-fixed-merge-neighbour-vs-fault",
                        "T0 mmaps with MAP_FIXED over the VMA [0x1000, 0x2000), which merges with the VMA [0x0000, 0x1000)"
                                + " below it, while T1 stores to 0x0000; CPU1 caches 0x1000")
                .machine(Scenarios.twoCpus().withVmaSlots(4))
                .vma(0, 1).vma(1, 2).vma(3, 4)
                .mapped(1, 3)
                .tlb(1, 1)
                .thread(0, Op.mmapFixed(1, 2))
                .thread(1, Op.access(0));
    }

    /**
     * mmap(MAP_FIXED) over the lower page of the userfaultfd-registered VMA [0x0000, 0x2000): the
     * gather splits it at 0x1000 and preps an UNMAP event for the registered part it gathers
     * (userfaultfd_unmap_prep, raising mmap_changing; from v6.9 under map_changing_lock), which
     * vm_mmap_pgoff delivers after mmap_write_unlock. T1, the monitor, copies 0x0000 in the
     * background meanwhile: into the old VMA under its VMA lock (which the gather's
     * vma_start_write waits for), or -EAGAIN once the event is prepped, or -ENOENT in the new,
     * unregistered VMA.
     */
    public static Scenario mmapFixedVsUffdCopy() {
        return Scenario.named("mmap-fixed-vs-uffd-copy",
                        "T0 mmaps with MAP_FIXED over [0x0000, 0x1000) of the userfaultfd-registered VMA [0x0000, 0x2000);"
                                + " T1, the monitor, copies 0x0000 in the background")
                .machine(Scenarios.twoCpus())
                .uffdVma(0, 2)
                .thread(0, Op.mmapFixed(0, 1))
                .uffdMonitor(1, 0);
    }

    /**
     * mmap(MAP_FIXED) over the shared file mapping [0x0000, 0x2000) while T1 truncates the file:
     * vms_clean_up_area clears the old PTEs while the old VMA is still in the tree and in the
     * file's i_mmap ("so that rmap cannot race with the freeing later in the truncate scenario",
     * 6.12.0 mm/mmap.c 1419-1424), free_pgtables unlinks it from i_mmap, then the new anonymous
     * VMA is stored over it. CPU1 caches 0x0000 of the file page.
     */
    public static Scenario mmapFixedFileVsTruncate() {
        return Scenario.named("mmap-fixed-file-vs-truncate-2cpu",
                        "T0 mmaps with MAP_FIXED over the shared file mapping [0x0000, 0x2000) while T1 truncates the file to 0;"
                                + " CPU1 caches 0x0000")
                .machine(Scenarios.twoCpus())
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.mmapFixed(0, 2))
                .thread(1, Op.truncate(0));
    }

    /**
     * Three CPUs: as {@link #mmapFixedFileVsTruncate()} over the first page only (the file VMA is
     * split at 0x1000 under i_mmap_rwsem), and T2 stores to 0x1000, in the part that stays a
     * mapping of the file, which truncate zaps.
     */
    public static Scenario mmapFixedSplitFileVsTruncateVsStore() {
        return Scenario.named("mmap-fixed-split-file-vs-truncate-vs-store-3cpu",
                        "T0 mmaps with MAP_FIXED over [0x0000, 0x1000) of the shared file mapping [0x0000, 0x2000) while T1"
                                + " truncates the file to 0 and T2 stores to 0x1000; CPU1 caches 0x0000")
                .machine(Scenarios.threeCpus(3))
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.mmapFixed(0, 1))
                .thread(1, Op.truncate(0))
                .thread(2, Op.access(1))
                .exhaustiveOnly(); // about 0.74 M states
    }

    /**
     * mmap(MAP_FIXED) over the VM_PFNMAP mapping [0x0000, 0x2000) of the device file while T1,
     * the driver, revokes the file (unmap_mapping_range) and reuses its pfn: the gather's
     * vms_clear_ptes must flush the old PFN translation before free_pgtables unlinks the VMA
     * from i_mmap (b67fbebd4cf9; from v6.15 in tlb_free_vmas), or CPU1 keeps reaching the pfn
     * after the driver reused it. CPU1 caches 0x0000.
     */
    public static Scenario mmapFixedPfnmapVsRevoke() {
        return Scenario.named("mmap-fixed-pfnmap-vs-unmap-mapping-range-2cpu",
                        "T0 mmaps with MAP_FIXED over the VM_PFNMAP [0x0000, 0x2000) while T1 (the driver) revokes the device"
                                + " file and reuses its pfn; CPU1 caches 0x0000")
                .machine(Scenarios.twoCpus())
                .pfnVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.mmapFixed(0, 2))
                .thread(1, Op.unmapMappingRange());
    }

    public static List<Supplier<Scenario>> all() {
        return List.of(MmapFixedScenarios::mmapFixedVsFault, MmapFixedScenarios::mmapFixedVsFaults3cpu,
                MmapFixedScenarios::mmapFixedEnomemVsFault, MmapFixedScenarios::mmapFixedSplitMlockedVsFault,
                MmapFixedScenarios::mmapFixedSplitMlockedVsFaults3cpu, MmapFixedScenarios::mmapFixedSplitMergeVsFault,
                MmapFixedScenarios::mmapFixedMergeNeighbourVsFault, MmapFixedScenarios::mmapFixedSplitMergeEnomemVsFault,
                MmapFixedScenarios::mmapFixedIntoGapVsFault, MmapFixedScenarios::mmapFixedVsUffdCopy,
                MmapFixedScenarios::mmapFixedFileVsTruncate, MmapFixedScenarios::mmapFixedSplitFileVsTruncateVsStore,
                MmapFixedScenarios::mmapFixedPfnmapVsRevoke);
    }
}
