package dev.mmcheck.bench.jmh;

import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.LosslessTable;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;
import dev.mmcheck.checker.store.VisitedSets;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Micro-benchmarks of the engine's hot path, single-threaded, in nanoseconds per operation:
 * {@link StateHash#hash}, and {@code insert} into {@link LosslessTable} / {@link FingerprintTable}
 * both for new states (a fresh table filled to {@value #FILL} of its slots; the average over the
 * whole fill, as in a search) and for states already present (the duplicate successors that are
 * most of a search's inserts). The tables are as large as the engine benchmark's ({@value #STATES}
 * states; hundreds of MB), so inserts pay the same cache and TLB misses.
 *
 * <pre>
 * java -Xmx8g -cp bench/target/mmcheck-bench.jar org.openjdk.jmh.Main HotPathBench
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class HotPathBench {
    /** States per table (like CounterGrid(5, 36): 60M; smaller here to keep setup short). */
    static final int STATES = 16_000_000;
    /** Final fill of the fresh tables (the engine benchmark's lossless figure). */
    static final double FILL = 0.84;
    /** States a duplicate-lookup benchmark cycles through, drawn from those present. */
    static final int LOOKUPS = 1 << 20;

    /** A distinct, valid (reserved bits clear) state vector for each index. */
    static void stateOf(long i, long[] into) {
        into[0] = i;
        for (int w = 1; w < into.length; w++) {
            into[w] = i * 0x9E3779B97F4A7C15L + w;
        }
    }

    static VisitedSet table(String kind, int words) {
        int capacity = (int) Math.ceil(STATES / FILL);
        return kind.equals("fingerprint")
                ? new FingerprintTable(capacity, VisitedSets.FINGERPRINT_MAX_LOAD)
                : new LosslessTable(words, capacity, VisitedSets.LOSSLESS_MAX_LOAD);
    }

    @State(Scope.Thread)
    public static class HashState {
        @Param({"1", "4", "8"})
        int words;
        long[] state;
        long i;

        @Setup
        public void setup() {
            state = new long[words];
        }
    }

    /** The hash of one state vector (a different vector each call). */
    @Benchmark
    public long hash(HashState s) {
        s.state[0] = s.i++ & 0x3FFF_FFFF_FFFF_FFFFL;
        return StateHash.hash(s.state);
    }

    @State(Scope.Thread)
    public static class FreshTable {
        @Param({"lossless", "fingerprint"})
        String kind;
        @Param({"1", "8"})
        int words;
        VisitedSet set;
        long[] state;

        @Setup(Level.Invocation)
        public void setup() {
            set = null;
            System.gc();
            set = table(kind, words);
            state = new long[words];
        }
    }

    /** Hash plus insert of a new state, averaged over filling a fresh table to {@value #FILL}. */
    @Benchmark
    @OperationsPerInvocation(STATES)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public void insertNew(FreshTable t, Blackhole bh) {
        VisitedSet set = t.set;
        long[] state = t.state;
        for (int i = 0; i < STATES; i++) {
            stateOf(i, state);
            bh.consume(set.insert(state, StateHash.hash(state)));
        }
    }

    @State(Scope.Benchmark)
    public static class FullTable {
        @Param({"lossless", "fingerprint"})
        String kind;
        @Param({"1", "8"})
        int words;
        VisitedSet set;
        long[][] probes;
        int next;

        @Setup(Level.Trial)
        public void setup() {
            set = table(kind, words);
            long[] state = new long[words];
            for (int i = 0; i < STATES; i++) {
                stateOf(i, state);
                set.insert(state, StateHash.hash(state));
            }
            probes = new long[LOOKUPS][];
            java.util.SplittableRandom r = new java.util.SplittableRandom(42);
            for (int i = 0; i < LOOKUPS; i++) {
                probes[i] = new long[words];
                stateOf(r.nextInt(STATES), probes[i]);
            }
        }
    }

    /** Hash plus insert of a state that is already present (a duplicate successor), in a table {@value #FILL} full. */
    @Benchmark
    public int insertPresent(FullTable t) {
        long[] state = t.probes[t.next++ & (LOOKUPS - 1)];
        return t.set.insert(state, StateHash.hash(state));
    }
}
