package dev.mmcheck.checker.model;

import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A model with other invariants explores the same states and checks only what it is given. */
class WithInvariantsTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(1);

    @Test
    void sameStatesOtherProperties() {
        Model peterson = new Peterson(2);
        Result own = Checker.check(peterson, OPTIONS);
        Result none = Checker.check(peterson.withInvariants(List.of()), OPTIONS);
        assertEquals(Verdict.HOLDS, own.verdict());
        assertEquals(Verdict.HOLDS, none.verdict());
        assertEquals(own.statistics().distinct(), none.statistics().distinct());

        Invariant never = Invariant.of("no state at all", s -> false, s -> "a state exists");
        Result broken = Checker.check(peterson.withInvariant(never), OPTIONS);
        assertEquals(Verdict.VIOLATED, broken.verdict());
        assertEquals("no state at all", broken.invariant());
        assertEquals(0, broken.trace().length());
    }
}
