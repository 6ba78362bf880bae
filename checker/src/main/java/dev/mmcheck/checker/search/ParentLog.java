package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.VisitedSet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Per stored state, its parent in the search tree, indexed by the visited set's slot index: one
 * {@code long} per slot, {@code [key: 33 bits][parent slot + 1: 31 bits]}. An initial state has
 * key 0 and its ordinal + 1 in the low bits; 0 means "not written yet".
 *
 * <p>BFS keeps the tree canonical. A state of depth d+1 can be reached from several states of
 * depth d; whichever worker stores it first records its own parent, and every worker that
 * reaches the state again offers its parent, the smallest key winning (a CAS). The key orders
 * parents by depth, then fingerprint, then (lossless sets) vector, so after a complete level each
 * of its states has the smallest of its parents in the previous level: a set that does not depend
 * on the number of workers or on timing, and neither does the path to a state. A parent from an
 * earlier level has a smaller depth, so a state is never moved deeper. The stored key holds the
 * depth (20 bits) and the top 13 bits of the fingerprint; on a tie the rest is read from the
 * visited set. Beyond {@link #MAX_CANONICAL_DEPTH} levels the first parent stays (paths to such
 * states may differ between runs with several workers).
 *
 * <p>Transition ids are not stored: a trace takes, at each step, the smallest transition id that
 * leads from the parent to the child, found again when the trace is rebuilt.
 */
final class ParentLog {
    /** Deepest parent whose children get canonical parents; deeper ones keep the first. */
    static final int MAX_CANONICAL_DEPTH = (1 << 20) - 3;
    /** The key of a parent recorded without ordering (DFS): any non-zero depth field. */
    static final long UNORDERED = 1L << 13;

    /** The key recorded for parents beyond the canonical depth: above every canonical key. */
    private static final long SATURATED = (1L << 33) - 1;
    private static final int SLOT_BITS = 31;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final int HASH_BITS = 13;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] entries;
    private final VisitedSet visited;

    ParentLog(int capacity, VisitedSet visited) {
        this.entries = new long[capacity];
        this.visited = visited;
    }

    /** The key of a parent at {@code depth} with fingerprint {@code fingerprint}, or -1 beyond the canonical depth. */
    static long key(int depth, long fingerprint) {
        if (depth > MAX_CANONICAL_DEPTH) {
            return -1;
        }
        return ((long) (depth + 1) << HASH_BITS) | (fingerprint >>> (Long.SIZE - HASH_BITS));
    }

    /** Reads the entry of {@code slot} and returns it (see {@link VisitedSet#touch}). */
    long touch(int slot) {
        return entries[slot];
    }

    void recordInitial(int slot, int ordinal) {
        ENTRY.setRelease(entries, slot, (long) ordinal + 1);
    }

    /** Records the parent of a state this caller just stored; {@code key} from {@link #key}, or {@link #UNORDERED}. */
    void record(int slot, int parentSlot, long key) {
        ENTRY.setRelease(entries, slot, ((key < 0 ? SATURATED : key) << SLOT_BITS) | (parentSlot + 1L));
    }

    /**
     * Offers {@code parentSlot} (whose state is {@code parentState}, fingerprint {@code parentFingerprint})
     * as the parent of the already stored state at {@code slot}; it wins if its key is smaller.
     *
     * @param scratch a vector of the layout's words, for reading the recorded parent on a tie
     */
    void offer(int slot, int parentSlot, long key, long parentFingerprint, long[] parentState, long[] scratch) {
        if (key < 0) {
            return;
        }
        long mine = (key << SLOT_BITS) | (parentSlot + 1L);
        while (true) {
            long e = (long) ENTRY.getAcquire(entries, slot);
            if (e == 0) {
                // Stored by another worker that is about to record its parent.
                Thread.onSpinWait();
                continue;
            }
            long recorded = e >>> SLOT_BITS;
            if (recorded < key || recorded == key && !smallerThanRecorded(e, parentSlot, parentFingerprint, parentState, scratch)) {
                return;
            }
            if (ENTRY.compareAndSet(entries, slot, e, mine)) {
                return;
            }
        }
    }

    /** Keys tie on their stored bits: compare the whole fingerprints, then (lossless) the vectors. */
    private boolean smallerThanRecorded(long e, int parentSlot, long fingerprint, long[] state, long[] scratch) {
        int recordedParent = (int) (e & SLOT_MASK) - 1;
        if (recordedParent == parentSlot) {
            return false;
        }
        int c = Long.compareUnsigned(fingerprint, visited.fingerprintAt(recordedParent, scratch));
        if (c == 0 && visited.isLossless()) {
            c = Arrays.compareUnsigned(state, scratch);
        }
        return c < 0;
    }

    /** The parent's slot, or {@code -1 - ordinal} for an initial state. */
    int parent(int slot) {
        long e = entries[slot];
        int low = (int) (e & SLOT_MASK) - 1;
        return e >>> SLOT_BITS == 0 ? -1 - low : low;
    }

    /** Slots the log has room for. */
    int capacity() {
        return entries.length;
    }

    /**
     * Copies the entries of slots {@code [from, to)} into {@code target}, a log over the set those
     * slots' states were moved to ({@code newIndex} as {@link VisitedSet#transferTo} wrote it): each
     * entry lands at its state's new slot and names its parent by the parent's new slot, with the
     * same key. Calls on disjoint ranges may run at once; no offer may be in flight.
     */
    void transferTo(ParentLog target, int from, int to, int[] newIndex) {
        for (int i = from; i < to; i++) {
            int moved = newIndex[i];
            if (moved < 0) {
                continue;
            }
            long e = entries[i];
            if (e == 0) {
                throw new IllegalStateException("slot " + i + " holds a state whose parent was never recorded");
            }
            if (e >>> SLOT_BITS != 0) { // not an initial state: the parent moved too
                int parent = (int) (e & SLOT_MASK) - 1;
                e = (e & ~SLOT_MASK) | (newIndex[parent] + 1L);
            }
            target.entries[moved] = e;
        }
    }

    long allocatedBytes() {
        return (long) entries.length * Long.BYTES;
    }

    /** The slots from an initial state to {@code slot} (both included), and the initial ordinal in {@code ordinalOut[0]}. */
    int[] path(int slot, int[] ordinalOut) {
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
        ordinalOut[0] = -1 - parent(s);
        return slots;
    }
}
