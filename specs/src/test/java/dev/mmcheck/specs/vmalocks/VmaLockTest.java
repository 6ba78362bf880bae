package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.VmaLockMutants;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** v6.6's per-VMA locks (docs/model-vma-locks.md): the lock-free fault path, munmap's write locks, RCU-freed VMAs. */
class VmaLockTest {
    private static final Variant V6_6 = Variant.of(KernelVersion.V6_6);

    @Test
    void perVmaLockStateExistsFromV66Only() {
        List<String> fields = fieldNames(ScenarioModel.build(Scenarios.munmapVsFaultSameVma(), V6_6));
        for (String f : List.of("vma.write_locked[0]", "vma.vm_lock.readers[0]", "vma.vm_lock.writer[0]", "vma.detached[0]",
                "vma.anon_vma[0]", "vma.call_rcu[0]", "task.rcu_read_lock[0]", "fault.FAULT_FLAG_VMA_LOCK[0]")) {
            assertTrue(fields.contains(f), f + " in " + fields);
        }
        List<String> v61 = fieldNames(ScenarioModel.build(Scenarios.munmapVsFaultSameVma(), Variant.of(KernelVersion.V6_1)));
        assertTrue(v61.stream().noneMatch(f -> f.startsWith("vma.vm_lock") || f.startsWith("vma.detached")
                || f.startsWith("task.rcu")), v61.toString());
    }

