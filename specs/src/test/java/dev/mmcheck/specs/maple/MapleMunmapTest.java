package dev.mmcheck.specs.maple;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.catalogue.ReleaseMatrix;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I10;
import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** v6.1's VMA set (one maple tree) and its munmap (do_mas_align_munmap), SEMANTICS.md 2.3. */
class MapleMunmapTest {
    private static final Variant V6_1 = Variant.of(KernelVersion.V6_1);

    @Test
    void theMapleTreeIsTheOnlyVmaSet() {
        List<String> fields = fieldNames(ScenarioModel.build(Scenarios.munmapVsFaultSameVma(), V6_1));
        assertTrue(fields.contains("vma.in_tree[0]") && fields.contains("vma.in_mt_detach[0]"), fields.toString());
        assertTrue(fields.stream().noneMatch(f -> f.startsWith("vma.vm_next") || f.startsWith("mm.mmap")
                || f.contains("vmacache")), "v6.1 has no VMA list and no vmacache: " + fields);
        List<String> old = fieldNames(ScenarioModel.build(Scenarios.munmapVsFaultSameVma(), Variant.of(KernelVersion.V5_19)));
        assertTrue(old.contains("vma.vm_next[0]") && old.contains("task.vmacache[0]") && !old.contains("vma.in_mt_detach[0]"));
    }

    /** B16: the mlocked VMA is gathered (locked_vm drops), then the split at end fails; nothing gives it back. */
    @Test
    void v61LosesLockedVmWhenASplitFailsAfterGathering() {
        Violation v = VariantCheck.of(V6_1).on(MapleScenarios::munmapEnomemAfterMlocked).assertViolates(I3);
        String trace = v.toString();
        int gathered = trace.indexOf(Munmap.SIDETREE.label());
        int failed = trace.indexOf(Munmap.SPLIT_NEXT_END.label());
        assertTrue(gathered > 0 && failed > gathered, trace);
        assertTrue(trace.contains("locked_vm: 2 -> 0"), trace);
    }

    @Test
    void theStableFixSubtractsOnlyAtThePointOfNoReturn() {
        VariantCheck.of(V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN).on(MapleScenarios::munmapEnomemAfterMlocked).assertHolds();
        VariantCheck.of(KernelVersion.V5_19).on(MapleScenarios::munmapEnomemAfterMlocked).assertHolds();
    }

    /**
     * B16's second fix, 6c26bd4384da: from 606c812eb1d5 the store of a VMA that was not just
     * split tests mas_store_gfp without setting error, so after the split at start a failed store
     * returns the split's 0 with the range still mapped (I10). The releases hold: v6.1 returns
     * munmap_sidetree's error, v6.6 on have the fix.
     */
    @Test
    void aFailedStoreAfterASplitReturnsZeroUntil6c26bd4384da() {
        Violation v = VariantCheck.of(V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN)
                .on(MapleScenarios::munmapSplitThenStoreEnomem).assertViolates(I10);
        String trace = v.toString();
        assertTrue(trace.indexOf(Munmap.SPLIT_START.label()) > 0
                && trace.indexOf(Munmap.SIDETREE_ENOMEM.choice()) > trace.indexOf(Munmap.SPLIT_START.label()), trace);
        assertTrue(trace.contains("returned 0 while 0x1000"), trace);
        VariantCheck.of(V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN).with(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR)
                .on(MapleScenarios::munmapSplitThenStoreEnomem).assertHolds();
        VariantCheck.of(V6_1).on(MapleScenarios::munmapSplitThenStoreEnomem).assertHolds();
        VariantCheck.of(KernelVersion.V6_6).on(MapleScenarios::munmapSplitThenStoreEnomem).assertHolds();
        VariantCheck.of(KernelVersion.V6_6).without(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR)
                .on(MapleScenarios::munmapSplitThenStoreEnomem).assertViolates(I10);
    }

