package dev.mmcheck.specs.junit;

import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.reports.Comparison;
import dev.mmcheck.reports.Counterexample;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JUnit API: proposed changes to tlb_finish_mmu checked from a test, as the README shows. */
public class VariantCheckTest {
    private static final StepRef NESTED = MmuGather.FINISH_NESTED;

    /** Drops the nested-gather check (as if 99baac21e458 were reverted): B4 comes back. */
    private static VariantCheck noNestedCheck() {
        return VariantCheck.of(Variants.v4_20Fixed())
                .replaceEffect(NESTED, "skip the nested-gather check", (k, original) -> s -> { })
                .named("v4.20-fixed-no-nested-check", "v4.20-fixed without the nested-gather flush")
                .on(Scenarios::parallelDontneed);
    }

    @Test
    void aConservativeChangeHolds() {
        List<Outcome> outcomes = VariantCheck.of(Variants.v4_20Fixed())
                .replaceEffect(NESTED, "always flush the whole mm and count page tables as freed", (k, original) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        l.gatherWholeMm(s);
                        l.gatherFreedTables.set(s, 1);
                    };
                })
                .on(Scenarios::parallelDontneed, Scenarios::nestedFlushWithLazyCpu)
                .assertHolds();
        assertEquals(2, outcomes.size());
        assertTrue(outcomes.stream().allMatch(o -> o.verdict() == Verdict.HOLDS));
    }

    @Test
    void aBrokenChangeIsCaughtWithItsCounterexample() {
        Violation v = noNestedCheck().assertViolates(KernelProperty.I2);
        Counterexample c = v.counterexample();
        assertTrue(v.toString().contains("tlb_finish_mmu"), "renders the trace in kernel words: " + v);
        assertTrue(v.toString().contains("proposed: skip the nested-gather check"), "and marks the proposed step: " + v);
        assertTrue(c.finding().invariant().startsWith("I2"), c.finding().headline());
        assertEquals("parallel-madv-dontneed", c.metadata().get("scenario"));
        assertTrue(c.trace().length() > 0);
    }

    @Test
    void assertHoldsFailsWithTheSummaryAndTheTextTrace() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> noNestedCheck().assertHolds());
        String m = e.getMessage();
        assertTrue(m.contains("does not hold on parallel-madv-dontneed"), m);
        assertTrue(m.contains("proposed: replace effect " + NESTED.name()), m);
        assertTrue(m.contains("VIOLATED"), m);
        assertTrue(m.contains("Invariant \"I2"), m);
        assertTrue(m.contains("context switch"), m);
    }

    @Test
    void assertViolatesFailsWhenTheVariantHolds() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> VariantCheck.of(KernelVersion.V4_12).on(Scenarios::munmapVsFaultSameVma).assertViolates(KernelProperty.I1));
        assertTrue(e.getMessage().contains("does not break I1"), e.getMessage());
        assertTrue(e.getMessage().contains("HOLDS"), e.getMessage());
    }

    @Test
    void aBoundedRunProvesNothing() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> VariantCheck.of(KernelVersion.V4_12)
                .on(Scenarios::munmapVsFaultSameVma).options(SearchOptions.defaults().withWorkers(1).withMaxStates(5))
                .assertHolds());
        assertTrue(e.getMessage().contains("INCOMPLETE"), e.getMessage());
    }

    @Test
    void anUnknownStepIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VariantCheck.of(KernelVersion.V4_12)
                .replaceEffect(StepRef.in("tlb_finish_mmu", "no such step"), "typo", (k, o) -> o).on(Scenarios::munmapVsFaultSameVma).run());
        assertTrue(e.getMessage().contains("no such step"), e.getMessage());
    }

    @Test
    void compareGivesTheVerdictsSideBySide() {
        Comparison cmp = VariantCheck.of(KernelVersion.V4_20).on(Scenarios::nestedFlushWithLazyCpu, Scenarios::munmapVsFaultSameVma)
                .compare(VariantCheck.of(Variants.v4_20Fixed()));
        String text = cmp.text();
        assertTrue(text.contains("v4.20") && text.contains("v4.20-fixed"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("nested-flush-lazy-psc") && l.contains("VIOLATED") && l.contains("HOLDS")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("munmap-vs-fault") && !l.contains("VIOLATED")), text);
    }
}
