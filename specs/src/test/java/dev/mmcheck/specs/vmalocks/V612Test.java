package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.MmapFixedScenarios;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v6.12 (docs/model-vma-locks.md, "v6.12"): a first anonymous fault under the VMA lock with
 * vmf_anon_prepare's mmap_lock trylock, and munmap's steps cited in mm/vma.c's two halves.
 */
class V612Test {
    private static final Variant V6_12 = Variant.of(KernelVersion.V6_12);

    /** T0's first fault sets up the VMA's anon_vma and installs its page holding only the VMA's read lock. */
    @Test
    void aFirstFaultSetsUpItsAnonVmaUnderTheVmaLock() {
        reachable(VmaLockScenarios::firstFaultVsMunmap, "anon_vma set up under the VMA lock alone",
                (k, s) -> k.mm.faultVmaLocked.get(s, 0) != Mm.NONE && k.mm.vmaAnonVma.get(s, 0) == 1 && k.mm.semReaders.get(s) == 0
                        && k.machine.pte.get(s, 1) != Machine.NONE);
    }

    /** On v6.6 the same VMA is refused by lock_vma_under_rcu: its anon_vma is only ever set under mmap_lock. */
    @Test
    void v66SetsUpAnonVmaOnlyUnderMmapLock() {
        KernelInvariant underVmaLock = k -> Invariant.of(InvariantId.of("X2"), "anon_vma only under mmap_lock",
                s -> !(k.mm.faultVmaLocked.get(s, 0) != Mm.NONE && k.mm.vmaAnonVma.get(s, 0) == 1));
        VariantCheck.of(KernelVersion.V6_6).invariant(underVmaLock).on(VmaLockScenarios::firstFaultVsMunmap).assertHolds();
    }

    /** Without vma_end_read on a failed trylock the fault keeps the VMA lock munmap waits for: a deadlock. */
    @Test
    void aFailedTrylockMustGiveTheVmaLockBack() {
        Result r = VmaLockTest.checkMutant("mutant-anon-prepare-retry-keeps-vma-lock");
        assertEquals(Verdict.DEADLOCK, r.verdict(), r.summary());
        assertTrue(r.trace().steps().stream().anyMatch(st -> !st.isInitial()
                && st.transition().title().contains(PageFault.ANON_PREPARE.label())), r.summary());
        // The munmap steps of the trace cite the v6.12 halves in mm/vma.c.
        assertTrue(r.trace().steps().stream().anyMatch(st -> !st.isInitial()
                && st.transition().source().contains("mm/vma.c:vms_gather_munmap_vmas")), r.summary());
    }

    @Test
    void v612HoldsOnFaultsAgainstMunmapAndItsErrorPaths() {
        VariantCheck.of(V6_12).on(VmaLockScenarios::firstFaultVsMunmap, Scenarios::munmapVsFaultSameVma, Scenarios::munmapVsFaultSharedTable,
                VmaLockScenarios::faultVsMunmapEnomem, MapleScenarios::munmapEnomemAfterMlocked, MapleScenarios::munmapTreeStoreEnomem,
                Scenarios::munmapNextToGrowingStack).assertHolds();
    }

    /**
     * v6.7+: a shared file fault runs under the VMA lock (no VM_FAULT_RETRY): it maps the page
     * holding only the VMA's read lock, and the file scenarios hold on v6.12.
     */
    @Test
    void aSharedFileFaultRunsUnderTheVmaLock() {
        BiPredicate<Kernel, long[]> underVmaLock = (k, s) -> k.mm.faultVmaLocked.get(s, 0) != Mm.NONE && k.mm.semReaders.get(s) == 0
                && k.machine.pte.get(s, 1) != Machine.NONE;
        reachable(VmaLockScenarios::fileFaultVsMunmap, "the file fault maps 0x1000 under the VMA lock alone", underVmaLock);
        KernelInvariant retried = k -> Invariant.of(InvariantId.of("X4"), "v6.6 maps file pages under mmap_lock only",
                s -> !underVmaLock.test(k, s));
        VariantCheck.of(KernelVersion.V6_6).invariant(retried).on(VmaLockScenarios::fileFaultVsMunmap).assertHolds();
        VariantCheck.of(V6_12).on(VmaLockScenarios::fileFaultVsMunmap, TruncateScenarios::faultVsTruncate,
                TruncateScenarios::munmapVsTruncate).assertHolds();
    }

