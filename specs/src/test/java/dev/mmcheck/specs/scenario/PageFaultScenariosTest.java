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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent anonymous page faults (PageFault, Access) on v4.12: the pte_alloc race on the PMD,
 * the pte_none re-check under the PTE lock, SIGSEGV and OOM, and mutants that drop a re-check.
 */
class PageFaultScenariosTest {
    private static final MachineConfig SMALL = MachineConfig.small();
    private static final Variant V4_12 = Variant.of(KernelVersion.V4_12);

    /** Two threads store to the same unmapped page of one VMA; no page table exists yet. */
    private static Scenario samePage() {
        return Scenario.named("fault-same-page", "two threads fault the same page; they race __pte_alloc and the PTE install")
                .machine(SMALL)
                .vma(0, 4)
                .thread(0, Op.access(0))
                .thread(1, Op.access(0));
    }

    @Test
    void twoFaultsOnOnePageMapExactlyOneFrame() {
        Model model = ScenarioModel.build(samePage(), V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "exactly one page and one page table", s -> {
            int anon = Runs.framesOfKind(model, s, SMALL.frames(), Machine.ANON);
            int tables = Runs.framesOfKind(model, s, SMALL.frames(), Machine.PAGE_TABLE);
            int pte = Runs.get(model, s, "pte[0]");
            if (anon != 1 || tables != 1 || pte == Machine.NONE || Runs.get(model, s, "pmd[0]") == Machine.NONE) {
                return anon + " anonymous frames, " + tables + " page tables, pte[0] = " + pte;
            }
            if (Runs.get(model, s, "T0.failed") + Runs.get(model, s, "T1.failed") != 0) {
                return "an access failed";
            }
            return null;
        }));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    @Test
    void twoFaultsInOnePageTableShareIt() {
        Scenario sc = Scenario.named("fault-same-table", "two threads fault two pages of one page table: __pte_alloc race")
                .machine(SMALL)
                .vma(0, 4)
                .thread(0, Op.access(0))
                .thread(1, Op.access(1));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "both pages mapped through one page table", s -> {
            int anon = Runs.framesOfKind(model, s, SMALL.frames(), Machine.ANON);
            int tables = Runs.framesOfKind(model, s, SMALL.frames(), Machine.PAGE_TABLE);
            boolean mapped = Runs.get(model, s, "pte[0]") != Machine.NONE && Runs.get(model, s, "pte[1]") != Machine.NONE;
            return anon == 2 && tables == 1 && mapped ? null : anon + " anonymous frames, " + tables + " page tables";
        }));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }



    @Test
    void aStoreOutsideEveryVmaGetsSigsegv() {
        Scenario sc = Scenario.named("fault-no-vma", "a store to a page no VMA covers")
                .machine(SMALL)
                .vma(0, 2)
                .thread(0, Op.access(3))
                .thread(1, Op.access(1));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "T0 got SIGSEGV, T1 its page", s ->
                Runs.get(model, s, "T0.failed") == 1 && Runs.get(model, s, "T1.failed") == 0
                        && Runs.get(model, s, "pte[3]") == Machine.NONE && Runs.get(model, s, "pte[1]") != Machine.NONE
                        ? null : "wrong outcome"));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }

    @Test
    void runningOutOfFramesIsVmFaultOom() {
        MachineConfig one = SMALL.withMemory(4, 2, 2);
        Scenario sc = Scenario.named("fault-oom", "two faults in two page tables with two frames: someone gets OOM")
                .machine(one)
                .vma(0, 4)
                .thread(0, Op.access(0))
                .thread(1, Op.access(2));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "at least one access fails, nothing leaks", s -> {
            int failed = Runs.get(model, s, "T0.failed") + Runs.get(model, s, "T1.failed");
            return failed >= 1 && Runs.framesOfKind(model, s, one.frames(), Machine.ANON) == 2 - failed ? null
                    : failed + " failures";
        }));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        assertTrue(r.statistics().distinct() > 0);
    }
}
