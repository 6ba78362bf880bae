package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.VisitedSet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Per stored state, its parent in the search tree, indexed by the visited set's slot index: one
 * {@code int} per slot, {@code [open: 1 bit][parent slot + 1: 31 bits]}. An initial state's entry
 * is {@link #ROOT}; 0 means "not written yet".
 *
 * <p>BFS keeps the tree canonical. A state of depth d+1 can be reached from several states of
 * depth d; whichever worker stores it first records its own parent, and every worker that
 * reaches the state again offers its parent, the smallest by fingerprint, then (lossless sets)
 * vector, winning (a CAS). So after a complete level each of its states has the smallest of its
 * parents in the previous level: a choice that does not depend on the number of workers or on
 * timing, and neither does the path to a state.
 *
 * <p>The depth is not stored: a state stored during level d is recorded <em>open</em>, and the
 * search {@link #close closes} the level's states when it ends. An offer during level d comes from
 * a parent of depth d, so it can only win for an open state (depth d+1); a closed one is from an
 * earlier level and keeps its shallower parent. The recorded parent's fingerprint is read from the
 * visited set when an offer must be compared with it. This is the order of a key (depth,
 * fingerprint, vector), at 4 bytes a slot instead of the 8 that storing the key took.
 *
 * <p>Transition ids are not stored: a trace takes, at each step, the smallest transition id that
 * leads from the parent to the child, found again when the trace is rebuilt. Nor is the ordinal of
 * an initial state: the trace finds it among the model's initial states ({@link #path}).
 */
final class ParentLog {
    /** Entry bit: stored during the current BFS level, so a parent of this level may still replace its parent. */
    static final int OPEN = 1 << 31;
    /** The entry of an initial state (closed; no slot + 1 is this large, see {@link #ParentLog}). */
    static final int ROOT = Integer.MAX_VALUE;

    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] entries;
    private final VisitedSet visited;

    /** @param capacity slots, below {@link #ROOT} so that every slot + 1 has its own entry */
    ParentLog(int capacity, VisitedSet visited) {
        if (capacity < 0 || capacity >= ROOT - 1) {
            throw new IllegalArgumentException("a parent log of " + capacity + " slots does not fit 31-bit entries");
        }
        this.entries = new int[capacity];
        this.visited = visited;
    }

    /** Reads the entry of {@code slot} and returns it (see {@link VisitedSet#touch}). */
    int touch(int slot) {
        return entries[slot];
    }

    void recordInitial(int slot) {
        ENTRY.setRelease(entries, slot, ROOT);
    }

    /**
     * Records the parent of a state this caller just stored: {@code open} (BFS) when later parents
     * of the same level may still replace it, closed (DFS, which keeps the first).
     */
    void record(int slot, int parentSlot, boolean open) {
        ENTRY.setRelease(entries, slot, (open ? OPEN : 0) | (parentSlot + 1));
    }

    /**
     * Offers {@code parentSlot} (whose state is {@code parentState}, fingerprint {@code parentFingerprint})
     * as the parent of the already stored state at {@code slot}; it wins if that state is open and
     * the parent is smaller than the recorded one.
     *
     * @param scratch a vector of the layout's words, for reading the recorded parent
     */
    void offer(int slot, int parentSlot, long parentFingerprint, long[] parentState, long[] scratch) {
        int mine = OPEN | (parentSlot + 1);
        while (true) {
            int e = (int) ENTRY.getAcquire(entries, slot);
            if (e == 0) {
                // Stored by another worker that is about to record its parent.
                Thread.onSpinWait();
                continue;
            }
            if ((e & OPEN) == 0 || e == mine || !smallerThanRecorded((e & ~OPEN) - 1, parentFingerprint, parentState, scratch)) {
                return;
            }
            if (ENTRY.compareAndSet(entries, slot, e, mine)) {
                return;
            }
        }
    }

    /** Compares the whole fingerprints, then (lossless) the vectors. */
    private boolean smallerThanRecorded(int recordedParent, long fingerprint, long[] state, long[] scratch) {
        int c = Long.compareUnsigned(fingerprint, visited.fingerprintAt(recordedParent, scratch));
        if (c == 0 && visited.isLossless()) {
            c = Arrays.compareUnsigned(state, scratch);
        }
        return c < 0;
    }

    /** Closes the entries of {@code slots[0 .. count)}: their level ended, their parents are final. */
    void close(int[] slots, int count) {
        for (int i = 0; i < count; i++) {
            entries[slots[i]] &= ~OPEN;
        }
    }

    /** True when the entry of {@code slot} is open (for tests). */
    boolean isOpen(int slot) {
        return (entries[slot] & OPEN) != 0;
    }

    /** The parent's slot, or -1 for an initial state. */
    int parent(int slot) {
        int e = entries[slot];
        if (e == 0) {
            throw new IllegalStateException("slot " + slot + " holds a state whose parent was never recorded");
        }
        return e == ROOT ? -1 : (e & ~OPEN) - 1;
    }

    /** Slots the log has room for. */
    int capacity() {
        return entries.length;
    }

    /**
     * Copies the entries of slots {@code [from, to)} into {@code target}, a log over the set those
     * slots' states were moved to ({@code newIndex} as {@link VisitedSet#transferTo} wrote it): each
     * entry lands at its state's new slot and names its parent by the parent's new slot, open or
     * closed as it was. Calls on disjoint ranges may run at once; no offer may be in flight.
     */
    void transferTo(ParentLog target, int from, int to, int[] newIndex) {
        for (int i = from; i < to; i++) {
            int moved = newIndex[i];
            if (moved < 0) {
                continue;
            }
            int e = entries[i];
            if (e == 0) {
                throw new IllegalStateException("slot " + i + " holds a state whose parent was never recorded");
            }
            if (e != ROOT) { // the parent moved too
                e = (e & OPEN) | (newIndex[(e & ~OPEN) - 1] + 1);
            }
            target.entries[moved] = e;
        }
    }

    long allocatedBytes() {
        return (long) entries.length * Integer.BYTES;
    }

    /** The slots from an initial state to {@code slot}, both included. */
    int[] path(int slot) {
        int length = 1;
        for (int s = slot; parent(s) >= 0; s = parent(s)) {
            length++;
        }
        int[] slots = new int[length];
        int s = slot;
        for (int i = length - 1; i > 0; i--) {
            slots[i] = s;
            s = parent(s);
        }
        slots[0] = s;
        return slots;
    }
}
