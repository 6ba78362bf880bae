package dev.mmcheck.checker.search;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * A BFS that starts with a tiny visited set and grows it between levels (moving states and
 * parent log, renaming the frontier's slots), or restarts when it fills within a level, reports
 * exactly what a run with a set large enough from the start reports: verdict, counts, diameter,
 * and the counterexample, for any number of workers, in both set modes.
 */
public class GrowingSetTest {
    /** Enough for the queues of 4 workers; a lossless set of 1-word states then holds about 40,000. */
    private static final long SMALL = 1L << 20;
    private static final long LARGE = 64L << 20;

    private static SearchOptions options(int workers, boolean fingerprints) {
        return SearchOptions.defaults().withWorkers(workers).withFingerprints(fingerprints);
    }

    @Test
    void growingBetweenLevelsChangesNoResult() {
        AtomicInteger grew = new AtomicInteger();
        qt().withFixedSeed(13).withExamples(60).forAll(longs().all(), integers().between(2, 150_000), integers().between(1, 400),
                integers().between(0, 7)).checkAssert((seed, nodes, reach, mode) -> {
            boolean fingerprints = (mode & 1) != 0;
            GraphModel g = band(seed, nodes, reach, (mode & 2) != 0, (mode & 4) != 0);
            Result reference = Checker.check(g, options(1, fingerprints).withMemoryBytes(LARGE));
            for (int workers : new int[] {1, 2, 4}) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                SearchOptions o = options(workers, fingerprints)
                        .withProgress(new PrintStream(log, true, StandardCharsets.UTF_8), Duration.ofHours(1));
                // Small enough to grow (8x at a time) on larger graphs, large enough for the queues.
                Result r = Checker.checkGrowing(g, o, SMALL, LARGE);
                assertSame(reference, r, workers);
                if (log.toString(StandardCharsets.UTF_8).contains("grew")) {
                    grew.incrementAndGet();
                }
            }
        });
        assertTrue(grew.get() >= 30, "the set grew in only " + grew.get() + " of 180 runs");
    }

    /**
     * A graph whose levels stay narrow, so that BFS runs many of them and the set can grow
     * between them: node i has edges to nodes a little ahead of it (within {@code reach}), and a
     * few edges go anywhere. With {@code withBad}, about one node in 2000 breaks the invariant.
     */
    static GraphModel band(long seed, int nodes, int reach, boolean withBad, boolean deadEndsFinal) {
        SplittableRandom r = new SplittableRandom(seed);
        int edges = nodes * 2 + nodes / 50;
        int[] from = new int[edges];
        int[] to = new int[edges];
        for (int e = 0; e < edges; e++) {
            int n = e < nodes * 2 ? e / 2 : r.nextInt(nodes);
            from[e] = n;
            to[e] = e < nodes * 2 ? Math.min(nodes - 1, n + 1 + r.nextInt(reach)) : r.nextInt(nodes);
        }
        boolean[] bad = new boolean[nodes];
        if (withBad) {
            for (int i = 0; i < 1 + nodes / 2000; i++) {
                bad[r.nextInt(nodes)] = true;
            }
        }
        return new GraphModel(nodes, from, to, new int[] {0, r.nextInt(nodes)}, bad, deadEndsFinal, (int) (seed & 1));
    }

    private static void assertSame(Result expected, Result actual, int workers) {
        String with = " with " + workers + " workers: " + actual.summary();
        assertEquals(expected.verdict(), actual.verdict(), "verdict" + with);
        assertEquals(expected.statistics().distinct(), actual.statistics().distinct(), "distinct" + with);
        assertEquals(expected.statistics().generated(), actual.statistics().generated(), "generated" + with);
        assertEquals(expected.statistics().diameter(), actual.statistics().diameter(), "diameter" + with);
        assertArrayEquals(expected.statistics().transitionsFired(), actual.statistics().transitionsFired(), "fired" + with);
        if (expected.trace() == null) {
            assertNull(actual.trace(), "trace" + with);
        } else {
            assertEquals(expected.trace().initialOrdinal(), actual.trace().initialOrdinal(), "initial state" + with);
            assertArrayEquals(expected.trace().transitionIds(), actual.trace().transitionIds(), "counterexample" + with);
        }
    }
}
