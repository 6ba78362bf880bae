package dev.mmcheck.checker.search;

import dev.mmcheck.checker.trace.Replayer;
import dev.mmcheck.checker.trace.Trace;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Random explicit graphs wrapped as models: the engine must agree with a plain reference BFS on
 * reachability, depths and shortest counterexamples, for any number of workers.
 */
public class GraphSearchPropertiesTest {

    static GraphModel randomGraph(long seed, int nodes, int edges, boolean withBad, boolean deadEndsFinal, int extraWords) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] from = new int[edges];
        int[] to = new int[edges];
        for (int e = 0; e < edges; e++) {
            from[e] = r.nextInt(nodes);
            to[e] = r.nextInt(nodes);
        }
        int[] initial = new int[1 + r.nextInt(3)];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = r.nextInt(nodes);
        }
        boolean[] bad = new boolean[nodes];
        if (withBad) {
            for (int i = 0; i < 1 + nodes / 10; i++) {
                bad[r.nextInt(nodes)] = true;
            }
        }
        return new GraphModel(nodes, from, to, initial, bad, deadEndsFinal, extraWords);
    }

    private static SearchOptions options(int workers) {
        return SearchOptions.defaults().withWorkers(workers).withMemoryBytes(16L << 20);
    }

    @Test
    void reachableSetAndDiameterMatchReferenceBfsForAnyWorkerCount() {
        qt().withExamples(150).forAll(longs().all(), integers().between(1, 80), integers().between(0, 200),
                integers().between(0, 2)).checkAssert((seed, nodes, edges, extra) -> {
            GraphModel g = randomGraph(seed, nodes, edges, false, true, extra);
            int[] dist = g.referenceDistances();
            long reachable = 0;
            int diameter = 0;
            for (int d : dist) {
                if (d >= 0) {
                    reachable++;
                    diameter = Math.max(diameter, d);
                }
            }
            for (int workers : new int[] {1, 2, 4}) {
                Result r = Checker.check(g, options(workers));
                assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
                assertEquals(reachable, r.statistics().distinct(), "distinct states with " + workers + " workers");
                assertEquals(diameter, r.statistics().diameter(), "diameter with " + workers + " workers");
            }
        });
    }

    @Test
    void fingerprintModeCountsTheSameStates() {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 80), integers().between(0, 200))
                .checkAssert((seed, nodes, edges) -> {
                    GraphModel g = randomGraph(seed, nodes, edges, false, true, 1);
                    Result lossless = Checker.check(g, options(2));
                    Result fp = Checker.check(g, options(2).withFingerprints(true));
                    assertEquals(lossless.statistics().distinct(), fp.statistics().distinct());
                    assertEquals(lossless.statistics().diameter(), fp.statistics().diameter());
                    assertEquals(fp.statistics().generated() > 0, fp.statistics().collisionBound() > 0);
                    assertEquals(0.0, lossless.statistics().collisionBound());
                });
    }

    @Test
    void counterexamplesAreValidShortestPaths() {
        qt().withExamples(150).forAll(longs().all(), integers().between(2, 80), integers().between(0, 200),
                integers().between(1, 4)).checkAssert((seed, nodes, edges, workers) -> {
            GraphModel g = randomGraph(seed, nodes, edges, true, true, 0);
            int[] dist = g.referenceDistances();
            int nearestBad = Integer.MAX_VALUE;
            for (int n = 0; n < nodes; n++) {
                if (g.bad[n] && dist[n] >= 0) {
                    nearestBad = Math.min(nearestBad, dist[n]);
                }
            }
            Result r = Checker.check(g, options(workers));
            if (nearestBad == Integer.MAX_VALUE) {
                assertEquals(Verdict.HOLDS, r.verdict());
                return;
            }
            assertEquals(Verdict.VIOLATED, r.verdict());
            Trace t = r.trace();
            assertNotNull(t);
            assertEquals(nearestBad, t.length(), "counterexample length");
            assertTrue(g.bad[g.nodeOf(t.lastState())], "the trace ends in a bad state");
            assertValidPath(g, t);
        });
    }

    @Test
    void deadlocksAreFoundAtMinimalDepthWithValidTraces() {
        qt().withExamples(120).forAll(longs().all(), integers().between(1, 60), integers().between(0, 120),
                integers().between(1, 4)).checkAssert((seed, nodes, edges, workers) -> {
            GraphModel g = randomGraph(seed, nodes, edges, false, false, 0);
            int[] dist = g.referenceDistances();
            int nearestDeadEnd = Integer.MAX_VALUE;
            for (int n = 0; n < nodes; n++) {
                if (dist[n] >= 0 && !g.hasOutEdges(n)) {
                    nearestDeadEnd = Math.min(nearestDeadEnd, dist[n]);
                }
            }
            Result r = Checker.check(g, options(workers));
            if (nearestDeadEnd == Integer.MAX_VALUE) {
                assertEquals(Verdict.HOLDS, r.verdict());
                return;
            }
            assertEquals(Verdict.DEADLOCK, r.verdict());
            assertEquals(nearestDeadEnd, r.trace().length());
            assertTrue(!g.hasOutEdges(g.nodeOf(r.trace().lastState())));
            assertValidPath(g, r.trace());
        });
    }

    @Test
    void depthFirstSearchReachesTheSameStates() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 80), integers().between(0, 200))
                .checkAssert((seed, nodes, edges) -> {
                    GraphModel g = randomGraph(seed, nodes, edges, false, true, 0);
                    Result bfs = Checker.check(g, options(1));
                    Result dfs = Checker.check(g, options(1).withMode(Mode.DFS));
                    assertEquals(Verdict.HOLDS, dfs.verdict(), dfs.summary());
                    assertEquals(bfs.statistics().distinct(), dfs.statistics().distinct());
                });
    }

    /** Every step of the trace is an edge of the graph, starting at an initial node. */
    static void assertValidPath(GraphModel g, Trace t) {
        int node = g.nodeOf(t.steps().get(0).state());
        boolean initial = false;
        for (int i : g.initial) {
            initial |= i == node;
        }
        assertTrue(initial, "trace starts at an initial node");
        for (int i = 1; i < t.steps().size(); i++) {
            int e = t.steps().get(i).transition().id();
            assertEquals(node, g.from[e], "edge " + e + " leaves the previous node");
            node = g.to[e];
            assertEquals(node, g.nodeOf(t.steps().get(i).state()));
        }
        // And the engine's own replay agrees.
        Trace again = Replayer.replay(g, t.initialOrdinal(), t.transitionIds());
        assertEquals(g.nodeOf(t.lastState()), g.nodeOf(again.lastState()));
    }
}
