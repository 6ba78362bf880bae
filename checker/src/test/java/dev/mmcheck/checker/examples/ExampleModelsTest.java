package dev.mmcheck.checker.examples;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example models have known answers; state counts are cross-checked by brute force. */
public class ExampleModelsTest {

    private static SearchOptions opts(int workers) {
        return SearchOptions.defaults().withWorkers(workers).withMemoryBytes(64L << 20);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void petersonHoldsAndCountsMatchBruteForce(int n) {
        int expected = bruteForcePeterson(n).size();
        for (int workers : new int[] {1, 2}) {
            Result r = Checker.check(new Peterson(n), opts(workers));
            assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
            assertEquals(expected, r.statistics().distinct(), "peterson-" + n + " with " + workers + " workers");
        }
        Result dfs = Checker.check(new Peterson(n), opts(1).withMode(Mode.DFS));
        assertEquals(Verdict.HOLDS, dfs.verdict());
        assertEquals(expected, dfs.statistics().distinct());
    }

    @Test
    void brokenMutexIsCaughtWithAShortestTrace() {
        Result r = Checker.check(new BrokenMutex(2), opts(2));
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("mutual exclusion", r.invariant());
        assertEquals(4, r.trace().length(), r.trace().toString());
        assertTrue(r.message().contains("2 processes hold the lock"), r.message());
    }

    @Test
    void brokenMutexIsFoundBySimulationAndDfs() {
        Result sim = Checker.check(new BrokenMutex(2), opts(2).withMode(Mode.SIMULATE).withSeed(7).withMaxDepth(50));
        assertEquals(Verdict.VIOLATED, sim.verdict());
        Result dfs = Checker.check(new BrokenMutex(2), opts(1).withMode(Mode.DFS));
        assertEquals(Verdict.VIOLATED, dfs.verdict());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void diningPhilosophersDeadlockWithATrace(int n) {
        Result r = Checker.check(new DiningPhilosophers(n), opts(2));
        assertEquals(Verdict.DEADLOCK, r.verdict());
        assertEquals(n, r.trace().length(), "every philosopher takes the left fork");
        for (int i = 1; i <= n; i++) {
            assertEquals("take left fork", r.trace().steps().get(i).transition().label());
        }
    }

    @Test
    void simulationNeverSaysHolds() {
        Result r = Checker.check(new Peterson(2), opts(2).withMode(Mode.SIMULATE).withWalks(50).withMaxDepth(100));
        assertEquals(Verdict.INCOMPLETE, r.verdict());
        assertTrue(r.message().contains("cannot show"), r.message());
    }

    @Test
    void simulationIsReproducibleForASeed() {
        SearchOptions o = opts(1).withMode(Mode.SIMULATE).withSeed(42).withMaxDepth(40);
        Result a = Checker.check(new BrokenMutex(3), o);
        Result b = Checker.check(new BrokenMutex(3), o.withWorkers(2));
        assertEquals(Verdict.VIOLATED, a.verdict());
        assertTrue(Arrays.equals(a.trace().transitionIds(), b.trace().transitionIds()),
                "the lowest failing walk is reported whatever the number of workers");
    }

    /**
     * Peterson's filter lock enumerated independently: states as int arrays in a hash map,
     * transitions written from the algorithm's pseudocode, not from the model class.
     */
    static Map<List<Integer>, Integer> bruteForcePeterson(int n) {
        // state: level[0..n-1], victim[0..n-1], pc[0..n-1], l[0..n-1]
        int[] init = new int[4 * n];
        for (int i = 0; i < n; i++) {
            init[3 * n + i] = 1;
        }
        Map<List<Integer>, Integer> seen = new HashMap<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        seen.put(key(init), 0);
        queue.add(init);
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            for (int i = 0; i < n; i++) {
                int[] t = s.clone();
                int lv = s[3 * n + i];
                boolean enabled = true;
                switch (s[2 * n + i]) {
                    case 0 -> { t[i] = lv; t[2 * n + i] = 1; }
                    case 1 -> { t[n + lv] = i; t[2 * n + i] = 2; }
                    case 2 -> {
                        boolean others = true;
                        for (int k = 0; k < n; k++) {
                            if (k != i && s[k] >= lv) {
                                others = false;
                            }
                        }
                        enabled = others || s[n + lv] != i;
                        if (lv + 1 < n) { t[3 * n + i] = lv + 1; t[2 * n + i] = 0; } else { t[2 * n + i] = 3; }
                    }
                    default -> { t[i] = 0; t[3 * n + i] = 1; t[2 * n + i] = 0; }
                }
                if (enabled && !seen.containsKey(key(t))) {
                    int crit = 0;
                    for (int k = 0; k < n; k++) {
                        crit += t[2 * n + k] == 3 ? 1 : 0;
                    }
                    assertTrue(crit <= 1, "brute force: mutual exclusion");
                    seen.put(key(t), 0);
                    queue.add(t);
                }
            }
        }
        return seen;
    }

    private static List<Integer> key(int[] s) {
        List<Integer> k = new ArrayList<>(s.length);
        for (int v : s) {
            k.add(v);
        }
        return k;
    }
}
