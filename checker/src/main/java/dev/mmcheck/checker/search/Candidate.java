package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;

import java.util.Arrays;

/**
 * The counterexample a worker would report from the current BFS level: of the states it found
 * breaking an invariant or deadlocked, the smallest by a key that does not depend on timing
 * (depth, then the invariant's position in declaration order with deadlocks last, then the
 * state's fingerprint, then its vector). The level's counterexample is the smallest of the
 * workers' candidates, so it is the same for any number of workers.
 */
final class Candidate {
    /** The kind of a deadlock: after every invariant. */
    static final int DEADLOCK = Integer.MAX_VALUE;

    private final long[] state;
    private int slot = -1;
    private int depth;
    private int kind;
    private long fingerprint;
    private Invariant invariant;

    Candidate(int words) {
        state = new long[words];
    }

    boolean isEmpty() {
        return slot < 0;
    }

    void clear() {
        slot = -1;
        invariant = null;
    }

    /** Keeps this state if it is smaller than the one kept; {@code broken} is null for a deadlock. */
    void offer(int stateSlot, int stateDepth, int stateKind, Invariant broken, long stateFingerprint, long[] s) {
        if (!isEmpty() && compare(stateDepth, stateKind, stateFingerprint, s) <= 0) {
            return;
        }
        slot = stateSlot;
        depth = stateDepth;
        kind = stateKind;
        fingerprint = stateFingerprint;
        invariant = broken;
        System.arraycopy(s, 0, state, 0, state.length);
    }

    /** Keeps {@code other}'s state if it is smaller. */
    void offer(Candidate other) {
        if (!other.isEmpty()) {
            offer(other.slot, other.depth, other.kind, other.invariant, other.fingerprint, other.state);
        }
    }

    private int compare(int otherDepth, int otherKind, long otherFingerprint, long[] other) {
        int c = Integer.compare(depth, otherDepth);
        if (c == 0) {
            c = Integer.compare(kind, otherKind);
        }
        if (c == 0) {
            c = Long.compareUnsigned(fingerprint, otherFingerprint);
        }
        return c != 0 ? c : Arrays.compareUnsigned(state, other);
    }

    int slot() { return slot; }
    int depth() { return depth; }
    /** The broken invariant, or null for a deadlock. */
    Invariant invariant() { return invariant; }
}
