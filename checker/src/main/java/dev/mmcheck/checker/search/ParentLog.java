package dev.mmcheck.checker.search;

/**
 * Per stored state: the slot of its parent and the transition that reached it, indexed by the
 * visited set's slot index. Initial states have parent {@code -1 - ordinal}. Transition ids are
 * kept in a {@code char[]} (2 bytes) when the model has at most 65,536 transitions, so a slot
 * costs 6 bytes, else 8.
 *
 * <p>Each slot is written once, by the worker whose insert created the state, before the state
 * is published in a frontier; readers run after the level barrier, which orders the writes.
 */
final class ParentLog {
    private final int[] parent;
    private final char[] smallTransition;
    private final int[] transition;

    ParentLog(int capacity, int transitionCount) {
        parent = new int[capacity];
        if (transitionCount <= Character.MAX_VALUE + 1) {
            smallTransition = new char[capacity];
            transition = null;
        } else {
            smallTransition = null;
            transition = new int[capacity];
        }
    }

    void record(int slot, int parentSlot, int transitionId) {
        parent[slot] = parentSlot;
        if (smallTransition != null) {
            smallTransition[slot] = (char) transitionId;
        } else {
            transition[slot] = transitionId;
        }
    }

    void recordInitial(int slot, int ordinal) {
        record(slot, -1 - ordinal, 0);
    }

    int parent(int slot) {
        return parent[slot];
    }

    int transition(int slot) {
        return smallTransition != null ? smallTransition[slot] : transition[slot];
    }

    long allocatedBytes() {
        long n = parent.length;
        return n * Integer.BYTES + (smallTransition != null ? n * Character.BYTES : n * Integer.BYTES);
    }

    /** The transition ids from an initial state to {@code slot}, and the initial ordinal in {@code ordinalOut[0]}. */
    int[] path(int slot, int[] ordinalOut) {
        int length = 0;
        for (int s = slot; parent(s) >= 0; s = parent(s)) {
            length++;
        }
        int[] ids = new int[length];
        int s = slot;
        for (int i = length - 1; i >= 0; i--) {
            ids[i] = transition(s);
            s = parent(s);
        }
        ordinalOut[0] = -1 - parent(s);
        return ids;
    }
}
