package dev.mmcheck.specs.reclaim;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.ReclaimChecks;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Runs;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.ReclaimBugs;
import dev.mmcheck.specs.variants.ReclaimMutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reclaim / mprotect / NUMA check gives its expected verdict; mutants and bugs are caught
 * by the invariant they are meant to break.
 */
class ReclaimChecksTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    @TestFactory
    Stream<DynamicTest> catalogueEntriesGiveTheirVerdicts() {
        return ReclaimChecks.checks().stream().map((Check c) -> DynamicTest.dynamicTest(c.name(), () -> {
            Result r = Runs.check(c.name(), c.model().get());
            assertEquals(c.expected(), r.verdict(), r.summary());
        }));
    }

    @TestFactory
    Stream<DynamicTest> mutantsAreCaughtByTheirInvariant() {
        return ReclaimMutants.all().stream().map((Mutant m) -> DynamicTest.dynamicTest(m.name(), () -> {
            Result r = Checker.check(ScenarioModel.build(m.scenario().get(), m.variant()), OPTIONS);
            assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
            assertTrue(m.caughtBy(r.invariantId()), m.name() + " caught by " + r.invariant());
        }));
    }

    @TestFactory
    Stream<DynamicTest> bugsAreCaughtByTheirInvariant() {
        return ReclaimBugs.all().stream().map((Bug b) -> DynamicTest.dynamicTest(b.id() + "-" + b.fixCommit(), () -> {
            Result r = Checker.check(ScenarioModel.build(b.scenario().get(), b.buggy()), OPTIONS);
            assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
            assertEquals(b.invariant().id(), r.invariantId(), r.invariant());
        }));
    }

    /** The 3ea277194daa race also shows with MADV_DONTNEED: v4.12 returns with CPU1's stale entry. */
    @Test
    void reclaimVsMadviseBeforeBatchedPendingFlush() {
        Result r = Runs.check("reclaim-vs-madvise@v4.12", ScenarioModel.build(ReclaimScenarios.reclaimVsMadvise(), Variant.of(KernelVersion.V4_12)));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I2.id(), r.invariantId(), r.invariant());
        assertTrue(r.message().contains("CPU1"), r.message());
    }

    /**
     * move_ptes needs flush_tlb_batched_pending once mremap flushes only for PTEs it moved
     * (eb66ae030829, v4.19): without it, mremap finds the reclaimed PTE none, moves and flushes
     * nothing, and returns while CPU1 still translates the old address. v4.12 flushes after
     * every move_ptes (need_flush), so it holds even without the check.
     */
    @Test
    void mremapNeedsTheBatchedPendingFlush() {
        Result without = Runs.check("reclaim-vs-mremap@v4.20-fixed-without-3ea277194daa", ScenarioModel.build(ReclaimScenarios.reclaimVsMremap(),
                Variants.v4_20Fixed().without(Feature.FLUSH_TLB_BATCHED_PENDING)));
        assertEquals(Verdict.VIOLATED, without.verdict(), without.summary());
        assertEquals(KernelProperty.I2.id(), without.invariantId(), without.invariant());
        assertTrue(without.message().contains("CPU1"), without.message());
        assertEquals(Verdict.HOLDS, Runs.check("reclaim-vs-mremap@v4.20-fixed", ScenarioModel.build(ReclaimScenarios.reclaimVsMremap(),
                Variants.v4_20Fixed())).verdict());
        assertEquals(Verdict.HOLDS, Runs.check("reclaim-vs-mremap@v4.12", ScenarioModel.build(ReclaimScenarios.reclaimVsMremap(),
                Variant.of(KernelVersion.V4_12))).verdict());
    }

    /** The bool pending flag is enough when only one thread changes protections (v4.12 holds). */
    @Test
    void singleNumaScanHoldsWithTheBool() {
        Result r = Runs.check("numa-scan-vs-migration@v4.12", ScenarioModel.build(ReclaimScenarios.numaScanVsMigration(), Variant.of(KernelVersion.V4_12)));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }
}
