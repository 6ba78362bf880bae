package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.store.VisitedSet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared state of one run: the visited set and parent log, the queue budget, and the
 * reason it stopped: a counterexample (which BFS records at the end of the level that found it),
 * a bound, or a model failure. Workers poll {@link #stopped()}; the first recorded outcome wins,
 * except that a counterexample outranks a bound.
 */
final class Exploration {
    /** Why the run stopped early. */
    enum Outcome { NONE, VIOLATION, DEADLOCK, LIMIT, FAILURE }

    /** Replaced only between BFS levels, when the set grows ({@link #grown}). */
    private volatile VisitedSet visited;
    private volatile ParentLog parents;
    private final AtomicLong queueBudget;
    private final long maxStates;
    private final long deadlineNanos;

    private volatile boolean stopped;
    private Outcome outcome = Outcome.NONE;
    private Limit limit;
    private String limitMessage;
    private Invariant invariant;
    private int slot = -1;
    private int depthOfSlot;
    private Throwable failure;

    private volatile int level;
    private volatile long levelSize;
    private int diameter;
    private long peakQueue;

    Exploration(VisitedSet visited, ParentLog parents, long queueBudgetBytes, long maxStates, long deadlineNanos) {
        this.visited = visited;
        this.parents = parents;
        this.queueBudget = new AtomicLong(queueBudgetBytes);
        this.maxStates = maxStates;
        this.deadlineNanos = deadlineNanos;
    }

    VisitedSet visited() { return visited; }
    ParentLog parents() { return parents; }
    AtomicLong queueBudget() { return queueBudget; }

    /**
     * The visited set and parent log now are {@code bigger} and {@code theirParents}, which hold
     * every state of the old ones; the queues may use {@code extraQueueBytes} more. Only between
     * BFS levels, when no worker runs.
     */
    void grown(VisitedSet bigger, ParentLog theirParents, long extraQueueBytes) {
        visited = bigger;
        parents = theirParents;
        queueBudget.addAndGet(extraQueueBytes);
    }

    boolean stopped() {
        return stopped;
    }

    /** Called between blocks of work: the state-count and time bounds. */
    void checkBounds(long distinct) {
        checkStates(distinct);
        if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
            stop(Limit.TIME, "the time limit ran out");
        }
    }

    /** The state-count bound alone, cheap enough to check at every new state of a one-thread search. */
    void checkStates(long distinct) {
        if (distinct > maxStates) {
            stop(Limit.STATES, "more than " + maxStates + " distinct states (max-states " + maxStates + ")");
        }
    }

    /** Why a run stopped when the Java heap ran out. */
    static String heapExhausted() {
        return "the Java heap (max " + Progress.size(Runtime.getRuntime().maxMemory()) + ") ran out; lower the memory "
                + "budget or raise the heap (-Xmx)";
    }

    synchronized void stop(Limit why, String message) {
        if (outcome == Outcome.NONE) {
            outcome = Outcome.LIMIT;
            limit = why;
            limitMessage = message;
        }
        stopped = true;
    }

    /** A counterexample outranks a bound (DFS may hit both in one step): it is real whatever stopped the rest. */
    synchronized void violation(Invariant broken, int stateSlot, int depth) {
        if (outcome == Outcome.NONE || outcome == Outcome.LIMIT) {
            outcome = Outcome.VIOLATION;
            invariant = broken;
            slot = stateSlot;
            depthOfSlot = depth;
        }
        stopped = true;
    }

    synchronized void deadlock(int stateSlot, int depth) {
        if (outcome == Outcome.NONE || outcome == Outcome.LIMIT) {
            outcome = Outcome.DEADLOCK;
            slot = stateSlot;
            depthOfSlot = depth;
        }
        stopped = true;
    }

    synchronized void fail(Throwable cause) {
        if (outcome == Outcome.NONE || outcome == Outcome.LIMIT) {
            outcome = Outcome.FAILURE;
            failure = cause;
        }
        stopped = true;
    }

    void onLevel(int depth, long size) {
        level = depth;
        levelSize = size;
        if (size > 0) {
            diameter = Math.max(diameter, depth);
        }
        peakQueue = Math.max(peakQueue, size);
    }

    synchronized Outcome outcome() { return outcome; }
    synchronized Limit limit() { return limit; }
    synchronized String limitMessage() { return limitMessage; }
    synchronized Invariant invariant() { return invariant; }
    synchronized int slot() { return slot; }
    synchronized int depthOfSlot() { return depthOfSlot; }
    synchronized Throwable failure() { return failure; }
    int level() { return level; }
    long currentLevelSize() { return levelSize; }
    int diameter() { return diameter; }
    long peakQueue() { return peakQueue; }
}
