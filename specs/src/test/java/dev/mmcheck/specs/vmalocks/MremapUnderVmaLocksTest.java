package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Findings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mremap on kernels with per-VMA locks (docs/model-mremap.md, "From v6.4"): move_vma write-locks
 * the old VMA before copy_vma, vma_link the new one before its tree store, the internal munmap
 * detaches the old VMA before the tree clear and frees it after an RCU grace period; and the
 * v6.15 order of locked_vm (finding F1).
 */
class MremapUnderVmaLocksTest {
    private static final Variant V6_6 = Variant.of(KernelVersion.V6_6);
    private static final Variant V6_12 = Variant.of(KernelVersion.V6_12);
    private static final Variant V6_18 = Variant.of(KernelVersion.V6_18);
    private static final Variant[] RELEASES = {V6_6, V6_12, V6_18};

    /** move_vma's vma_start_write waits for a fault that holds the old VMA's read lock (a VMA with an anon_vma, so 6.6 takes it too). */
    @Test
    void mremapWaitsForAFaultHoldingTheOldVmasLock() {
        for (Variant v : RELEASES) {
            VmaLockTest.reachable(v, MremapScenarios::mremapLocked, "T0's mremap waits for T1's fault in the old VMA",
                    (k, s) -> k.mm.faultVmaLocked.get(s, 1) == 1 && k.mm.vmaLockWriter.get(s, 0) == 1 && k.mm.semWriter.get(s) == 1);
        }
    }

    /** The new VMA is write-locked whenever it is in the tree while mremap holds mmap_lock: a lockless fault on it falls back. */
    @Test
    void theNewVmaIsWriteLockedWhileMremapRuns() {
        KernelInvariant locked = k -> Invariant.of(InvariantId.of("X2"), "mremap's new VMA is write-locked in the tree",
                s -> k.mm.semWriter.get(s) == 0 || k.mm.vmaInTree.get(s, 2) == 0 || k.mm.vmaWriteLocked.get(s, 2) == 1);
        for (Variant v : RELEASES) {
            VariantCheck.of(v).invariant(locked).on(MremapScenarios::mremapVsFaultAtTarget).assertHolds();
        }
    }

    /** The internal munmap marks the old VMA detached while it is still in the tree, then clears it; remove_vma waits for RCU readers. */
    @Test
    void theInternalMunmapDetachesTheOldVmaBeforeTheTreeClear() {
        for (Variant v : RELEASES) {
            VmaLockTest.reachable(v, MremapScenarios::mremapVsFault, "the old VMA detached and still in the tree",
                    (k, s) -> k.mm.vmaDetached.get(s, 0) == 1 && k.mm.vmaInTree.get(s, 0) == 1 && k.mm.semWriter.get(s) == 1);
        }
        VmaLockTest.reachable(V6_6, MremapScenarios::mremapVsFault, "the old VMA's free waits for an RCU reader",
                (k, s) -> k.mm.vmaRcuPending.get(s, 0) != 0);
    }

    /**
     * I9 watches the old range from the moment its PTEs moved until mremap is done with it, and
     * only then: the ghost range is set inside the call, empty whenever mmap_lock is not
     * write-held, and the old VMA's write lock keeps the fault out of it (I9 holds).
     */
    @Test
    void theMovedOldRangeIsWatchedUntilMremapEnds() {
        KernelInvariant onlyInsideTheCall = k -> Invariant.of(InvariantId.of("X3"), "the moved range is empty outside mremap",
                s -> k.mm.semWriter.get(s) == 1 || k.ghost.movedEnd.get(s) == k.ghost.movedStart.get(s));
        for (Variant v : new Variant[] {Variant.of(KernelVersion.V4_19), V6_6, V6_12, V6_18}) {
            VmaLockTest.reachable(v, MremapScenarios::mremapVsFault, "the old page moved, mremap still running",
                    (k, s) -> k.ghost.moved(s, 0) && k.mm.semWriter.get(s) == 1);
            VariantCheck.of(v).invariant(onlyInsideTheCall).on(MremapScenarios::mremapVsFault).assertHolds();
        }
    }

    /** MREMAP_DONTUNMAP clears VM_LOCKED on the kept VMA and unlinks its anon_vma, so its next fault prepares a new one. */
    @Test
    void dontunmapUnlinksTheOldAnonVma() {
        for (Variant v : RELEASES) {
            VmaLockTest.reachable(v, MremapScenarios::mremapDontunmapLocked, "the kept VMA has an anon_vma before the move",
                    (k, s) -> k.mm.mapCount.get(s) == 1 && k.mm.vmaAnonVma.get(s, 0) == 1);
            VmaLockTest.reachable(v, MremapScenarios::mremapDontunmapLocked, "the kept VMA lost VM_LOCKED and its anon_vma",
                    (k, s) -> k.mm.mapCount.get(s) == 2 && k.mm.semWriter.get(s) == 1 && k.mm.vmaLocked.get(s, 0) == 0
                            && k.mm.vmaAnonVma.get(s, 0) == 0);
        }
    }

    /**
     * F1: from b714ccb02a76 (v6.15) move_vma adds the moved pages to locked_vm before
     * dontunmap_complete clears VM_LOCKED on the kept VMA, so MREMAP_DONTUNMAP counts them
     * twice; v6.12, and v6.18 without the change, hold.
     */
    @Test
    void dontunmapOfALockedVmaCountsItTwiceFromV615() {
        VariantCheck.of(V6_18).on(MremapScenarios::mremapDontunmapLocked).assertViolates(KernelProperty.I3.id());
        VariantCheck.of(V6_18.without(Feature.MREMAP_LOCKED_VM_BEFORE_UNMAP)).on(MremapScenarios::mremapDontunmapLocked).assertHolds();
        VariantCheck.of(V6_12).on(MremapScenarios::mremapDontunmapLocked).assertHolds();
        assertTrue(Findings.all().stream().filter(f -> f.id().equals("F1")).findFirst().orElseThrow()
                .proposedFix().name().contains("b714ccb02a76"));
    }

    /** The move without MREMAP_DONTUNMAP stays exact on v6.18: the early addition is undone by the munmap before up_write. */
    @Test
    void theMoveScenariosHoldOnTheSixDotXReleases() {
        for (Variant v : RELEASES) {
            VariantCheck.of(v).on(MremapScenarios::mremapVsFault, MremapScenarios::mremapVsFaultAtTarget, MremapScenarios::mremapLocked,
                    ReclaimScenarios::reclaimVsMremap).assertHolds();
        }
    }

    /** mremap would prep REMAP and UNMAP events the model's Mremap has no steps for: refused by name. */
    @Test
    void mremapWithAMonitorIsRefused() {
        Scenario sc = Scenario.named("uffd-mremap", "mremap of a registered VMA")
                .machine(MachineConfig.small())
                .uffdVma(0, 1)
                .thread(0, Op.mremap(0, 1, 2))
                .uffdMonitor(1);
        VmaLockTest.refused(sc, V6_12, "MREMAP", "userfaultfd");
    }
}
