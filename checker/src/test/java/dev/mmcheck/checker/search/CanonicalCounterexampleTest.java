package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.StateHash;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The counterexample and the counts of a run that finds one are a function of the model and the
 * options, not of the number of workers or of timing: BFS finishes the level, takes its smallest
 * bad state (fingerprint, then vector), and reaches it through the smallest parent of each level
 * and the smallest edge. A plain reference computes that answer from the graph.
 */
public class CanonicalCounterexampleTest {

    private static SearchOptions options(int workers, boolean fingerprints) {
        return SearchOptions.defaults().withWorkers(workers).withMemoryBytes(16L << 20).withFingerprints(fingerprints);
    }

    @Test
    void aViolationIsTheCanonicalOneForOneTwoAndFourWorkers() {
        qt().withExamples(120).forAll(longs().all(), integers().between(2, 400), integers().between(0, 2000),
                integers().between(0, 1)).checkAssert((seed, nodes, edges, fp) -> {
            GraphModel g = GraphSearchPropertiesTest.randomGraph(seed, nodes, edges, true, true, 0);
            Reference ref = new Reference(g, n -> g.bad[n]);
            for (int workers : new int[] {1, 2, 4, 4, 2}) {
                Result r = Checker.check(g, options(workers, fp == 1));
                ref.assertSame(r, workers, false);
            }
        });
    }

    @Test
    void aDeadlockIsTheCanonicalOneForOneTwoAndFourWorkers() {
        qt().withExamples(120).forAll(longs().all(), integers().between(1, 300), integers().between(0, 900),
                integers().between(0, 1)).checkAssert((seed, nodes, edges, fp) -> {
            GraphModel g = GraphSearchPropertiesTest.randomGraph(seed, nodes, edges, false, false, 1);
            Reference ref = new Reference(g, n -> !g.hasOutEdges(n));
            for (int workers : new int[] {1, 2, 4, 4, 2}) {
                Result r = Checker.check(g, options(workers, fp == 1));
                ref.assertSame(r, workers, true);
            }
        });
    }

    /** What the run must report, computed from the graph with plain BFS distances. */
    private static final class Reference {
        final GraphModel g;
        final int[] dist;
        /** Depth of the nearest target, or -1. */
        int depth = -1;
        int[] path;
        int ordinal;
        long distinct;
        long generated;

        Reference(GraphModel g, IntPredicate target) {
            this.g = g;
            this.dist = g.referenceDistances();
            int best = -1;
            for (int n = 0; n < g.nodes; n++) {
                if (dist[n] >= 0 && target.test(n) && (depth < 0 || dist[n] < depth || dist[n] == depth && smaller(n, best))) {
                    depth = dist[n];
                    best = n;
                }
            }
            if (best < 0) {
                return;
            }
            path = new int[depth];
            int node = best;
            for (int k = depth; k > 0; k--) {
                int parent = -1;
                int edge = -1;
                for (int e = 0; e < g.from.length; e++) {
                    int p = g.from[e];
                    if (g.to[e] == node && dist[p] == k - 1 && (parent < 0 || smaller(p, parent) || p == parent && e < edge)) {
                        parent = p;
                        edge = e;
                    }
                }
                path[k - 1] = edge;
                node = parent;
            }
            for (int i = g.initial.length - 1; i >= 0; i--) {
                if (g.initial[i] == node) {
                    ordinal = i;
                }
            }
        }

        /** Key order of two nodes' states: fingerprint, then vector. */
        boolean smaller(int a, int b) {
            long[] sa = g.stateOf(a);
            long[] sb = g.stateOf(b);
            int c = Long.compareUnsigned(FingerprintTable.fingerprint(StateHash.hash(sa)),
                    FingerprintTable.fingerprint(StateHash.hash(sb)));
            return c != 0 ? c < 0 : Arrays.compareUnsigned(sa, sb) < 0;
        }

        void assertSame(Result r, int workers, boolean deadlock) {
            String with = " with " + workers + " workers";
            if (depth < 0) {
                assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
                return;
            }
            assertEquals(deadlock ? Verdict.DEADLOCK : Verdict.VIOLATED, r.verdict(), r.summary());
            assertEquals(ordinal, r.trace().initialOrdinal(), "initial state" + with);
            assertArrayEquals(path, r.trace().transitionIds(), "the counterexample" + with);
            // The level that found it ran to its end: a violation at depth d is found while
            // expanding depth d-1, a deadlock at depth d while expanding depth d.
            int expanded = deadlock ? depth : depth - 1;
            long stored = 0;
            long successors = 0;
            for (int n = 0; n < g.nodes; n++) {
                if (dist[n] >= 0 && dist[n] <= expanded + 1) {
                    stored++;
                }
                if (dist[n] >= 0 && dist[n] <= expanded) {
                    for (int e = 0; e < g.from.length; e++) {
                        successors += g.from[e] == n ? 1 : 0;
                    }
                }
            }
            assertEquals(stored, r.statistics().distinct(), "distinct states" + with);
            assertEquals(successors, r.statistics().generated(), "generated states" + with);
        }
    }
}
