package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.VisitedSet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Per stored state, its parent in the search tree, indexed by the visited set's slot index: one
 * {@code int} per slot, {@code [open: 1 bit][parent's fingerprint prefix][parent slot + 1]}, the
 * slot field as wide as the capacity needs and the prefix in the bits left (none are left for
 * 2^30 slots and more). A closed entry keeps only the slot. An initial state's entry is
 * {@link #ROOT}; 0 means "not written yet".
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
 * earlier level and keeps its shallower parent. An offer is compared with the recorded parent by
 * the fingerprint prefixes; only when they are equal is the recorded parent's whole fingerprint
 * read, from the visited set (or the worker's {@link FingerprintCache}). This is the order of a key (depth,
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
    /** Bits of an entry that hold slot + 1; the ones above them, up to the open bit, hold a fingerprint prefix. */
    private final int slotBits;
    private final int slotMask;
    private final int prefixBits;

    /** @param capacity slots, below {@link #ROOT} so that every slot + 1 has its own entry */
    ParentLog(int capacity, VisitedSet visited) {
        if (capacity < 0 || capacity >= ROOT - 1) {
            throw new IllegalArgumentException("a parent log of " + capacity + " slots does not fit 31-bit entries");
        }
        this.entries = new int[capacity];
        this.visited = visited;
        // slot + 1 <= capacity < 2^slotBits - 1: no slot field is all ones, as ROOT's is.
        this.slotBits = Integer.SIZE - Integer.numberOfLeadingZeros(capacity + 1);
        this.slotMask = (int) ((1L << slotBits) - 1);
        this.prefixBits = Integer.SIZE - 1 - slotBits;
    }

    /**
     * The top bits of a fingerprint that fit beside a slot index: an open entry keeps its parent's,
     * so that most offers are decided without reading the recorded parent (a prefix orders as the
     * whole fingerprint does, unsigned).
     */
    private int prefix(long fingerprint) {
        return prefixBits == 0 ? 0 : (int) (fingerprint >>> (Long.SIZE - prefixBits));
    }

    /** Reads the entry of {@code slot} and returns it (see {@link VisitedSet#touch}). */
    int touch(int slot) {
        return entries[slot];
    }

    void recordInitial(int slot) {
        ENTRY.setRelease(entries, slot, ROOT);
    }

    /** Records the parent of a state this caller just stored, closed: DFS keeps the first parent. */
    void record(int slot, int parentSlot) {
        ENTRY.setRelease(entries, slot, parentSlot + 1);
    }

    /**
     * Records the parent of a state this caller just stored, open: BFS, where a smaller parent of
     * the same level may still replace it.
     */
    void recordOpen(int slot, int parentSlot, long parentFingerprint) {
        ENTRY.setRelease(entries, slot, open(parentSlot, parentFingerprint));
    }

    private int open(int parentSlot, long parentFingerprint) {
        return OPEN | prefix(parentFingerprint) << slotBits | (parentSlot + 1);
    }

    /**
     * Offers {@code parentSlot} (whose state is {@code parentState}, fingerprint {@code parentFingerprint})
     * as the parent of the already stored state at {@code slot}; it wins if that state is open and
     * the parent is smaller than the recorded one.
     *
     * @param scratch a vector of the layout's words, for reading the recorded parent
     * @param recent  fingerprints of states expanded lately (the recorded parent's is often there), or null
     */
    void offer(int slot, int parentSlot, long parentFingerprint, long[] parentState, long[] scratch,
               FingerprintCache recent) {
        int mine = open(parentSlot, parentFingerprint);
        int myPrefix = prefix(parentFingerprint);
        while (true) {
            int e = (int) ENTRY.getAcquire(entries, slot);
            if (e == 0) {
                // Stored by another worker that is about to record its parent.
                Thread.onSpinWait();
                continue;
            }
            if ((e & OPEN) == 0 || e == mine) {
                return;
            }
            int recordedPrefix = (e & ~OPEN) >>> slotBits;
            if (myPrefix > recordedPrefix || myPrefix == recordedPrefix
                    && !smallerThanRecorded((e & slotMask) - 1, parentFingerprint, parentState, scratch, recent)) {
                return;
            }
            if (ENTRY.compareAndSet(entries, slot, e, mine)) {
                return;
            }
        }
    }

    /** Compares the whole fingerprints, then (lossless) the vectors. */
    private boolean smallerThanRecorded(int recordedParent, long fingerprint, long[] state, long[] scratch,
                                        FingerprintCache recent) {
        long recorded = recent == null ? 0 : recent.get(recordedParent);
        if (recorded == 0) {
            recorded = visited.fingerprintAt(recordedParent, scratch);
            if (recent != null) {
                recent.put(recordedParent, recorded);
            }
        }
        int c = Long.compareUnsigned(fingerprint, recorded);
        if (c == 0 && visited.isLossless()) {
            visited.read(recordedParent, scratch);
            c = Arrays.compareUnsigned(state, scratch);
        }
        return c < 0;
    }

    /** Closes the entries of {@code slots[0 .. count)}: their level ended, their parents are final. */
    void close(int[] slots, int count) {
        for (int i = 0; i < count; i++) {
            entries[slots[i]] &= slotMask;
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
        return e == ROOT ? -1 : (e & slotMask) - 1;
    }

    /** Slots the log has room for. */
    int capacity() {
        return entries.length;
    }

    /**
     * Copies the entries of slots {@code [from, to)} into {@code target}, a log over the set those
     * slots' states were moved to ({@code newIndex} as {@link VisitedSet#transferTo} wrote it): each
     * entry lands at its state's new slot and names its parent by the parent's new slot. Calls on
     * disjoint ranges may run at once; no offer may be in flight, and no entry be open (the search
     * grows between levels, after closing them): the new log's prefixes have another width.
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
            if ((e & OPEN) != 0) {
                throw new IllegalStateException("slot " + i + " is open: close the level before moving the log");
            }
            if (e != ROOT) { // the parent moved too
                e = newIndex[e - 1] + 1;
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
