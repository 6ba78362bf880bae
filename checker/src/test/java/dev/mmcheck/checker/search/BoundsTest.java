package dev.mmcheck.checker.search;

import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.examples.Peterson;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run that hits a bound says INCOMPLETE, names the bound, and never says HOLDS. */
public class BoundsTest {

    @Test
    void modelLargerThanTheMemoryBudgetEndsIncomplete() {
        CounterGrid big = new CounterGrid(4, 1000, 0); // 10^12 states
        for (boolean fp : new boolean[] {false, true}) {
            Result r = Checker.check(big, SearchOptions.defaults().withWorkers(2).withMemoryBytes(4L << 20).withFingerprints(fp));
            assertEquals(Verdict.INCOMPLETE, r.verdict());
            assertEquals(Limit.MEMORY, r.limit());
            assertTrue(r.message().contains("full") || r.message().contains("memory"), r.message());
            assertNull(r.trace());
            assertTrue(r.statistics().distinct() > 1000);
        }
    }

    @Test
    void stateLimit() {
        Result r = Checker.check(new CounterGrid(3, 100, 0), SearchOptions.defaults().withMaxStates(5000));
        assertEquals(Verdict.INCOMPLETE, r.verdict());
        assertEquals(Limit.STATES, r.limit());
    }

    @Test
    void depthLimitCutsAndSaysSo() {
        Result r = Checker.check(new CounterGrid(2, 10, 0), SearchOptions.defaults().withMaxDepth(5));
        assertEquals(Verdict.INCOMPLETE, r.verdict());
        assertEquals(Limit.DEPTH, r.limit());
        Result dfs = Checker.check(new CounterGrid(2, 10, 0), SearchOptions.defaults().withMode(Mode.DFS).withMaxDepth(5));
        assertEquals(Verdict.INCOMPLETE, dfs.verdict());
        assertEquals(Limit.DEPTH, dfs.limit());
    }

    @Test
    void depthLimitAboveTheDiameterStillHolds() {
        CounterGrid g = new CounterGrid(2, 10, 0);
        Result r = Checker.check(g, SearchOptions.defaults().withMaxDepth(g.expectedDiameter() + 1));
        assertEquals(Verdict.HOLDS, r.verdict());
        assertEquals(g.expectedStates(), r.statistics().distinct());
        assertEquals(g.expectedDiameter(), r.statistics().diameter());
    }

    @Test
    void timeLimit() {
        Result r = Checker.check(new CounterGrid(4, 1000, 0),
                SearchOptions.defaults().withTimeLimit(Duration.ofMillis(300)).withMemoryBytes(256L << 20));
        assertEquals(Verdict.INCOMPLETE, r.verdict());
        assertTrue(r.limit() == Limit.TIME || r.limit() == Limit.MEMORY, String.valueOf(r.limit()));
    }

    @Test
    void countsAreExactForPaddedVectors() {
        CounterGrid g = new CounterGrid(3, 12, 3);
        for (int w : new int[] {1, 2, 4}) {
            Result r = Checker.check(g, SearchOptions.defaults().withWorkers(w).withMemoryBytes(64L << 20));
            assertEquals(Verdict.HOLDS, r.verdict());
            assertEquals(g.expectedStates(), r.statistics().distinct());
            assertEquals(g.expectedDiameter(), r.statistics().diameter());
            assertEquals(g.expectedStates() * 3, r.statistics().generated());
        }
    }

    @Test
    void nonsensicalOptionsAreRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchOptions.defaults().withWorkers(0));
        assertTrue(e.getMessage().contains("workers") && e.getMessage().contains("1 to 1024"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SearchOptions.defaults().withMaxStates(-5));
        assertTrue(e.getMessage().contains("max-states"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checker.check(new Peterson(2), SearchOptions.defaults().withMemoryBytes(100)));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void coverageCountsEveryTransition() {
        Result r = Checker.check(new Peterson(2), SearchOptions.defaults());
        assertEquals(0, r.statistics().transitionsNeverFired());
        long sum = 0;
        for (long c : r.statistics().transitionsFired()) {
            sum += c;
        }
        assertEquals(r.statistics().generated(), sum);
    }
}
