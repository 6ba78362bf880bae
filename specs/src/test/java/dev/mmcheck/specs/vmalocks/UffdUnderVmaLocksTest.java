package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.MmapFixedScenarios;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * userfaultfd on kernels with per-VMA locks (docs/model-vma-locks.md, "userfaultfd"): a
 * userfault under the VMA lock (v6.6+), the UNMAP event prepped per VMA inside munmap's gather
 * (v6.5+), and from v6.9 UFFDIO_COPY under the destination VMA's read lock with
 * ctx->map_changing_lock.
 */
class UffdUnderVmaLocksTest {
    private static final Variant V6_6 = Variant.of(KernelVersion.V6_6);
    private static final Variant V6_12 = Variant.of(KernelVersion.V6_12);
    private static final Variant V6_18 = Variant.of(KernelVersion.V6_18);

    /**
     * The fault finds the registered VMA with lock_vma_under_rcu and queues its message holding
     * only the VMA's read lock; release_fault_lock gives it back before the thread sleeps. (On
     * v6.6 lock_vma_under_rcu refuses the registered VMA while it has no anon_vma, so its first
     * fault takes mmap_lock.)
     */
    @Test
    void aUserfaultQueuesUnderTheVmaLockAndSleepsWithoutIt() {
        for (Variant v : new Variant[] {V6_12, V6_18}) {
            VmaLockTest.reachable(v, UffdScenarios::faultResolvedByMonitor, "T0 queued its userfault under the VMA lock",
                    (k, s) -> k.userfaultfd.fault.get(s, 0) == Userfaultfd.FAULT_QUEUED && k.mm.faultVmaLocked.get(s, 0) != Mm.NONE
                            && k.mm.semReaders.get(s) == 0);
            VmaLockTest.reachable(v, UffdScenarios::faultResolvedByMonitor, "T0 sleeps in handle_userfault holding no lock",
                    (k, s) -> k.userfaultfd.fault.get(s, 0) == Userfaultfd.FAULT_READ && k.mm.faultVmaLocked.get(s, 0) == Mm.NONE
                            && k.mm.vmaLockReaders.get(s, 0) == (k.mm.faultVmaLocked.get(s, 1) == 1 ? 1 : 0)
                            && k.mm.semReaders.get(s) == 0);
        }
    }