    /** mmap(MAP_FIXED) in 6.12's form holds against faults, and the range is never a gap in the tree. */
    @Test
    void mmapFixedNeverLeavesAGapAndHolds() {
        KernelInvariant noGap = k -> Invariant.of(InvariantId.of("X3"), "0x0000 and 0x1000 always covered by a VMA in the tree",
                s -> k.mm.findInTree(s, 0) != Mm.NONE && k.mm.vmStart(s, k.mm.findInTree(s, 0)) == 0
                        && k.mm.findInTree(s, 1) != Mm.NONE && k.mm.vmStart(s, k.mm.findInTree(s, 1)) <= 1);
        VariantCheck.of(V6_12).invariant(noGap).on(MmapFixedScenarios::mmapFixedVsFault, MmapFixedScenarios::mmapFixedVsFaults3cpu)
                .assertHolds();
        reachable(MmapFixedScenarios::mmapFixedVsFault, "mmap waits in vma_start_write for the fault's read lock",
                (k, s) -> k.mm.vmaLockWriter.get(s, 0) == 1 && k.mm.vmaLockReaders.get(s, 0) == 1);
        reachable(MmapFixedScenarios::mmapFixedVsFault, "the fault maps 0x1000 in the new VMA",
                (k, s) -> k.mm.vmaInTree.get(s, 0) == 0 && k.machine.pte.get(s, 1) != Machine.NONE);
    }

