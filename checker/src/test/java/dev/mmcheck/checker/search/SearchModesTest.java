package dev.mmcheck.checker.search;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.examples.Peterson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DFS honours every bound BFS does and names its depth; simulation names its count for what it is. */
public class SearchModesTest {

    private static SearchOptions dfs() {
        return SearchOptions.defaults().withMode(Mode.DFS).withMemoryBytes(16L << 20);
    }

    @Test
    void dfsStopsAtAStateBoundAsSmallAsOne() {
        Result r = Checker.check(new Peterson(2), dfs().withMaxStates(1));
        assertEquals(Verdict.INCOMPLETE, r.verdict(), r.summary());
        assertEquals(Limit.STATES, r.limit());
        Result bfs = Checker.check(new Peterson(2), SearchOptions.defaults().withMaxStates(1));
        assertEquals(Verdict.INCOMPLETE, bfs.verdict(), bfs.summary());
        assertEquals(Limit.STATES, bfs.limit());
    }

    @Test
    void aStateBoundAtTheModelsSizeIsNoBound() {
        Result all = Checker.check(new Peterson(2), SearchOptions.defaults());
        for (SearchOptions o : new SearchOptions[] {dfs(), SearchOptions.defaults().withWorkers(2)}) {
            Result r = Checker.check(new Peterson(2), o.withMaxStates(all.statistics().distinct()));
            assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
            Result less = Checker.check(new Peterson(2), o.withMaxStates(all.statistics().distinct() - 1));
            assertEquals(Verdict.INCOMPLETE, less.verdict(), less.summary());
        }
    }

    @Test
    void dfsDepthIsTheDepthOfTheDeepestState() {
        // One counter 0..9: a chain of 10 states, the deepest at depth 9.
        Result r = Checker.check(new CounterGrid(1, 10, 0), dfs());
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        assertEquals(9, r.statistics().diameter());
        assertEquals("deepest state at depth 9", r.statistics().depthDescription());
        Result bfs = Checker.check(new CounterGrid(1, 10, 0), SearchOptions.defaults());
        assertEquals(9, bfs.statistics().diameter());
        assertEquals("depth 9", bfs.statistics().depthDescription());
    }

    @Test
    void bfsCountsOfABoundedRunAreThoseOfCompleteLevelsWhateverTheWorkers() {
        CounterGrid g = new CounterGrid(3, 30, 0);
        Result one = Checker.check(g, SearchOptions.defaults().withWorkers(1).withMaxStates(5000));
        assertEquals(Verdict.INCOMPLETE, one.verdict());
        assertTrue(one.statistics().distinct() <= 5000, one.summary());
        for (int workers : new int[] {2, 4, 4}) {
            Result r = Checker.check(g, SearchOptions.defaults().withWorkers(workers).withMaxStates(5000));
            assertEquals(one.statistics().distinct(), r.statistics().distinct(), workers + " workers");
            assertEquals(one.statistics().generated(), r.statistics().generated(), workers + " workers");
            assertEquals(one.statistics().diameter(), r.statistics().diameter(), workers + " workers");
        }
    }

    @Test
    void simulationCountsStatesVisitedNotDistinctStates() {
        // Peterson(2) has 20 states; a thousand walks visit far more than that, with repeats.
        Result r = Checker.check(new Peterson(2), SearchOptions.defaults().withMode(Mode.SIMULATE).withMaxDepth(50));
        assertEquals(Verdict.INCOMPLETE, r.verdict());
        assertEquals(0, r.statistics().distinct());
        assertTrue(r.statistics().visited() > 20, r.summary());
        assertTrue(r.statistics().stateCount().endsWith(" visited"), r.statistics().stateCount());
    }

    @Test
    void simulationGivesTheSameCounterexampleAndCountsForAnyWorkerCount() {
        SearchOptions o = SearchOptions.defaults().withMode(Mode.SIMULATE).withSeed(3).withMaxDepth(30).withWalks(5000);
        Result one = Checker.check(new BrokenMutex(3), o.withWorkers(1));
        assertEquals(Verdict.VIOLATED, one.verdict());
        for (int workers : new int[] {2, 4, 2, 4}) {
            Result r = Checker.check(new BrokenMutex(3), o.withWorkers(workers));
            assertArrayEquals(one.trace().transitionIds(), r.trace().transitionIds(), workers + " workers");
            assertEquals(one.statistics().visited(), r.statistics().visited(), workers + " workers");
            assertEquals(one.statistics().generated(), r.statistics().generated(), workers + " workers");
            assertArrayEquals(one.statistics().transitionsFired(), r.statistics().transitionsFired(), workers + " workers");
            assertEquals(one.statistics().diameter(), r.statistics().diameter(), workers + " workers");
        }
    }
}
