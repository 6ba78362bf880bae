package dev.mmcheck.specs.scenario;

import java.util.List;
import java.util.function.Supplier;

/** Scenarios for the maple-tree kernels of v6.1+: munmap (SEMANTICS.md 2.3; BUGS.md B16) and stack expansion (B18). */
public final class MapleScenarios {
    private MapleScenarios() {
    }

    /**
     * B16: munmap of [0x0000, 0x3000) over the mlocked VMA [0x0000, 0x2000) and into the VMA
     * [0x2000, 0x4000), with only two VMA objects: munmap gathers the mlocked VMA, then splitting
     * the second at 0x3000 fails with -ENOMEM. v6.1 has already subtracted the mlocked pages from
     * locked_vm and returns the error without adding them back (I3); the fix subtracts only at the
     * point of no return. T1 stores to 0x3000 meanwhile.
     */
    public static Scenario munmapEnomemAfterMlocked() {
        return Scenario.named("munmap-enomem-after-mlocked",
                        "T0 munmaps [0x0000, 0x3000) over the mlocked VMA [0x0000, 0x2000) and into [0x2000, 0x4000), with no VMA"
                                + " object left for the split at 0x3000 (-ENOMEM); T1 stores to 0x3000")
                .machine(Scenarios.twoCpus().withVmaSlots(2))
                .lockedVma(0, 2)
                .vma(2, 4)
                .mapped(0, 1, 3)
                .tlb(1, 3)
                .thread(0, Op.munmap(0, 3))
                .thread(1, Op.access(3));
    }

    /**
     * munmap of the mlocked VMA [0x0000, 0x1000) and the VMA [0x1000, 0x3000) with every tree
     * store that allocates allowed to fail with -ENOMEM (the side-tree store of each VMA; from
     * v6.4 the clear of the range): on v6.1 a failed store of the second VMA returns with the
     * first one's pages already gone from locked_vm (B16 by munmap_sidetree_failed); from v6.4
     * every error label marks the gathered VMAs attached again. T1 stores to 0x2000 meanwhile.
     */
    public static Scenario munmapTreeStoreEnomem() {
        return munmapWithFailingTreeStores(Scenario.named("munmap-tree-store-enomem",
                        "T0 munmaps the mlocked VMA [0x0000, 0x1000) and [0x1000, 0x3000) while any tree store may fail with"
                                + " -ENOMEM; T1 stores to 0x2000")
                .machine(Scenarios.twoCpus()))
                .thread(1, Op.access(2));
    }

    /**
     * munmap from inside a VMA with every tree store that allocates allowed to fail: T0 munmaps
     * [0x1000, 0x4000) across [0x0000, 0x2000) and [0x2000, 0x4000), so the first VMA is split at
     * 0x1000 before its part is stored in the side tree. Where that store's failure returns the
     * split's 0 (606c812eb1d5 without 6c26bd4384da) munmap returns 0 with the range still
     * mapped: I10. T1 stores to 0x3000 meanwhile.
     */
    public static Scenario munmapSplitThenStoreEnomem() {
        return Scenario.named("munmap-split-then-store-enomem",
                        "T0 munmaps [0x1000, 0x4000) across [0x0000, 0x2000) and [0x2000, 0x4000) while any tree store may fail"
                                + " with -ENOMEM; T1 stores to 0x3000")
                .machine(Scenarios.twoCpus())
                .vma(0, 2)
                .vma(2, 4)
                .mapped(1, 3)
                .tlb(1, 3)
                .treeStoresMayFail()
                .thread(0, Op.munmap(1, 4))
                .thread(1, Op.access(3));
    }

    /** The mlocked VMA [0x0000, 0x1000) and [0x1000, 0x3000), every tree store may fail, T0 munmaps both. */
    private static Scenario munmapWithFailingTreeStores(Scenario sc) {
        return sc.lockedVma(0, 1)
                .vma(1, 3)
                .mapped(0, 1)
                .tlb(1, 1)
                .treeStoresMayFail()
                .thread(0, Op.munmap(0, 3));
    }

    /**
     * munmap-tree-store-enomem with a fault in each VMA beside it (three CPUs): T1 stores to the
     * mlocked 0x0000's neighbour page 0x1000 and T2 to 0x2000, in the second VMA, while every
     * tree store munmap makes may fail. From v6.4 the faults meet the error path's VMAs gathered,
     * write-locked and detached, then attached again by the error labels (v6.12+:
     * reattach_vmas), or gone; v6.1 shows B16 here too. In the exhaustive profile, to keep the
     * default catalogue's time (its row of 18 releases: 16 s, up to 569,240 states).
     */
    public static Scenario munmapTreeStoreEnomemVsFaults3cpu() {
        return munmapWithFailingTreeStores(Scenario.named("munmap-tree-store-enomem-vs-faults-3cpu",
                        "T0 munmaps the mlocked VMA [0x0000, 0x1000) and [0x1000, 0x3000) while any tree store may fail with"
                                + " -ENOMEM; T1 stores to 0x1000 and T2 to 0x2000")
                .machine(Scenarios.threeCpus(3)))
                .thread(1, Op.access(1))
                .thread(2, Op.access(2))
                .exhaustiveOnly();
    }

