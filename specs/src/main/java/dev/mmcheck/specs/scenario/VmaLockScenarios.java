package dev.mmcheck.specs.scenario;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios for per-VMA-lock page faults (v6.4+, docs/model-vma-locks.md): faults that take no
 * mmap_lock racing with munmap, on every release (before v6.4 the same faults take mmap_lock).
 */
public final class VmaLockScenarios {
    private VmaLockScenarios() {
    }

    /**
     * Two faults in the VMA munmap removes: each may lock the VMA before munmap write-locks it
     * (munmap then waits for it), find it write-locked or detached (and fall back to mmap_lock or
     * retry the walk), or find no VMA at all.
     */
    public static Scenario faultsVsMunmap3cpu() {
        return Scenario.named("vma-lock-faults-vs-munmap-3cpu",
                        "T0 munmaps [0x0000, 0x2000) while T1 stores to 0x1000 and T2 to 0x0000 in it")
                .machine(Scenarios.threeCpus(3))
                .vma(0, 2).vma(2, 4)
                .mapped(0)
                .tlb(2, 0)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(1))
                .thread(2, Op.access(0));
    }

    /**
     * munmap's error path under a per-VMA-lock fault: munmap gathers (write-locks and detaches)
     * the mlocked VMA [0x0000, 0x2000), then fails to split [0x2000, 0x4000) at 0x3000 (-ENOMEM,
     * no VMA object left) and must mark the gathered VMA attached again, while T1 faults in the
     * gathered VMA: it waits, falls back to mmap_lock, or retries the walk. v6.1 also shows B16
     * here (locked_vm).
     */
    public static Scenario faultVsMunmapEnomem() {
        return Scenario.named("vma-lock-fault-vs-munmap-enomem",
                        "T0 munmaps [0x0000, 0x3000) over the mlocked VMA [0x0000, 0x2000) and into [0x2000, 0x4000), with no VMA"
                                + " object left for the split at 0x3000 (-ENOMEM); T1 stores to 0x1000")
                .machine(Scenarios.twoCpus().withVmaSlots(2))
                .lockedVma(0, 2)
                .vma(2, 4)
                .mapped(0, 3)
                .tlb(1, 0)
                .thread(0, Op.munmap(0, 3))
                .thread(1, Op.access(1));
    }

    /**
     * mlock of the middle of a VMA a fault holds: mlock_fixup splits it twice (the original keeps
     * [0x1000, 0x2000)), so it must write-lock the VMA first, which waits for the fault at 0x3000.
     */
    public static Scenario faultVsMlockSplit() {
        return Scenario.named("vma-lock-fault-vs-mlock-split",
                        "T0 mlocks [0x1000, 0x2000) out of the VMA [0x0000, 0x4000) while T1 stores to 0x3000 in it")
                .machine(Scenarios.twoCpus())
                .vma(0, 4)
                .mapped(0)
                .thread(0, Op.mlock(1, 2))
                .thread(1, Op.access(3));
    }

    /**
     * A write fault on a shared file VMA while munmap removes it: from v6.4 the fault takes the
     * VMA lock, do_shared_fault gives it back with VM_FAULT_RETRY, and the fault runs again under
     * mmap_lock, where it finds the VMA or not, depending on munmap. CPU1 caches 0x0000.
     */
    public static Scenario fileFaultVsMunmap() {
        return Scenario.named("vma-lock-file-fault-vs-munmap",
                        "T0 stores to 0x1000 of the shared file mapping [0x0000, 0x2000) (not mapped: a shared file fault) while"
                                + " T1 munmaps it; CPU1 caches 0x0000")
                .machine(Scenarios.twoCpus())
                .fileVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.access(1))
                .thread(1, Op.munmap(0, 2));
    }

    /**
     * The first fault in a VMA that was never faulted (no anon_vma) while munmap removes it: to
     * v6.9 lock_vma_under_rcu refuses such a VMA and the fault takes mmap_lock; from v6.10 the
     * fault goes on under the VMA lock and vmf_anon_prepare try-locks mmap_lock, which fails while
     * munmap holds or waits for it, so the fault gives the VMA lock back (munmap's
     * vma_start_write may be waiting for it) and retries under mmap_lock.
     */
    public static Scenario firstFaultVsMunmap() {
        return Scenario.named("vma-lock-first-fault-vs-munmap",
                        "T0 stores to 0x1000 of [0x0000, 0x2000), never faulted (no anon_vma), while T1 munmaps it; CPU1 caches"
                                + " 0x2000 of [0x2000, 0x4000)")
                .machine(Scenarios.twoCpus())
                .vma(0, 2).vma(2, 4)
                .mapped(2).tlb(1, 2)
                .thread(0, Op.access(1))
                .thread(1, Op.munmap(0, 2));
    }

    /**
     * Two first faults, in the VMA munmap removes and in its neighbour, neither faulted before:
     * each may set up its anon_vma under the VMA lock (the trylock succeeds), retry under
     * mmap_lock (it fails while munmap holds or waits for mmap_lock), or fall back at once.
     */
    public static Scenario firstFaultsVsMunmap3cpu() {
        return Scenario.named("vma-lock-first-faults-vs-munmap-3cpu",
                        "T0 munmaps [0x0000, 0x2000) while T1 stores to 0x1000 in it and T2 to 0x2000 in [0x2000, 0x4000); neither"
                                + " VMA was faulted before (no anon_vma)")
                .machine(Scenarios.threeCpus(3))
                .vma(0, 2).vma(2, 4)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(1))
                .thread(2, Op.access(2))
                .exhaustiveOnly(); // 0.37-2.2 M states, all hold (v4.12: 0.37 M, v6.12: 2.18 M, v6.18: 2.08 M)
    }

    /**
     * A fault in the neighbour of the VMA munmap removes, sharing its page table, where the
     * neighbour was faulted before (its anon_vma is set up), so that from v6.4 the fault really
     * runs under the neighbour's VMA lock and no mmap_lock (in munmap-vs-fault-neighbour the
     * neighbour has no anon_vma, and before v6.10 such a fault falls back to mmap_lock): munmap
     * never write-locks the neighbour, so the two meet only at the shared page table, which
     * free_pgtables must keep (the neighbour's range is its ceiling) while the fault fills it.
     */
    public static Scenario faultInNeighbourVsMunmap() {
        return Scenario.named("vma-lock-fault-in-neighbour-vs-munmap",
                        "T0 munmaps [0x0000, 0x1000) while T1 stores to 0x1000 in the neighbouring VMA [0x1000, 0x4000), faulted"
                                + " before at 0x3000 (anon_vma set up), which shares the page table")
                .machine(Scenarios.twoCpus())
                .vma(0, 1).vma(1, 4)
                .mapped(0, 3)
                .tlb(0, 0)
                .tlb(1, 3)
                .thread(0, Op.munmap(0, 1))
                .thread(1, Op.access(1));
    }

    /**
     * A VMA object freed by one munmap and reused by another while a fault still holds a pointer
     * to it from its RCU walk: from v6.15 the VMA slab is SLAB_TYPESAFE_BY_RCU, so T1's munmap
     * frees [0x0000, 0x2000) at once and T2's split of [0x2000, 0x4000) at 0x3000 may take the
     * same object for [0x2000, 0x3000) (two VMA objects: the split has no other). The fault's
     * increment of vm_refcnt then succeeds on the reused VMA, and only the address check after it
     * sends the fault back to mmap_lock. Before v6.15 the object waits for the fault's RCU
     * section to end, and the split fails with -ENOMEM meanwhile.
     */
    public static Scenario vmaReuseVsFault3cpu() {
        return Scenario.named("vma-reuse-vs-fault-3cpu",
                        "T0 stores to 0x1000 in [0x0000, 0x2000) while T1 munmaps that VMA and T2 munmaps [0x3000, 0x4000) out of"
                                + " [0x2000, 0x4000); two VMA objects")
                .machine(Scenarios.threeCpus(3).withVmaSlots(2))
                .vma(0, 2).vma(2, 4)
                .mapped(0)
                .thread(0, Op.access(1))
                .thread(1, Op.munmap(0, 2))
                .thread(2, Op.munmap(3, 4));
    }

    public static List<Supplier<Scenario>> all() {
        return List.of(VmaLockScenarios::faultsVsMunmap3cpu, VmaLockScenarios::faultVsMunmapEnomem, VmaLockScenarios::faultVsMlockSplit,
                VmaLockScenarios::fileFaultVsMunmap, VmaLockScenarios::firstFaultVsMunmap, VmaLockScenarios::firstFaultsVsMunmap3cpu,
                VmaLockScenarios::vmaReuseVsFault3cpu, VmaLockScenarios::faultInNeighbourVsMunmap);
    }
}