    /**
     * Where the split was at end, the two shapes differ: 6.1.37's backport stores the end split's
     * lower half with error = mas_store_gfp(...) (a failure returns -ENOMEM), 6.4.0 stores it like
     * any other VMA (a failure returns the split's 0).
     */
    @Test
    void aFailedStoreAfterTheSplitAtEndReturnsZeroOnlyInThe64Shape() {
        Scenario sc = Scenario.named("maple-munmap-split-end-store-enomem",
                        "T0 munmaps [0x0000, 0x3000) across [0x0000, 0x2000) and [0x2000, 0x4000) while any tree store may fail")
                .machine(dev.mmcheck.model.machine.MachineConfig.small())
                .vma(0, 2).vma(2, 4)
                .mapped(1, 3)
                .treeStoresMayFail()
                .thread(0, Op.munmap(0, 3))
                .thread(1, Op.access(3));
        VariantCheck.of(V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN).on(() -> sc).assertHolds();
        VariantCheck.of(KernelVersion.V6_6).without(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR).on(() -> sc).assertViolates(I10);
        VariantCheck.of(KernelVersion.V6_6).on(() -> sc).assertHolds();
    }

    /** Splits at both ends, a VMA wholly inside, the neighbours' shared page tables: all hold. */
    @Test
    void munmapAcrossThreeVmasWithBothSplitsHolds() {
        Scenario sc = Scenario.named("maple-munmap-three-vmas", "T0 munmaps [0x1000, 0x5000) over three VMAs while T1 stores to 0x5000")
                .machine(dev.mmcheck.model.machine.MachineConfig.small().withMemory(8, 4, 7).withVmaSlots(5))
                .lockedVma(0, 2).vma(2, 3).vma(3, 6)
                .mapped(1, 2, 4, 5)
                .tlb(1, 5)
                .thread(0, Op.munmap(1, 5))
                .thread(1, Op.access(5));
        VariantCheck.of(V6_1).on(() -> sc).assertHolds();
        VariantCheck.of(V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN).on(() -> sc).assertHolds();
    }

    /** Freeing the side tree's VMAs without the point-of-no-return store leaves freed VMAs in the tree. */
    @Test
    void skippingThePointOfNoReturnIsCaught() {
        Violation v = VariantCheck.of(V6_1).skip(Munmap.STORE_NULL, "the VMAs stay in the mm's tree")
                .on(Scenarios::munmapVsFaultSameVma).assertViolates(I4);
        assertTrue(v.toString().contains("in the mm's maple tree and in munmap's side tree"), v.toString());
    }

    /** Where tree allocations may fail, v6.1's mas_preallocate may: munmap returns -ENOMEM with nothing changed. */
    @Test
    void aFailedPreallocationReturnsBeforeAnythingChanges() {
        KernelInvariant never = k -> Invariant.of(InvariantId.of("X1"), "never: munmap failed with locked_vm and map_count intact",
                st -> !(k.locals(0).failed.get(st) == 1 && k.mm.lockedVm.get(st) == 1 && k.mm.mapCount.get(st) == 2
                        && k.mm.semWriter.get(st) == 0));
        Violation v = VariantCheck.of(V6_1).invariant(never).on(MapleScenarios::munmapTreeStoreEnomem)
                .assertViolates(InvariantId.of("X1"));
        assertTrue(v.toString().contains(Munmap.MAS_PREALLOCATE.label() + " [-ENOMEM]"), v.toString());
    }

    /** v6.1 runs the stack scenarios: its store under the read lock is modelled (StackRotTest). */
    @Test
    void stackScenariosRunOnV61() {
        assertTrue(Scenarios.munmapNextToGrowingStack().runsOn(V6_1));
        String name = Scenarios.munmapNextToGrowingStack().name();
        assertTrue(ReleaseMatrix.cells().stream()
                .filter(c -> c.scenario().equals(name) && c.release().name().equals("v6.1"))
                .findFirst().orElseThrow().applicable());
    }

    private static List<String> fieldNames(Model model) {
        List<String> names = new ArrayList<>();
        model.layout().fields().forEach(f -> names.add(f.name()));
        return names;
    }
}
