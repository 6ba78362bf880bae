package dev.mmcheck.checker.search;

import java.io.PrintStream;
import java.time.Duration;

/**
 * How a run explores and when it gives up. Immutable; build with {@link #defaults()} and the
 * {@code with*} methods, which reject nonsensical values with a message naming the option, the
 * value and what is allowed.
 */
public final class SearchOptions {
    /** Fraction of the maximum heap used as the default memory budget. */
    public static final double DEFAULT_HEAP_FRACTION = 0.6;

    private final Mode mode;
    private final int workers;
    private final long maxStates;
    private final int maxDepth;
    private final Duration timeLimit;
    private final long memoryBytes;
    private final boolean fingerprints;
    private final long seed;
    private final long walks;
    private final boolean checkDeadlock;
    private final PrintStream progress;
    private final Duration progressInterval;

    private SearchOptions(Mode mode, int workers, long maxStates, int maxDepth, Duration timeLimit,
                          long memoryBytes, boolean fingerprints, long seed, long walks,
                          boolean checkDeadlock, PrintStream progress, Duration progressInterval) {
        this.mode = mode;
        this.workers = workers;
        this.maxStates = maxStates;
        this.maxDepth = maxDepth;
        this.timeLimit = timeLimit;
        this.memoryBytes = memoryBytes;
        this.fingerprints = fingerprints;
        this.seed = seed;
        this.walks = walks;
        this.checkDeadlock = checkDeadlock;
        this.progress = progress;
        this.progressInterval = progressInterval;
    }

    /** BFS on all cores, no state/depth/time bound, 60% of the heap, lossless, no progress output. */
    public static SearchOptions defaults() {
        return new SearchOptions(Mode.BFS, Runtime.getRuntime().availableProcessors(), Long.MAX_VALUE,
                Integer.MAX_VALUE, null, 0, false, 1, 1000, true, null, Duration.ofSeconds(5));
    }

    public SearchOptions withMode(Mode value) {
        if (value == null) {
            throw new IllegalArgumentException("mode must be one of bfs, dfs, simulate");
        }
        return new SearchOptions(value, workers, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withWorkers(int value) {
        if (value < 1 || value > 1024) {
            throw new IllegalArgumentException("workers: " + value + " is not allowed; use 1 to 1024");
        }
        return new SearchOptions(mode, value, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withMaxStates(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("max-states: " + value + " is not allowed; use a positive number");
        }
        return new SearchOptions(mode, workers, value, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withMaxDepth(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("max-depth: " + value + " is not allowed; use 0 or more");
        }
        return new SearchOptions(mode, workers, maxStates, value, timeLimit, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withTimeLimit(Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("time: " + value + " is not allowed; use a positive duration");
        }
        return new SearchOptions(mode, workers, maxStates, maxDepth, value, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    /** The memory budget for the visited set, parent log and queues; 0 means the default. */
    public SearchOptions withMemoryBytes(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("memory: " + value + " bytes is not allowed; use a positive size");
        }
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, value, fingerprints,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withFingerprints(boolean value) {
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, memoryBytes, value,
                seed, walks, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withSeed(long value) {
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                value, walks, checkDeadlock, progress, progressInterval);
    }

    /** Number of random walks in simulation mode. */
    public SearchOptions withWalks(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("walks: " + value + " is not allowed; use a positive number");
        }
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, value, checkDeadlock, progress, progressInterval);
    }

    public SearchOptions withDeadlockCheck(boolean value) {
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, walks, value, progress, progressInterval);
    }

    /** Where progress lines go (e.g. System.err); null for none. */
    public SearchOptions withProgress(PrintStream out, Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval: " + interval + " is not allowed; use a positive duration");
        }
        return new SearchOptions(mode, workers, maxStates, maxDepth, timeLimit, memoryBytes, fingerprints,
                seed, walks, checkDeadlock, out, interval);
    }

    public Mode mode() { return mode; }
    public int workers() { return workers; }
    public long maxStates() { return maxStates; }
    public int maxDepth() { return maxDepth; }
    /** The time limit, or null for none. */
    public Duration timeLimit() { return timeLimit; }
    public boolean fingerprints() { return fingerprints; }
    public long seed() { return seed; }
    public long walks() { return walks; }
    public boolean checkDeadlock() { return checkDeadlock; }
    public PrintStream progress() { return progress; }
    public Duration progressInterval() { return progressInterval; }

    /** The memory budget in bytes: the explicit one, or a fraction of the maximum heap. */
    public long memoryBytes() {
        return memoryBytes > 0 ? memoryBytes : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_FRACTION);
    }

    public boolean hasExplicitMemory() {
        return memoryBytes > 0;
    }

    @Override
    public String toString() {
        return "mode=" + mode.name().toLowerCase() + " workers=" + workers
                + (maxStates == Long.MAX_VALUE ? "" : " max-states=" + maxStates)
                + (maxDepth == Integer.MAX_VALUE ? "" : " max-depth=" + maxDepth)
                + (timeLimit == null ? "" : " time=" + timeLimit)
                + " memory=" + memoryBytes() + (fingerprints ? " fingerprints" : " lossless")
                + (mode == Mode.SIMULATE ? " seed=" + seed + " walks=" + walks : "");
    }
}