    /** From v6.9 the copy installs holding the VMA's read lock and map_changing_lock for read, not mmap_lock. */
    @Test
    void theCopyInstallsUnderTheVmaLockFromV69() {
        for (Variant v : new Variant[] {V6_12, V6_18}) {
            VmaLockTest.reachable(v, UffdScenarios::faultResolvedByMonitor, "the monitor's copy holds the VMA lock and map_changing_lock",
                    (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.userfaultfd.mapChangingReaders.get(s) == 1
                            && k.mm.semReaders.get(s) == 0);
        }
        assertNull(ScenarioModel.compile(UffdScenarios.faultResolvedByMonitor(), V6_6).kernel().userfaultfd.mapChangingReaders,
                "v6.6 has no map_changing_lock");
        assertNotNull(ScenarioModel.compile(UffdScenarios.faultResolvedByMonitor(), V6_12).kernel().userfaultfd.mapChangingReaders);
    }

    /** A VMA without anon_vma sends the copy to uffd_lock_vma's mmap_lock path, which prepares it and read-locks the VMA. */
    @Test
    void theCopyFallsBackToMmapLockForAnAnonVma() {
        VmaLockTest.reachable(V6_12, UffdScenarios::munmapVsBackgroundCopy, "the copy read-locks the VMA under mmap_lock",
                (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.mm.semReaders.get(s) == 1);
    }

    /** munmap's UNMAP prep waits for map_changing_lock while the copy into another VMA holds it for read. */
    @Test
    void theUnmapPrepWaitsForACopyHoldingMapChangingLock() {
        for (Variant v : new Variant[] {V6_12, V6_18}) {
            VmaLockTest.reachable(v, UffdScenarios::munmapVsCopyOtherVma, "T0 queued for map_changing_lock behind the copy",
                    (k, s) -> k.userfaultfd.mapChangingWriters.get(s) == 1 && k.userfaultfd.mapChangingReaders.get(s) == 1);
        }
    }

    /** On v6.6 the UNMAP event is prepped inside the gather loop, with the VMA detached and still in the mm's tree. */
    @Test
    void theUnmapEventIsPreppedInsideTheGatherFromV65() {
        VmaLockTest.reachable(V6_6, UffdScenarios::munmapVsBackgroundCopy, "prepped with the VMA detached and still in the tree",
                (k, s) -> k.userfaultfd.event.get(s, 0) == Userfaultfd.EVENT_PREPPED && k.mm.vmaInSideTree.get(s, 0) == 1
                        && k.mm.vmaInTree.get(s, 0) == 1);
    }

    /**
     * UFFDIO_REGISTER write-locks the VMA it splits and flags (v6.4+): it waits for a fault that
     * holds the VMA's read lock, and the halves of its splits are write-locked from their creation.
     */
    @Test
    void registrationWaitsForAFaultHoldingTheVmaLock() {
        for (Variant v : new Variant[] {V6_6, V6_12, V6_18}) {
            VmaLockTest.reachable(v, UffdRegisterScenarios::registerVsFault, "T0's registration waits for T1's fault",
                    (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.mm.vmaLockWriter.get(s, k.mm.faultVmaLocked.get(s, 1) - 1) == 1);
        }
        VmaLockTest.reachable(V6_12, UffdRegisterScenarios::registerVsFault, "a split half is write-locked before the flags are set",
                (k, s) -> k.mm.mapCount.get(s) == 3 && k.mm.vmaWriteLocked.get(s, 1) == 1 && k.mm.vmaUffdMissing.get(s, 0) == 0);
    }

    /**
     * MAP_FIXED over part of a registered VMA, on v6.12 and v6.18: its gather preps an UNMAP event
     * for the registered part it replaces, delivered after mmap_write_unlock; the monitor's copy
     * lands in the old VMA first, or finds the event prepped. Both are reached, and it holds.
     */
    @Test
    void mapFixedOverARegisteredRangePrepsAnUnmapEvent() {
        for (Variant v : new Variant[] {V6_12, V6_18}) {
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedVsUffdCopy,
                    "mmap's gather prepped an UNMAP event and still holds the write lock",
                    (k, s) -> k.userfaultfd.event.get(s, 0) != Userfaultfd.WQ_NONE && k.mm.semWriter.get(s) == 1
                            && k.mm.vmaInSideTree.get(s, 0) == 1);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedVsUffdCopy,
                    "the copy mapped 0x0000 in the old registered VMA before mmap's gather",
                    (k, s) -> k.machine.pte.get(s, 0) != dev.mmcheck.model.machine.Machine.NONE && k.mm.vmaInTree.get(s, 0) == 1
                            && k.mm.vmaUffdMissing.get(s, 0) == 1 && k.mm.vmaInSideTree.get(s, 0) == 0);
            VariantCheck.of(v).on(MmapFixedScenarios::mmapFixedVsUffdCopy).assertHolds();
        }
    }

    /** Every userfaultfd scenario holds on v6.6, v6.12 and v6.18. */
    @Test
    void theUserfaultfdScenariosHoldOnTheSixReleases() {
        for (Variant v : new Variant[] {V6_6, V6_12, V6_18}) {
            VariantCheck.of(v).on(UffdScenarios::faultResolvedByMonitor, UffdScenarios::munmapVsBackgroundCopy,
                    UffdScenarios::munmapVsCopyOtherVma, UffdScenarios::copyRetryVsMunmap, UffdScenarios::dontneedVsBackgroundCopy)
                    .assertHolds();
        }
    }
}
