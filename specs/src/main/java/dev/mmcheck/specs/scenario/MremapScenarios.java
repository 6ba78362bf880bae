package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios of mremap and of the rmap zapper (a driver's unmap_mapping_range) that takes no
 * mmap_sem, on the small machine (4 pages, 2 per page table, 5 frames, 3 VMA objects).
 */
public final class MremapScenarios {
    private static final MachineConfig TWO_CPUS = MachineConfig.small();
    private static final MachineConfig THREE_CPUS = new MachineConfig(3, 3, 4, 2, 5, 3, 0, 7);

    private MremapScenarios() {
    }

    /**
     * mremap moves [0x0000, 0x1000) while the other thread faults on it. The VM_LOCKED neighbour
     * (not mergeable) keeps the old page table alive, so only move_ptes' own flush removes the
     * old translation.
     */
    public static Scenario mremapVsFault() {
        return Scenario.named("mremap-vs-fault-2cpu",
                        "T0 moves [0x0000, 0x1000) to 0x2000 with mremap while T1 stores to 0x0000; [0x1000, 0x2000) is VM_LOCKED")
                .machine(TWO_CPUS)
                .vma(0, 1).lockedVma(1, 2)
                .thread(0, Op.mremap(0, 1, 2)).thread(1, Op.access(0));
    }

    /**
     * mremap moves the present page [0x0000, 0x1000) to 0x2000 while T1 stores to 0x2000, the
     * new address: before copy_vma links the new VMA the store finds no VMA (SIGSEGV); after it,
     * from v6.4, a lockless fault finds the new VMA write-locked (vma_link) and falls back to
     * mmap_lock, so it never faults a page in where move_ptes is about to put the moved one.
     */
    public static Scenario mremapVsFaultAtTarget() {
        return Scenario.named("mremap-vs-fault-at-target-2cpu",
                        "T0 moves the present [0x0000, 0x1000) to 0x2000 with mremap while T1 stores to 0x2000; [0x1000, 0x2000) is VM_LOCKED")
                .machine(TWO_CPUS)
                .vma(0, 1).mapped(0).lockedVma(1, 2)
                .thread(0, Op.mremap(0, 1, 2)).thread(1, Op.access(2));
    }

    /**
     * Three CPUs: mremap moves the present [0x0000, 0x1000) to 0x2000 while T1 stores to the old
     * address and T2 to the new one; from v6.4 both faults may run under per-VMA locks, one in
     * the VMA mremap write-locks first, one in the VMA vma_link write-locks before storing it.
     * In the exhaustive profile.
     */
    public static Scenario mremapVsFaultsOldAndNew() {
        return Scenario.named("mremap-vs-faults-old-and-new-3cpu",
                        "T0 moves the present [0x0000, 0x1000) to 0x2000 with mremap while T1 stores to 0x0000 and T2 to 0x2000;"
                                + " [0x1000, 0x2000) is VM_LOCKED")
                .machine(THREE_CPUS)
                .vma(0, 1).mapped(0).lockedVma(1, 2)
                .thread(0, Op.mremap(0, 1, 2)).thread(1, Op.access(0)).thread(2, Op.access(2))
                .exhaustiveOnly(); // 0.6 to 1.2 million states per release
    }

    /** The same move of a VM_LOCKED VMA: locked_vm -= old_len in do_munmap, += new_len after it. */
    public static Scenario mremapLocked() {
        return Scenario.named("mremap-locked-vs-fault-2cpu",
                        "T0 moves the VM_LOCKED [0x0000, 0x2000) to 0x2000 while T1 stores to 0x1000")
                .machine(TWO_CPUS)
                .lockedVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.mremap(0, 2, 2)).thread(1, Op.access(1));
    }

    /** MREMAP_DONTUNMAP of a VM_LOCKED VMA: the old VMA stays, unlocked, and T1 faults in it again. */
    public static Scenario mremapDontunmapLocked() {
        return Scenario.named("mremap-dontunmap-locked-2cpu",
                        "T0 moves the VM_LOCKED [0x0000, 0x2000) to 0x2000 with MREMAP_DONTUNMAP while T1 stores to 0x0000")
                .machine(TWO_CPUS)
                .lockedVma(0, 2).mapped(0)
                .thread(0, Op.mremapDontunmap(0, 2, 2)).thread(1, Op.access(0));
    }

    /**
     * munmap of a VM_PFNMAP VMA while its driver revokes the mapping (unmap_mapping_range, no
     * mmap_sem) and reuses the device page: b67fbebd4cf9.
     */
    public static Scenario pfnmapMunmapVsRevoke() {
        return Scenario.named("pfnmap-munmap-vs-unmap-mapping-range-2cpu",
                        "T0 munmaps the VM_PFNMAP [0x0000, 0x2000) while T1 (the driver) revokes the device file and reuses its pfn; CPU1 caches 0x0000")
                .machine(TWO_CPUS)
                .pfnVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.unmapMappingRange());
    }

    /** mremap of a VM_PFNMAP page while the driver revokes the file and reuses the pfn: eb66ae030829. */
    public static Scenario pfnmapMremapVsRevoke() {
        return Scenario.named("pfnmap-mremap-vs-unmap-mapping-range-2cpu",
                        "T0 moves the VM_PFNMAP [0x0000, 0x1000) to 0x2000 while T1 (the driver) revokes the device file and reuses its pfn; CPU1 caches 0x0000")
                .machine(TWO_CPUS)
                .pfnVma(0, 1).mapped(0).tlb(1, 0)
                .thread(0, Op.mremap(0, 1, 2)).thread(1, Op.unmapMappingRange());
    }

    /** Three CPUs: munmap and the driver's revoke of a VM_PFNMAP page race a store to it from a third thread. */
    public static Scenario pfnmapMunmapVsRevokeVsStore() {
        return Scenario.named("pfnmap-munmap-vs-unmap-mapping-range-vs-store-3cpu",
                        "T0 munmaps the VM_PFNMAP [0x0000, 0x2000), T1 (the driver) revokes the device file and reuses its pfn, T2 stores to 0x0000")
                .machine(THREE_CPUS)
                .pfnVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.unmapMappingRange()).thread(2, Op.access(0));
    }

    /** Three CPUs: mremap of a VM_PFNMAP page, the driver's revoke, and a store to the old address. */
    public static Scenario pfnmapMremapVsRevokeVsStore() {
        return Scenario.named("pfnmap-mremap-vs-unmap-mapping-range-vs-store-3cpu",
                        "T0 moves the VM_PFNMAP [0x0000, 0x1000) to 0x2000, T1 (the driver) revokes the device file and reuses its pfn, T2 stores to 0x0000")
                .machine(THREE_CPUS)
                .pfnVma(0, 1).mapped(0).tlb(2, 0)
                .thread(0, Op.mremap(0, 1, 2)).thread(1, Op.unmapMappingRange()).thread(2, Op.access(0));
    }

    /** Every scenario of this class. */
    public static List<Supplier<Scenario>> all() {
        return List.of(MremapScenarios::mremapVsFault, MremapScenarios::mremapVsFaultAtTarget, MremapScenarios::mremapVsFaultsOldAndNew,
                MremapScenarios::mremapLocked,
                MremapScenarios::mremapDontunmapLocked,
                MremapScenarios::pfnmapMunmapVsRevoke, MremapScenarios::pfnmapMremapVsRevoke,
                MremapScenarios::pfnmapMunmapVsRevokeVsStore, MremapScenarios::pfnmapMremapVsRevokeVsStore);
    }
}
