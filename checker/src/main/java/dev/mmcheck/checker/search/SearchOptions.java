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

    // Not final so that each wither can change one field of a fresh copy; an instance never
    // changes after a wither or defaults() has returned it.
    private Mode mode = Mode.BFS;
    private int workers = Runtime.getRuntime().availableProcessors();
    private long maxStates = Long.MAX_VALUE;
    private int maxDepth = Integer.MAX_VALUE;
    private Duration timeLimit;
    private long memoryBytes;
    private boolean fingerprints;
    private long seed = 1;
    private long walks = 1000;
    private boolean checkDeadlock = true;
    private PrintStream progress;
    private Duration progressInterval = Duration.ofSeconds(5);

    private SearchOptions() {
    }

    private SearchOptions copy() {
        SearchOptions o = new SearchOptions();
        o.mode = mode;
        o.workers = workers;
        o.maxStates = maxStates;
        o.maxDepth = maxDepth;
        o.timeLimit = timeLimit;
        o.memoryBytes = memoryBytes;
        o.fingerprints = fingerprints;
        o.seed = seed;
        o.walks = walks;
        o.checkDeadlock = checkDeadlock;
        o.progress = progress;
        o.progressInterval = progressInterval;
        return o;
    }

    /** BFS on all cores, no state/depth/time bound, 60% of the heap, lossless, no progress output. */
    public static SearchOptions defaults() {
        return new SearchOptions();
    }

    public SearchOptions withMode(Mode value) {
        if (value == null) {
            throw new IllegalArgumentException("mode must be one of bfs, dfs, simulate");
        }
        SearchOptions o = copy();
        o.mode = value;
        return o;
    }

    public SearchOptions withWorkers(int value) {
        if (value < 1 || value > 1024) {
            throw new IllegalArgumentException("workers: " + value + " is not allowed; use 1 to 1024");
        }
        SearchOptions o = copy();
        o.workers = value;
        return o;
    }

    public SearchOptions withMaxStates(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("max-states: " + value + " is not allowed; use a positive number");
        }
        SearchOptions o = copy();
        o.maxStates = value;
        return o;
    }

    public SearchOptions withMaxDepth(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("max-depth: " + value + " is not allowed; use 0 or more");
        }
        SearchOptions o = copy();
        o.maxDepth = value;
        return o;
    }

    /** The time limit; null for none. */
    public SearchOptions withTimeLimit(Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("time: " + value + " is not allowed; use a positive duration");
        }
        SearchOptions o = copy();
        o.timeLimit = value;
        return o;
    }

    /** The memory budget for the visited set, parent log and queues; 0 means the default. */
    public SearchOptions withMemoryBytes(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("memory: " + value + " bytes is not allowed; use a positive size");
        }
        SearchOptions o = copy();
        o.memoryBytes = value;
        return o;
    }

    public SearchOptions withFingerprints(boolean value) {
        SearchOptions o = copy();
        o.fingerprints = value;
        return o;
    }

    public SearchOptions withSeed(long value) {
        SearchOptions o = copy();
        o.seed = value;
        return o;
    }

    /** Number of random walks in simulation mode. */
    public SearchOptions withWalks(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("walks: " + value + " is not allowed; use a positive number");
        }
        SearchOptions o = copy();
        o.walks = value;
        return o;
    }

    public SearchOptions withDeadlockCheck(boolean value) {
        SearchOptions o = copy();
        o.checkDeadlock = value;
        return o;
    }

    /** Where progress lines go (e.g. System.err); null for none. */
    public SearchOptions withProgress(PrintStream out, Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval: " + interval + " is not allowed; use a positive duration");
        }
        SearchOptions o = copy();
        o.progress = out;
        o.progressInterval = interval;
        return o;
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
