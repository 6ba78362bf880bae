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

    public static List<Supplier<Scenario>> all() {
        return List.of(VmaLockScenarios::faultsVsMunmap3cpu, VmaLockScenarios::faultVsMunmapEnomem, VmaLockScenarios::faultVsMlockSplit,
                VmaLockScenarios::fileFaultVsMunmap);
    }
}
