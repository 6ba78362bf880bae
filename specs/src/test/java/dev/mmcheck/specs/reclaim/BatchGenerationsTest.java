package dev.mmcheck.specs.reclaim;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.BatchGenerations;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Runs;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.ReclaimBugs;
import dev.mmcheck.specs.variants.ReclaimMutants;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mm->tlb_flush_batched as a bool (v4.13 to v5.16) and as pending/flushed generations
 * (5ee2fa2f0636, v5.17): the bool loses a reclaim's mark set during a flush_tlb_batched_pending,
 * the generations do not; mutants of the generation form are caught; the generation state exists
 * only in models with reclaim, so other models keep their state counts.
 */
class BatchGenerationsTest {
    private static final Variant V5_15 = Variant.of(KernelVersion.V5_15);
    private static final Variant V5_17 = Variant.of(KernelVersion.V5_17);

    private static Result run(Scenario sc, Variant v) {
        return Runs.check(sc.name() + "@" + v.name(), ScenarioModel.build(sc, v));
    }

    private static void assertHolds(Result r, long distinct) {
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        assertEquals(distinct, r.statistics().distinct(), r.summary());
    }

    private static void assertCaught(Result r, KernelProperty invariant, int traceLength) {
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(invariant.id(), r.invariantId(), r.invariant());
        assertEquals(traceLength, r.trace().length(), r.summary());
    }

    @Test
    void generationsHoldOnTheLostMarkScenarios() {
        assertHolds(run(ReclaimScenarios.lostBatchedMark2cpu(), V5_17), 52_806);
        assertHolds(run(ReclaimScenarios.lostBatchedMark3cpu(), V5_17), 1_310_589);
    }

    @Test
    void theBoolLosesTheMarkWithTwoCpus() {
        Result r = run(ReclaimScenarios.lostBatchedMark2cpu(), V5_15);
        assertCaught(r, KernelProperty.I2, 45);
        // The second madvise returns with a stale entry (in the shortest trace CPU0's: the
        // reclaimer's own CPU walked 0x0000 again after T1's flush_tlb_mm).
        assertTrue(r.message().startsWith("T1 returned to user space"), r.message());
    }

    /** BR2: v5.15 is caught with a shortest trace on the 3-CPU scenario, v5.15 + 5ee2fa2f0636 holds. */
    @Test
    void bugBr2BuggyCaughtFixedHolds() {
        Bug br2 = ReclaimBugs.all().stream().filter(b -> b.id().equals("BR2")).findFirst().orElseThrow();
        assertEquals("5ee2fa2f0636", br2.fixCommit());
        assertFalse(br2.buggy().has(Feature.TLB_FLUSH_BATCHED_GENERATIONS));
        assertTrue(br2.fixed().has(Feature.TLB_FLUSH_BATCHED_GENERATIONS));
        assertCaught(run(br2.scenario().get(), br2.buggy()), br2.invariant(), 41);
        assertHolds(run(br2.scenario().get(), br2.fixed()), 1_310_589);
    }

    @Test
    void mutantsOfTheGenerationsAreCaught() {
        for (Mutant m : List.of(ReclaimMutants.batchGenStore(), ReclaimMutants.batchGenCurrentPending(),
                ReclaimMutants.batchGenAlwaysReset())) {
            Result r = Runs.check(m.name(), ScenarioModel.build(m.scenario().get(), m.variant()));
            assertCaught(r, KernelProperty.I2, 47);
            assertTrue(m.caughtBy(r.invariantId()), m.name() + " caught by " + r.invariant());
        }
    }

    /** The 3-CPU scenario's flusher is mprotect: a wrong cmpxchg success in change_pte_range shows too. */
    @Test
    void alwaysResetIsCaughtThroughMprotectsFlush() {
        Result r = Runs.check("always-reset@lost-batched-mark-3cpu",
                ScenarioModel.build(ReclaimScenarios.lostBatchedMark3cpu(), ReclaimMutants.batchGenAlwaysReset().variant()));
        assertCaught(r, KernelProperty.I2, 43);
    }

    /**
     * The reclaim scenarios keep their v4.13 counts; with v5.17 the generation steps add states
     * where reclaim defers a flush, and none where it does not.
     */
    @Test
    void reclaimScenarioCounts() {
        List<Supplier<Scenario>> all = ReclaimScenarios.all();
        long[] v413 = {800, 1_259, 708, 890, 232_400, 9_069};
        long[] v517 = {1_113, 1_804, 788, 1_130, 369_104, 10_686};
        for (int i = 0; i < all.size(); i++) {
            assertHolds(run(all.get(i).get(), Variant.of(KernelVersion.V4_13)), v413[i]);
            assertHolds(run(all.get(i).get(), V5_17), v517[i]);
        }
    }