    /** T1's fault installs its page holding only the VMA's read lock: no mmap_lock at all. */
    @Test
    void aFaultInstallsItsPageUnderTheVmaLockAlone() {
        reachable(Scenarios::munmapVsFaultSameVma, "the fault installs 0x1000 under the VMA lock alone",
                (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.mm.semReaders.get(s) == 0
                        && k.machine.pte.get(s, 1) != Machine.NONE);
    }

    /**
     * In the neighbour of the VMA munmap removes (faulted before, so it has an anon_vma), the
     * fault fills the shared page table under the neighbour's VMA lock alone while munmap is
     * between its point of no return and the end of unmap_region, on every release with per-VMA
     * locks; and it holds.
     */
    @Test
    void aFaultInTheNeighbourFillsTheSharedTableUnderItsVmaLockWhileMunmapZaps() {
        for (Variant v : List.of(V6_6, Variant.of(KernelVersion.V6_12), Variant.of(KernelVersion.V6_18))) {
            reachable(v, VmaLockScenarios::faultInNeighbourVsMunmap, "the neighbour's fault installs 0x1000 under its VMA lock during unmap_region",
                    (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.ghost.unmapsInFlight.get(s) == 1
                            && k.machine.pte.get(s, 1) != Machine.NONE);
            VariantCheck.of(v).on(VmaLockScenarios::faultInNeighbourVsMunmap).assertHolds();
        }
    }

    /** lock_vma_under_rcu finds the VMA munmap has just detached, drops it and walks the tree again (inside RCU). */
    @Test
    void aDetachedVmaSendsTheFaultBackToTheWalk() {
        reachable(Scenarios::munmapVsFaultSameVma, "the fault retries the walk",
                (k, s) -> {
                    ThreadLocals l = k.locals(1);
                    return k.mm.rcuReadLocked.get(s, 1) == 1 && l.vma.get(s) == Mm.NONE;
                });
    }

    /** munmap's vma_start_write sleeps in down_write while a fault holds the VMA's read lock. */
    @Test
    void munmapWaitsForTheFaultsReadLock() {
        reachable(Scenarios::munmapVsFaultSameVma, "munmap waits in vma_start_write",
                (k, s) -> k.mm.vmaLockWriter.get(s, 0) == 1 && k.mm.vmaLockReaders.get(s, 0) == 1);
    }

    /** A removed VMA is reachable by an RCU reader until the reader leaves its section: it is not freed before. */
    @Test
    void aRemovedVmaWaitsForTheRcuReaderBeforeItIsFreed() {
        reachable(Scenarios::munmapVsFaultSameVma, "a VMA waits for a grace period",
                (k, s) -> k.mm.vmaRcuPending.get(s, 0) != 0 && k.mm.vmaAllocated.get(s, 0) == 1 && k.mm.vmaInTree.get(s, 0) == 0);
    }

    @Test
    void v66HoldsOnTheRacesOfAFaultWithMunmapAndItsErrorPath() {
        VariantCheck.of(V6_6).on(Scenarios::munmapVsFaultSameVma, Scenarios::munmapVsFaultSharedTable,
                Scenarios::partialMunmapOfLockedVma, VmaLockScenarios::faultVsMunmapEnomem, MapleScenarios::munmapEnomemAfterMlocked,
                Scenarios::munmapNextToGrowingStack).assertHolds();
        VariantCheck.of(KernelVersion.V6_1).on(VmaLockScenarios::faultVsMunmapEnomem).assertViolates(I3);
    }

    /** Injected -ENOMEM from tree stores: v6.1 loses locked_vm on munmap_sidetree_failed (B16), v6.6 re-attaches and holds. */
    @Test
    void failingTreeStoresTakeTheErrorPaths() {
        Violation v = VariantCheck.of(KernelVersion.V6_1).on(MapleScenarios::munmapTreeStoreEnomem).assertViolates(I3);
        assertTrue(v.toString().contains("munmap_sidetree(next) [-ENOMEM]"), v.toString());
        VariantCheck.of(KernelVersion.V6_1).with(dev.mmcheck.model.versions.Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN)
                .on(MapleScenarios::munmapTreeStoreEnomem).assertHolds();
        VariantCheck.of(V6_6).on(MapleScenarios::munmapTreeStoreEnomem).assertHolds();
        reachable(MapleScenarios::munmapTreeStoreEnomem, "vma_iter_clear_gfp fails after gathering",
                (k, s) -> k.locals(0).failed.get(s) == 1 && k.mm.semWriter.get(s) == 1 && k.mm.vmaWriteLocked.get(s, 1) == 1);
        // v6.12+: the same failure after vms_gather_munmap_vmas detached the VMAs (the failing clear
        // and reattach_vmas are one step); it holds because reattach_vmas marks them attached again
        // (I4: no detached VMA left in the tree unlocked).
        for (KernelVersion release : new KernelVersion[] {KernelVersion.V6_12, KernelVersion.V6_18}) {
            Variant variant = Variant.of(release);
            VariantCheck.of(variant).on(MapleScenarios::munmapTreeStoreEnomem).assertHolds();
            reachable(variant, MapleScenarios::munmapTreeStoreEnomem, "the clear fails after gathering, VMA 1 attached again",
                    (k, s) -> k.locals(0).failed.get(s) == 1 && k.mm.semWriter.get(s) == 1 && k.mm.vmaWriteLocked.get(s, 1) == 1
                            && k.mm.vmaDetached.get(s, 1) == 0 && k.mm.vmaInTree.get(s, 1) == 1);
        }
    }

    /** Each locking mistake is caught with a short trace that names the step. */
    @Test
    void everyVmaLockMutantIsCaught() {
        for (Mutant m : VmaLockMutants.all()) {
            if (m.expected() == Verdict.DEADLOCK) {
                Result r = Checker.check(ScenarioModel.build(m.scenario().get(), m.variant()), SearchOptions.defaults());
                assertEquals(Verdict.DEADLOCK, r.verdict(), m.name() + ": " + r.summary());
                List<String> leaks = List.of(PageFault.SHARED_FAULT_RETRY.label(), PageFault.ANON_PREPARE.label());
                assertTrue(r.trace().steps().stream().anyMatch(st -> !st.isInitial()
                        && leaks.stream().anyMatch(st.transition().title()::contains)), m.name());
                continue;
            }
            Violation v = VariantCheck.of(m.variant()).on(m.scenario()).assertViolates(m.invariants()[0]);
            assertTrue(v.toString().length() > 0, m.name());
        }
        Violation v = VariantCheck.of(VmaLockMutants.all().get(1).variant()).on(Scenarios::munmapVsFaultSameVma)
                .assertViolates(dev.mmcheck.model.invariants.KernelProperty.I7);
        assertTrue(v.toString().contains("after it was freed") && v.toString().contains(PageFault.VMA_START_READ.label()),
                v.toString());
    }

    @Test
    void operationsThatWriteLockVmasElsewhereRunFromV66() {
        assertTrue(MremapScenarios.mremapVsFault().runsOn(Variant.of(KernelVersion.V6_6)));
        assertTrue(UffdRegisterScenarios.registerThenFault().runsOn(V6_6));
        assertTrue(UffdScenarios.munmapVsBackgroundCopy().runsOn(V6_6));
        assertTrue(MremapScenarios.mremapVsFault().runsOn(Variant.of(KernelVersion.V6_1)));
    }

    /**
     * A shared file fault takes the VMA lock, gives it back with VM_FAULT_RETRY (do_shared_fault)
     * and installs its page under mmap_lock: file scenarios run on v6.6 and hold.
     */
    @Test
    void aSharedFileFaultRetriesUnderMmapLock() {
        reachable(VmaLockScenarios::fileFaultVsMunmap, "the file fault holds the VMA lock",
                (k, s) -> k.mm.faultVmaLocked.get(s, 0) != Mm.NONE);
        reachable(VmaLockScenarios::fileFaultVsMunmap, "the file fault maps 0x1000 under mmap_lock after the retry",
                (k, s) -> k.mm.faultVmaLocked.get(s, 0) == Mm.NONE && k.mm.semReaders.get(s) == 1
                        && k.machine.pte.get(s, 1) != Machine.NONE);
        VariantCheck.of(V6_6).on(VmaLockScenarios::fileFaultVsMunmap, TruncateScenarios::faultVsTruncate,
                TruncateScenarios::munmapVsTruncate).assertHolds();
    }

    /** A VM_PFNMAP fault under the VMA lock is not modelled: such scenarios stay refused on v6.6. */
    @Test
    void pfnmapFaultsAreRefusedFromV66() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScenarioModel.build(MremapScenarios.pfnmapMunmapVsRevokeVsStore(), V6_6));
        assertTrue(e.getMessage().contains("FAULT_HANDLERS_UNDER_VMA_LOCK"), e.getMessage());
        assertTrue(MremapScenarios.pfnmapMunmapVsRevoke().runsOn(V6_6));
    }

