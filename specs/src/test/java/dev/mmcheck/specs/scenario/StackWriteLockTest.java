package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import org.junit.jupiter.api.Test;

import static dev.mmcheck.model.invariants.KernelProperty.I7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lock_mm_and_find_vma (8d7071af8907, v6.5; 6.1.37 by backport): the stack grows under the mmap
 * write lock, so no maple-tree node changes under a reader (StackRotTest has the read-lock form).
 */
class StackWriteLockTest {
    private static final Variant V6_1_37_STACK = Variant.of(KernelVersion.V6_1).with(Feature.STACK_EXPANSION_WRITE_LOCK);

    @Test
    void theWriteLockedStackRunsTheStackScenarios() {
        Scenario sc = Scenarios.munmapNextToGrowingStack();
        assertTrue(sc.runsOn(V6_1_37_STACK));
        VariantCheck.of(V6_1_37_STACK).on(Scenarios::munmapNextToGrowingStack).assertHolds();
    }

    /** Two faults below a locked stack: both grow it, one after the other, each under the write lock. */
    @Test
    void twoFaultsGrowALockedStackOnceEach() {
        Scenario sc = Scenario.named("stack-grows-twice-write-locked", "two threads fault below a locked stack; both expand it")
                .machine(MachineConfig.small())
                .vma(2, 4, true, true)
                .thread(0, Op.access(1))
                .thread(1, Op.access(0));
        Model model = ScenarioModel.build(sc, V6_1_37_STACK);
        Result r = Runs.check(Runs.withFinalCheck(model, "the stack grew to 0x0, locked_vm 4, both pages mapped", s ->
                Runs.get(model, s, "vma.vm_start[0]") == 0 && Runs.get(model, s, "mm.locked_vm") == 4
                        && Runs.get(model, s, "pte[0]") != Machine.NONE && Runs.get(model, s, "pte[1]") != Machine.NONE
                        && Runs.get(model, s, "T0.failed") + Runs.get(model, s, "T1.failed") == 0
                        ? null : "vm_start " + Runs.get(model, s, "vma.vm_start[0]") + ", locked_vm " + Runs.get(model, s, "mm.locked_vm")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    /**
     * Without the second find_vma the fault expands the VMA it found under the read lock it has
     * dropped: a pointer used after its lock was released, caught where it is used.
     */
    @Test
    void expandingWithoutFindingTheVmaAgainIsCaught() {
        Violation v = VariantCheck.of(V6_1_37_STACK)
                .replaceEffect(PageFault.STACK_FIND_VMA, "keeps the VMA found under the read lock", (k, orig) -> s -> { })
                .on(Scenarios::munmapNextToGrowingStack).assertViolates(I7);
        assertTrue(v.toString().contains(PageFault.STACK_EXPAND_LOCKED.label()), v.toString());
    }
}
