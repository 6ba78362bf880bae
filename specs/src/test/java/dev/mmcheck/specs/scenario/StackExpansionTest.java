package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.KernelVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Faults below a VM_GROWSDOWN VMA: expand_downwards under mmap_sem read (v4.12). */
class StackExpansionTest {
    private static final MachineConfig SMALL = MachineConfig.small();
    private static final Variant V4_12 = Variant.of(KernelVersion.V4_12);

    /** A locked stack [0x2000, 0x4000); two threads store below it, at 0x1000 and 0x0. */
    private static Scenario lockedStack() {
        return Scenario.named("stack-grows-twice", "two threads fault below a locked stack; both expand it")
                .machine(SMALL)
                .vma(2, 4, true, true)
                .thread(0, Op.access(1))
                .thread(1, Op.access(0));
    }

    @Test
    void faultsBelowAStackGrowIt() {
        Model model = ScenarioModel.build(lockedStack(), V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "the stack grew to 0x0, locked_vm 4, both pages mapped", s ->
                Runs.get(model, s, "vma.vm_start[0]") == 0 && Runs.get(model, s, "vma.vm_end[0]") == 4
                        && Runs.get(model, s, "mm.locked_vm") == 4
                        && Runs.get(model, s, "pte[0]") != Machine.NONE && Runs.get(model, s, "pte[1]") != Machine.NONE
                        && Runs.get(model, s, "T0.failed") + Runs.get(model, s, "T1.failed") == 0
                        ? null : "vm_start " + Runs.get(model, s, "vma.vm_start[0]") + ", locked_vm " + Runs.get(model, s, "mm.locked_vm")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    /** No guard gap is kept against another VM_GROWSDOWN VMA (expand_downwards). */
    @Test
    void aStackGrowsUpToAGrowsdownNeighbour() {
        Scenario sc = Scenario.named("stack-grows-to-neighbour", "a fault just below a stack whose VM_GROWSDOWN neighbour ends right there")
                .machine(SMALL)
                .stackVma(0, 1)
                .stackVma(2, 4)
                .thread(0, Op.access(1))
                .thread(1, Op.access(0));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "the stack starts at 0x1000", s ->
                Runs.get(model, s, "vma.vm_start[1]") == 1 && Runs.get(model, s, "pte[1]") != Machine.NONE
                        && Runs.get(model, s, "T0.failed") == 0 ? null : "vm_start " + Runs.get(model, s, "vma.vm_start[1]")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    /** stack_guard_gap (1 page here) against a VMA that cannot grow down: the fault is SIGSEGV. */
    @Test
    void aStackKeepsTheGuardGapToAPlainNeighbour() {
        Scenario sc = Scenario.named("stack-guard-gap", "a fault just below a stack whose plain neighbour ends right there")
                .machine(SMALL)
                .vma(0, 1)
                .stackVma(2, 4)
                .thread(0, Op.access(1));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "the fault failed and the stack did not grow", s ->
                Runs.get(model, s, "vma.vm_start[1]") == 2 && Runs.get(model, s, "T0.failed") == 1
                        ? null : "vm_start " + Runs.get(model, s, "vma.vm_start[1]")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    @Test
    void aFaultBelowAVmaThatCannotGrowIsSigsegv() {
        Scenario sc = Scenario.named("no-growsdown", "a fault just below a plain VMA")
                .machine(SMALL)
                .vma(2, 4)
                .thread(0, Op.access(1));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "SIGSEGV, the VMA unchanged", s ->
                Runs.get(model, s, "T0.failed") == 1 && Runs.get(model, s, "vma.vm_start[0]") == 2 ? null : "no SIGSEGV"));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

}