    /**
     * MAP_FIXED's error paths with injected -ENOMEM, on v6.12 and v6.18: a failed side-tree store
     * in the gather gives the VMAs back (nothing unmapped); a failed vma_iter_prealloc after the old
     * PTEs were cleared leaves a gap (vms_abort_munmap_vmas). Both are reached and hold; an abort
     * that skips its NULL store frees VMAs that are still in the tree.
     */
    @Test
    void mmapFixedErrorPathsReattachOrLeaveAGap() {
        for (Variant v : List.of(V6_12, Variant.of(KernelVersion.V6_18))) {
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedEnomemVsFault, "the gather failed and gave the VMAs back",
                    (k, s) -> k.locals(0).failed.get(s) == 1 && k.mm.semWriter.get(s) == 0
                            && k.mm.vmaInTree.get(s, 0) == 1 && k.mm.vmaDetached.get(s, 0) == 0
                            && k.mm.vmaInTree.get(s, 1) == 1 && k.mm.vmaDetached.get(s, 1) == 0);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedEnomemVsFault, "the abort left a gap",
                    (k, s) -> k.locals(0).failed.get(s) == 1 && k.mm.semWriter.get(s) == 0 && gapAt(k, s, 0) && gapAt(k, s, 1));
            VariantCheck.of(v).on(MmapFixedScenarios::mmapFixedEnomemVsFault).assertHolds();
        }
        Violation broken = VariantCheck.of(V6_12).replaceEffect(dev.mmcheck.specs.algorithms.MmapFixed.ABORT_STORE_NULL, "no NULL store",
                        (k, orig) -> s -> { })
                .on(MmapFixedScenarios::mmapFixedEnomemVsFault).assertViolates(I4);
        assertTrue(broken.toString().contains(dev.mmcheck.specs.algorithms.MmapFixed.STORE_ENOMEM.choice()), broken.toString());
    }

    /**
     * mmap(MAP_FIXED) over the middle of an mlocked VMA, on v6.12 and v6.18: the gather splits it
     * at both ends, the new VMA (not VM_LOCKED) sits between the two mlocked parts, and locked_vm
     * drops by the gathered page only; a complete that keeps locked_vm breaks I3.
     */
    @Test
    void mmapFixedSplitsAnMlockedVmaAndKeepsLockedVmExact() {
        for (Variant v : List.of(V6_12, Variant.of(KernelVersion.V6_18))) {
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedSplitMlockedVsFault, "mmap returned between the mlocked parts",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && k.locals(0).failed.get(s) == 0 && k.mm.lockedVm.get(s) == 2
                            && lockedVmaAt(k, s, 0, 0, 1, true) && lockedVmaAt(k, s, 1, 1, 2, false)
                            && lockedVmaAt(k, s, 2, 2, 3, true));
            VariantCheck.of(v).on(MmapFixedScenarios::mmapFixedSplitMlockedVsFault).assertHolds();
        }
        VariantCheck.of(V6_12).replaceEffect(dev.mmcheck.specs.algorithms.MmapFixed.COMPLETE, "locked_vm kept",
                        (k, orig) -> s -> {
                            int lockedVm = k.mm.lockedVm.get(s);
                            orig.apply(s);
                            k.mm.lockedVm.set(s, lockedVm);
                        })
                .on(MmapFixedScenarios::mmapFixedSplitMlockedVsFault).assertViolates(I3);
    }

    /**
     * vma_merge_new_range on v6.12 and v6.18: mmap(MAP_FIXED) in the middle of a VMA splits it
     * and merges the parts back into one VMA (next removed and freed); over a whole VMA beside
     * another, it expands the neighbour, whose vma_start_write waits for a fault under its lock.
     */
    @Test
    void mmapFixedMergesWithItsNeighbours() {
        for (Variant v : List.of(V6_12, Variant.of(KernelVersion.V6_18))) {
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedSplitMergeVsFault, "mmap returned with one VMA [0x0000, 0x3000)",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && k.locals(0).failed.get(s) == 0 && k.mm.mapCount.get(s) == 1
                            && lockedVmaAt(k, s, 0, 0, 3, false) && k.machine.pte.get(s, 1) == Machine.NONE);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedMergeNeighbourVsFault, "vma_expand waits for the fault in [0x0000, 0x1000)",
                    (k, s) -> k.mm.vmaLockWriter.get(s, 0) == 1 && k.mm.vmaLockReaders.get(s, 0) == 1 && k.mm.vmaInTree.get(s, 1) == 1);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedMergeNeighbourVsFault, "the neighbour expanded over the range",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && lockedVmaAt(k, s, 0, 0, 2, false) && k.mm.mapCount.get(s) == 2);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedSplitMergeEnomemVsFault,
                    "commit_merge failed and a new VMA sits between the two parts",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && k.locals(0).failed.get(s) == 0 && k.mm.mapCount.get(s) == 3
                            && lockedVmaAt(k, s, 0, 0, 1, false) && lockedVmaAt(k, s, 1, 1, 2, false) && lockedVmaAt(k, s, 2, 2, 3, false));
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedIntoGapVsFault, "the VMA beside the gap expanded over it",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && lockedVmaAt(k, s, 0, 0, 2, false) && k.mm.mapCount.get(s) == 2);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedIntoGapVsFault, "the store into the gap failed: -ENOMEM, nothing changed",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && k.locals(0).failed.get(s) == 1 && lockedVmaAt(k, s, 0, 0, 1, false)
                            && gapAt(k, s, 1) && k.mm.mapCount.get(s) == 2);
            VariantCheck.of(v).on(MmapFixedScenarios::mmapFixedSplitMergeVsFault, MmapFixedScenarios::mmapFixedMergeNeighbourVsFault,
                    MmapFixedScenarios::mmapFixedSplitMergeEnomemVsFault, MmapFixedScenarios::mmapFixedIntoGapVsFault).assertHolds();
        }
        // A store into a gap that fails goes straight to the unlock: no vms_abort_munmap_vmas step.
        VariantCheck.of(V6_12).replaceEffect(dev.mmcheck.specs.algorithms.MmapFixed.ABORT_STORE_NULL, "abort reached",
                        (k, orig) -> s -> {
                            if (k.locals(0).vma.get(s) == Mm.NONE) {
                                k.mm.lockedVm.set(s, k.mm.lockedVm.get(s) + 1); // breaks I3 if ever reached from a gap
                            }
                            orig.apply(s);
                        })
                .on(MmapFixedScenarios::mmapFixedIntoGapVsFault).assertHolds();
    }

    /**
     * MAP_FIXED over a shared file mapping, on v6.12 and v6.18: truncate's rmap walk meets the old
     * VMA while mmap holds it gathered (still in the tree and in i_mmap), and it holds.
     */
    @Test
    void mmapFixedOverAFileMappingRacesTruncate() {
        for (Variant v : List.of(V6_12, Variant.of(KernelVersion.V6_18))) {
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedFileVsTruncate, "truncate walks i_mmap over the gathered file VMA",
                    (k, s) -> k.mm.semWriter.get(s) == 1 && k.mm.iMmapReaders.get(s) > 0 && k.mm.vmaInSideTree.get(s, 0) == 1
                            && k.mm.vmaInIMmap.get(s, 0) == 1);
            VmaLockTest.reachable(v, MmapFixedScenarios::mmapFixedFileVsTruncate, "an anonymous VMA replaced the file mapping",
                    (k, s) -> k.mm.semWriter.get(s) == 0 && k.locals(0).failed.get(s) == 0 && lockedVmaAt(k, s, 0, 0, 2, false)
                            && !k.mm.isFileVma(s, k.mm.findInTree(s, 0) - 1));
            VariantCheck.of(v).on(MmapFixedScenarios::mmapFixedFileVsTruncate).assertHolds();
        }
    }

    /**
     * MAP_FIXED over a VM_PFNMAP mapping against the driver's revoke holds on v6.12 and v6.18, and
     * needs b67fbebd4cf9's flush before unlink_file_vma: without it CPU1 reaches the pfn the
     * driver reused.
     */
    @Test
    void mmapFixedOverAPfnmapNeedsTheFlushBeforeUnlink() {
        VariantCheck.of(V6_12).on(MmapFixedScenarios::mmapFixedPfnmapVsRevoke).assertHolds();
        VariantCheck.of(Variant.of(KernelVersion.V6_18)).on(MmapFixedScenarios::mmapFixedPfnmapVsRevoke).assertHolds();
        VariantCheck.of(V6_12).without(dev.mmcheck.model.versions.Feature.PFNMAP_FLUSH_IN_TLB_END_VMA)
                .on(MmapFixedScenarios::mmapFixedPfnmapVsRevoke).assertViolates(dev.mmcheck.model.invariants.KernelProperty.I1);
    }

    /** The VMA in the tree at {@code page} is [start, end) and is (or is not) VM_LOCKED. */
    private static boolean lockedVmaAt(Kernel k, long[] s, int page, int start, int end, boolean locked) {
        int v = k.mm.findInTree(s, page);
        return v != Mm.NONE && k.mm.vmStart(s, v) == start && k.mm.vmEnd(s, v) == end && (k.mm.vmaLocked.get(s, v - 1) == 1) == locked;
    }

    private static boolean gapAt(Kernel k, long[] s, int page) {
        int v = k.mm.findInTree(s, page);
        return v == Mm.NONE || k.mm.vmStart(s, v) > page;
    }

    @Test
    void mmapFixedIsRefusedWhereItsFormIsNotModelled() {
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> ScenarioModel.build(MmapFixedScenarios.mmapFixedVsFault(), Variant.of(KernelVersion.V6_6)));
        assertTrue(old.getMessage().contains("MUNMAP_GATHER_COMPLETE"), old.getMessage());
        Scenario stack = Scenario.named("mmap-over-stack", "mmap over a stack VMA").machine(dev.mmcheck.model.machine.MachineConfig.small())
                .vma(0, 2, false, true).thread(0, Op.mmapFixed(0, 2));
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(stack, V6_12));
        assertTrue(split.getMessage().contains("private anonymous VMAs") && split.getMessage().contains("[0x0, 0x2000)"),
                split.getMessage());
        Scenario between = Scenario.named("mmap-between", "mmap between two VMAs").machine(dev.mmcheck.model.machine.MachineConfig.small()
                        .withVmaSlots(4))
                .vma(0, 1).vma(1, 2).vma(2, 3).thread(0, Op.mmapFixed(1, 2));
        IllegalArgumentException merge = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(between, V6_12));
        assertTrue(merge.getMessage().contains("are_anon_vmas_compatible") && merge.getMessage().contains("[0x0, 0x1000)"),
                merge.getMessage());
        Scenario crowded = Scenario.named("mmap-crowded", "mmap with no VMA object for a split").machine(dev.mmcheck.model.machine.MachineConfig.small())
                .lockedVma(0, 3).thread(0, Op.mmapFixed(1, 2));
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(crowded, V6_12));
        assertTrue(slots.getMessage().contains("2 split(s)") && slots.getMessage().contains("VMA slots"), slots.getMessage());
        Scenario twice = Scenario.named("mmap-twice", "two mmaps").machine(dev.mmcheck.model.machine.MachineConfig.small().withVmaSlots(4))
                .vma(0, 1).vma(3, 4).thread(0, Op.mmapFixed(1, 2), Op.mmapFixed(2, 3));
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(twice, V6_12));
        assertTrue(two.getMessage().contains("one MMAP_FIXED"), two.getMessage());
        Scenario beside = Scenario.named("mmap-beside-munmap", "mmap beside munmap").machine(dev.mmcheck.model.machine.MachineConfig.small())
                .vma(0, 2).vma(3, 4).thread(0, Op.mmapFixed(0, 2)).thread(1, Op.munmap(3, 4));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(beside, V6_12));
        assertTrue(other.getMessage().contains("TRUNCATE and UNMAP_MAPPING_RANGE only") && other.getMessage().contains("MUNMAP"), other.getMessage());
    }

    /** Checks that {@code state} is reachable on v6.12: an invariant saying it is not must be violated. */
    private static void reachable(Supplier<Scenario> sc, String what, BiPredicate<Kernel, long[]> state) {
        VmaLockTest.reachable(V6_12, sc, what, state);
    }
}