    /** Checks that {@code state} is reachable: an invariant saying it is not must be violated. */
    private static void reachable(java.util.function.Supplier<Scenario> sc, String what,
                                  BiPredicate<dev.mmcheck.model.Kernel, long[]> state) {
        reachable(V6_6, sc, what, state);
    }

    /** Checks that {@code state} is reachable on {@code variant} (shared with V612Test). */
    static void reachable(Variant variant, java.util.function.Supplier<Scenario> sc, String what,
                          BiPredicate<dev.mmcheck.model.Kernel, long[]> state) {
        KernelInvariant never = k -> Invariant.of(InvariantId.of("X1"), "never: " + what, s -> !state.test(k, s));
        Violation v = VariantCheck.of(variant).invariant(never).on(sc).assertViolates(InvariantId.of("X1"));
        assertEquals(InvariantId.of("X1"), v.invariantId(), what);
    }

    /** Checks that building {@code sc} on {@code variant} is refused with an error naming every one of {@code words} (shared). */
    static void refused(Scenario sc, Variant variant, String... words) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.mmcheck.specs.scenario.ScenarioModel.build(sc, variant));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage());
        }
    }

    /** Checks the catalogue's VMA-lock mutant {@code name} on its scenario (shared with V612Test and V618Test). */
    static dev.mmcheck.checker.search.Result checkMutant(String name) {
        var m = dev.mmcheck.specs.variants.VmaLockMutants.all().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return dev.mmcheck.checker.search.Checker.check(dev.mmcheck.specs.scenario.ScenarioModel.build(m.scenario().get(), m.variant()),
                dev.mmcheck.checker.search.SearchOptions.defaults());
    }

    private static List<String> fieldNames(Model model) {
        List<String> names = new ArrayList<>();
        model.layout().fields().forEach(f -> names.add(f.name()));
        return names;
    }
}
