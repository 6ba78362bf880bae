package dev.mmcheck.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's limits that bound the engine's hot path, for interpreting EngineBench:
 * <ul>
 *   <li>{@code randomLoadDependent}: one random read of a visited-set-sized array at a time (each
 *       address depends on the previous value): the latency of a cache and TLB miss.</li>
 *   <li>{@code randomLoadIndependent}: the same reads with independent addresses, so the core
 *       overlaps several misses: the throughput a search could reach by issuing the probes of
 *       several successors before using them.</li>
 *   <li>{@code sharedIncrement} (1 and 2 threads): {@code getAndIncrement} of one {@link AtomicLong},
 *       as the visited sets do once per new state to enforce their load limit.</li>
 * </ul>
 *
 * <pre>
 * java -Xmx8g -cp bench/target/mmcheck-bench.jar org.openjdk.jmh.Main MemoryBench
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MemoryBench {
    /** 72M longs = 576 MB: the lossless table of CounterGrid(5, 36) in EngineBench. */
    static final int LENGTH = 72_000_000;
    static final int BATCH = 1024;

    @State(Scope.Benchmark)
    public static class Table {
        long[] a;

        @Setup
        public void setup() {
            a = new long[LENGTH];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < LENGTH; i++) {
                a[i] = r.nextLong();
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        long x = 12345;
    }

    static int index(long x) {
        return (int) (((x * 0x9E3779B97F4A7C15L) >>> 32) * LENGTH >>> 32);
    }

    /** Each load's address depends on the previous load's value: pure miss latency. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long randomLoadDependent(Table t, Cursor c) {
        long[] a = t.a;
        long x = c.x;
        for (int i = 0; i < BATCH; i++) {
            x = a[index(x)];
        }
        c.x = x;
        return x;
    }

    /** Loads whose addresses do not depend on each other: the core overlaps the misses. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long randomLoadIndependent(Table t, Cursor c) {
        long[] a = t.a;
        long x = c.x;
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += a[index(x + i)];
        }
        c.x = x + BATCH;
        return sum;
    }

    @State(Scope.Benchmark)
    public static class Shared {
        final AtomicLong size = new AtomicLong();
    }

    @Benchmark
    @Threads(1)
    public long sharedIncrement1(Shared s) {
        return s.size.getAndIncrement();
    }

    @Benchmark
    @Threads(2)
    public long sharedIncrement2(Shared s) {
        return s.size.getAndIncrement();
    }
}