    /**
     * StackRot (B18), the published interleaving: T0 stores to 0x1000, so the stack [0x2000,
     * 0x4000) grows down to abut the VM_GROWSDOWN VMA [0x0000, 0x1000) (no guard gap between two
     * stacks) and the store removes the gap entry from the tree's node; T1 madvise(DONTNEED)s
     * [0x2000, 0x3000), whose find_vma_prev walks the tree under the mmap read lock. In RCU mode
     * with the stack growing under the read lock (6.1.24 to 6.1.36, v6.3, v6.4) the node is
     * replaced and RCU-freed between T1's mas_walk and mas_prev: I7.
     */
    public static Scenario stackExpansionVsFindVmaPrev() {
        return Scenario.named("stack-expansion-vs-find-vma-prev",
                        "T0 stores to 0x1000, growing the stack [0x2000, 0x4000) to abut the VM_GROWSDOWN VMA [0x0000, 0x1000),"
                                + " while T1 madvise(DONTNEED)s [0x2000, 0x3000) (find_vma_prev under mmap_lock read)")
                .machine(Scenarios.twoCpus())
                .stackVma(0, 1)
                .stackVma(2, 4)
                .mapped(2)
                .thread(0, Op.access(1))
                .thread(1, Op.madviseDontneed(2, 3));
    }

    /**
     * Two faults grow the same stack: T0 and T1 both store to 0x1000 below the stack [0x2000,
     * 0x4000), which then abuts the VM_GROWSDOWN VMA [0x0000, 0x1000). Each expand_downwards
     * starts with mas_prev outside RCU, so one fault's tree store may replace the node the other
     * one's mas_prev has walked to (B18's second reader).
     */
    public static Scenario stackExpansionsRace() {
        return Scenario.named("stack-expansions-race",
                        "T0 and T1 both store to 0x1000, growing the stack [0x2000, 0x4000) to abut the VM_GROWSDOWN VMA"
                                + " [0x0000, 0x1000)")
                .machine(Scenarios.twoCpus())
                .stackVma(0, 1)
                .stackVma(2, 4)
                .thread(0, Op.access(1))
                .thread(1, Op.access(1));
    }

    /**
     * Three CPUs: T0 stores to 0x1000, growing the stack [0x2000, 0x4000) to abut the VM_GROWSDOWN
     * VMA [0x0000, 0x1000), T1 madvise(DONTNEED)s [0x2000, 0x3000) (find_vma_prev), and T2
     * munmaps [0x0000, 0x1000) below the growing stack. B2 shows on v4.20 to v5.4 (the munmap
     * downgrades next to the stack and frees the page table the fault fills), MT1 on v6.1, B18
     * on v6.1+3dd443254941; the fixed kernels hold.
     */
    public static Scenario stackExpansionVsMadviseVsMunmap3cpu() {
        return Scenario.named("stack-expansion-vs-madvise-vs-munmap-3cpu",
                        "T0 stores to 0x1000, growing the stack [0x2000, 0x4000) toward the VM_GROWSDOWN VMA [0x0000, 0x1000),"
                                + " T1 madvise(DONTNEED)s [0x2000, 0x3000), T2 munmaps [0x0000, 0x1000)")
                .machine(Scenarios.threeCpus(3))
                .stackVma(0, 1)
                .stackVma(2, 4)
                .mapped(0, 2)
                .thread(0, Op.access(1))
                .thread(1, Op.madviseDontneed(2, 3))
                .thread(2, Op.munmap(0, 1))
                .exhaustiveOnly(); // 2 to 9 M states where it holds (v6.6: 8.9 M)
    }

    public static List<Supplier<Scenario>> all() {
        return List.of(MapleScenarios::munmapEnomemAfterMlocked, MapleScenarios::munmapTreeStoreEnomem,
                MapleScenarios::munmapTreeStoreEnomemVsFaults3cpu, MapleScenarios::munmapSplitThenStoreEnomem,
                MapleScenarios::stackExpansionVsFindVmaPrev, MapleScenarios::stackExpansionsRace,
                MapleScenarios::stackExpansionVsMadviseVsMunmap3cpu);
    }
}
