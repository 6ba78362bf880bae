package dev.mmcheck.checker.store;

import dev.mmcheck.checker.state.Layout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free visited set that keeps whole state vectors: open addressing with linear probing
 * over one flat {@code long[]} of {@code capacity * words} longs. Slot {@code i} is the vector
 * at {@code [i * words, (i + 1) * words)}; there is no separate hash array, the slot is the state.
 *
 * <p>Word 0 of a slot carries the slot's status in the {@link Layout#RESERVED_BITS} bits that no
 * state uses:
 * <ul>
 *   <li>{@code 0}: empty. Only an empty slot can be claimed, and no state has word 0 equal to 0
 *       once stored, because a stored word 0 always has {@link #PRESENT} set.</li>
 *   <li>{@link #BUSY} exactly: claimed by an inserter that is still writing words 1..k-1.
 *       Readers spin until it turns into {@code s0 | PRESENT}.</li>
 *   <li>{@code s0 | PRESENT}: holds a state whose word 0 is {@code s0}; words 1..k-1 are
 *       visible to whoever read this value with acquire semantics.</li>
 * </ul>
 * A slot only ever goes {@code 0 -> BUSY -> s0|PRESENT} (or {@code 0 -> s0|PRESENT} for
 * single-word states) and is never cleared, so a slot index is stable for the whole run.
 *
 * <p>Inserting a state {@code X}: every inserter of {@code X} walks the same probe sequence and
 * claims the first slot it finds empty. Slots before it were non-empty and stay so, and none of
 * them holds {@code X} (each was compared, waiting out {@code BUSY}), so two inserters of {@code X}
 * meet at the same slot and the compare-and-set there lets exactly one of them see it as new.
 *
 * <p>Word 0 is accessed through a {@link VarHandle} (acquire reads, CAS, release write); the
 * other words are plain: they are written before the release of word 0 and read after an
 * acquire read that saw {@code PRESENT}. Inserts do not allocate.
 *
 * <p>Load limit: a state is only claimed after reserving one unit of {@link #size()} (at most
 * {@code floor(capacity * maxLoad)}); the reservation is undone when the CAS is lost. So
 * {@link #size()} is exact when no insert is in flight and may briefly count claims in progress.
 * The limit is never exceeded, and a state already present is always answered {@code ~index},
 * but right at the limit the FULL answer is not strictly linearizable: an insert may see FULL
 * because of a concurrent reservation that is then given back, or while a concurrent insert of
 * the same state is about to succeed. Either way the run is already incomplete.
 */
public final class LosslessTable implements VisitedSet {
    /** Word-0 flag: the slot holds a state. */
    public static final long PRESENT = 1L << 63;
    /** Word-0 value (exactly) of a slot claimed by an inserter that is still writing it. */
    public static final long BUSY = 1L << 62;
    /** The reserved bits of word 0, clear in every state given to {@link #insert}. */
    static final long RESERVED_MASK = PRESENT | BUSY;

    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final int words;
    private final int capacity;
    private final LoadLimit limit;

    /**
     * @param words    words per state vector ({@code >= 1})
     * @param capacity number of slots ({@code >= 1}, {@code capacity * words <= Integer.MAX_VALUE - 8})
     * @param maxLoad  fraction of slots that may be filled, in {@code (0, 1]}
     */
    public LosslessTable(int words, int capacity, double maxLoad) {
        this(words, capacity, maxLoad, null);
    }

    /** With a pre-allocated, zeroed array of {@code capacity * words} longs (or null to allocate). */
    LosslessTable(int words, int capacity, double maxLoad, long[] slots) {
        if (words < 1) {
            throw new IllegalArgumentException("words " + words + " must be >= 1");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be >= 1");
        }
        if (!(maxLoad > 0 && maxLoad <= 1)) {
            throw new IllegalArgumentException("maxLoad " + maxLoad + " must be in (0, 1]");
        }
        long length = (long) capacity * words;
        if (length > VisitedSets.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("capacity " + capacity + " x " + words + " words = " + length
                    + " longs exceeds the Java array limit of " + VisitedSets.MAX_ARRAY_LENGTH);
        }
        if (slots != null && slots.length != length) {
            throw new IllegalArgumentException("slot array has " + slots.length + " longs, need " + length);
        }
        this.words = words;
        this.capacity = capacity;
        this.limit = new LoadLimit((long) Math.floor(capacity * maxLoad));
        this.slots = slots != null ? slots : new long[(int) length];
    }

    @Override
    public int insert(long[] state, long hash) {
        final long s0 = state[0];
        if ((s0 & RESERVED_MASK) != 0) {
            throw new IllegalArgumentException("state word 0 has reserved bits set: " + Long.toHexString(s0));
        }
        final long[] slots = this.slots;
        final int words = this.words;
        final int capacity = this.capacity;
        int index = startSlot(hash, capacity);
        // Counts slots passed over; reaching capacity means every slot holds another state.
        int probed = 0;
        while (probed < capacity) {
            final int base = index * words;
            final long w0 = (long) WORD.getAcquire(slots, base);
            if (w0 == 0L) {
                if (!limit.reserve()) {
                    // At the load limit. If the slot is still empty, the state is absent (it could
                    // only be stored here): FULL. Otherwise someone stored something: look again.
                    if ((long) WORD.getAcquire(slots, base) == 0L) {
                        return FULL;
                    }
                    continue;
                }
                if (words == 1) {
                    if (WORD.compareAndSet(slots, base, 0L, s0 | PRESENT)) {
                        return index;
                    }
                } else if (WORD.compareAndSet(slots, base, 0L, BUSY)) {
                    // We own the slot: nobody reads words 1..k-1 until the release below.
                    for (int w = 1; w < words; w++) {
                        slots[base + w] = state[w];
                    }
                    WORD.setRelease(slots, base, s0 | PRESENT);
                    return index;
                }
                // Lost the race for this slot: give the reservation back and re-read the same slot.
                limit.release();
                continue;
            }
            if (w0 == BUSY) {
                // Another inserter is writing this slot; it may be our state, so wait for it.
                Thread.onSpinWait();
                continue;
            }
            if ((w0 & ~PRESENT) == s0 && restEquals(slots, base, state, words)) {
                return ~index;
            }
            index = index + 1 == capacity ? 0 : index + 1;
            probed++;
        }
        return FULL;
    }

    /**
     * {@inheritDoc} A slot another mover is writing holds another state, so it is passed over
     * like a full one; the state lands in the first slot of its probe sequence found empty, where
     * an {@link #insert} of it will find it.
     */
    @Override
    public int moveIn(long[] state, long hash, long[] scratch) {
        final long s0 = state[0];
        if ((s0 & RESERVED_MASK) != 0) {
            throw new IllegalArgumentException("state word 0 has reserved bits set: " + Long.toHexString(s0));
        }
        int index = startSlot(hash, capacity);
        int probed = 0;
        while (probed < capacity) {
            final int base = index * words;
            if ((long) WORD.getAcquire(slots, base) == 0L) {
                if (WORD.compareAndSet(slots, base, 0L, words == 1 ? s0 | PRESENT : BUSY)) {
                    for (int w = 1; w < words; w++) {
                        slots[base + w] = state[w];
                    }
                    if (words > 1) {
                        WORD.setRelease(slots, base, s0 | PRESENT);
                    }
                    return index;
                }
                continue; // another mover took it: look at it again
            }
            index = index + 1 == capacity ? 0 : index + 1;
            probed++;
        }
        return FULL;
    }

    @Override
    public void settleMoves(long moved) {
        limit.addMoved(moved, this);
    }

    /** {@inheritDoc} The first and last word of the first slot probed (a slot may span two cache lines). */
    @Override
    public long touch(long hash) {
        int base = startSlot(hash, capacity) * words;
        return slots[base] + slots[base + words - 1];
    }

    private static boolean restEquals(long[] slots, int base, long[] state, int words) {
        for (int w = 1; w < words; w++) {
            if (slots[base + w] != state[w]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first slot to probe: a Fibonacci multiply spreads the hash into the high 32 bits, which a
     * multiply-shift maps onto {@code [0, capacity)} (Lemire's reduction; no division, any capacity).
     * The product of a 32-bit value and a capacity below 2^31 fits in a signed long.
     */
    static int startSlot(long hash, int capacity) {
        long spread = (hash * 0x9E3779B97F4A7C15L) >>> 32;
        return (int) ((spread * capacity) >>> 32);
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    /**
     * Copies the state at {@code index} into {@code into} (reserved bits cleared). The index must
     * be one an insert returned (as {@code index} or {@code ~index}).
     */
    @Override
    public void read(int index, long[] into) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("slot " + index + " is outside [0, " + capacity + ")");
        }
        final int base = index * words;
        final long w0 = (long) WORD.getAcquire(slots, base);
        if ((w0 & PRESENT) == 0) {
            throw new IllegalStateException("slot " + index + " holds no state");
        }
        into[0] = w0 & ~RESERVED_MASK;
        for (int w = 1; w < words; w++) {
            into[w] = slots[base + w];
        }
    }

    /**
     * Where the vector of slot {@code index} starts in {@link #slotArray()}, or -1 when the slot
     * holds no state. Reads word 0 with acquire semantics, so the words after it are visible.
     */
    int presentAt(int index) {
        int base = index * words;
        return ((long) WORD.getAcquire(slots, base) & PRESENT) != 0 ? base : -1;
    }

    /** The slots themselves, for a reader that decodes them in place (word 0 carries the status bits). */
    long[] slotArray() {
        return slots;
    }

    @Override
    public long fingerprintAt(int index, long[] scratch) {
        read(index, scratch);
        return FingerprintTable.fingerprint(StateHash.hash(scratch));
    }

    /** Words per state. */
    public int words() {
        return words;
    }

    /** {@inheritDoc} The target must be a lossless set of the same words. */
    @Override
    public long transferTo(VisitedSet target, int from, int to, int[] newIndex) {
        if (!(target instanceof LosslessTable) || ((LosslessTable) target).words != words) {
            throw new UnsupportedOperationException("a lossless table of " + words + " words transfers only into another");
        }
        long[] state = new long[words];
        long count = 0;
        for (int i = from; i < to; i++) {
            final int base = i * words;
            final long w0 = (long) WORD.getAcquire(slots, base);
            if ((w0 & PRESENT) == 0) {
                newIndex[i] = -1;
                continue;
            }
            state[0] = w0 & ~RESERVED_MASK;
            for (int w = 1; w < words; w++) {
                state[w] = slots[base + w];
            }
            newIndex[i] = transferred(target.moveIn(state, StateHash.hash(state), null), i);
            count++;
        }
        return count;
    }

    /** The new index of a state copied from slot {@code from}: it must have been absent and fitted. */
    static int transferred(int inserted, int from) {
        if (inserted < 0) {
            throw new IllegalStateException(inserted == FULL ? "the target set filled up while the state of slot "
                    + from + " was copied into it" : "the target set already held the state of slot " + from);
        }
        return inserted;
    }

    /** The most states this table accepts: {@code floor(capacity * maxLoad)}. */
    @Override
    public long maxSize() {
        return limit.max();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long size() {
        return limit.size();
    }

    @Override
    public long allocatedBytes() {
        return (long) capacity * words * Long.BYTES;
    }

    @Override
    public double collisionProbabilityBound(long generated) {
        return 0;
    }

    @Override
    public String toString() {
        return "LosslessTable[" + size() + "/" + capacity + " slots of " + words + " words]";
    }
}