    /** Without reclaim there are no generation fields and v5.17 counts what v5.17 without the feature counts. */
    @Test
    void noGenerationStateWithoutReclaim() {
        Variant without = V5_17.without(Feature.TLB_FLUSH_BATCHED_GENERATIONS);
        for (Supplier<Scenario> sc : Scenarios.main()) {
            KernelModel km = ScenarioModel.compile(sc.get(), V5_17);
            assertFalse(km.kernel().batchGenerations.present(), sc.get().name());
            assertFalse(km.model().layout().hasField("mm.tlb_flush_batched.pending"));
            Result with = run(sc.get(), V5_17);
            Result bool = run(sc.get(), without);
            assertEquals(bool.verdict(), with.verdict(), sc.get().name());
            assertEquals(bool.statistics().distinct(), with.statistics().distinct(), sc.get().name());
        }
        // The bool form has none either, even with reclaim.
        assertFalse(ScenarioModel.compile(ReclaimScenarios.lostBatchedMark2cpu(), V5_15).kernel().batchGenerations.present());
    }

    /**
     * Two reclaims during one flush_tlb_batched_pending of T1 (2 CPUs; the word starts marked, so
     * a run makes three marks). With the default LARGE (3) no reset fires and v5.17 holds; with
     * LARGE 1 the second reclaim resets the word to pending 1, flushed 0, the value T1 read, so
     * T1's cmpxchg succeeds and erases both marks: the ABA that the counter's width must keep out
     * (the kernel's 15 bits do; the model's LARGE does for every run of its scenarios).
     */
    @Test
    void aCounterNarrowerThanTheRunShowsTheAba() {
        Supplier<Scenario> sc = () -> Scenario.named("two-reclaims-one-flush",
                        "tlb_flush_batched marked; T0 reclaims 0x0000 and 0x1000 while T1 madvise(DONTNEED)s 0x2000, then [0x0000, 0x2000); CPU1 caches 0x0000")
                .machine(dev.mmcheck.model.machine.MachineConfig.small())
                .vma(0, 4).mapped(0, 1, 3).tlb(1, 0)
                .batchedFlushMarked()
                .thread(0, dev.mmcheck.specs.scenario.Op.reclaim(0), dev.mmcheck.specs.scenario.Op.reclaim(1))
                .thread(1, dev.mmcheck.specs.scenario.Op.madviseDontneed(2, 3), dev.mmcheck.specs.scenario.Op.madviseDontneed(0, 2));
        assertEquals(3, sc.get().batchedFlushLarge());
        Result exact = run(sc.get(), V5_17);
        assertEquals(Verdict.HOLDS, exact.verdict(), exact.summary());
        Result narrow = run(sc.get().batchedFlushLarge(1), V5_17);
        assertEquals(Verdict.VIOLATED, narrow.verdict(), narrow.summary());
        assertEquals(KernelProperty.I2.id(), narrow.invariantId(), narrow.invariant());
        // LARGE 2 (marks minus one) is already enough: no reset can fire.
        assertEquals(Verdict.HOLDS, run(sc.get().batchedFlushLarge(2), V5_17).verdict());
    }

    /**
     * set_tlb_ubc_flush_pending's rule on the model's counter: LARGE is the number of marks a run
     * can make (one reclaim and the initial mark here); increments up to past LARGE, then the
     * reset to pending 1, flushed 0, the value the word started with (the ABA that LARGE keeps
     * out of every run).
     */
    @Test
    void markPendingIncrementsAndResetsWhenLarge() {
        KernelModel km = ScenarioModel.compile(ReclaimScenarios.lostBatchedMark2cpu(), V5_17);
        BatchGenerations gen = km.kernel().batchGenerations;
        assertNotNull(gen);
        assertEquals(2, gen.large);
        long[] s = km.model().initialStates().get(0).clone();
        assertEquals(1, gen.pending.get(s));
        assertEquals(0, gen.flushed.get(s));
        gen.markPending(s);
        assertEquals(2, gen.pending.get(s));
        gen.markPending(s);
        assertEquals(3, gen.pending.get(s));
        gen.flushed.set(s, 3);
        gen.markPending(s); // pending 3 > LARGE 2: reset
        assertEquals(1, gen.pending.get(s));
        assertEquals(0, gen.flushed.get(s));
    }
}
