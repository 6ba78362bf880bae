package dev.mmcheck.checker.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free visited set that keeps only a 64-bit fingerprint of each state (hash compaction,
 * as in TLC and SPIN): open addressing with linear probing over one {@code long[]}, 8 bytes a
 * slot whatever the state's size. Two distinct states with equal fingerprints are taken for one,
 * so the second is wrongly considered seen and its successors may go unexplored; see
 * {@link #collisionProbabilityBound}. {@link #read} is unsupported: no vector is kept.
 *
 * <p>The fingerprint is the caller's hash, except that 0 marks an empty slot, so a hash of 0 is
 * stored as {@link #ZERO_HASH_FINGERPRINT} (those two hash values then share a fingerprint, which
 * doubles the false-match chance of that one value out of 2^64: negligible). A slot goes
 * {@code 0 -> fp} by one CAS and is never cleared.
 * Every inserter of a fingerprint walks the same probe sequence and claims the first empty slot,
 * so exactly one of them wins the CAS there and sees it as new.
 *
 * <p>Load limit as in {@link LosslessTable}: a unit of {@link #size()} is reserved before the CAS
 * and given back if the CAS is lost; at most {@code floor(capacity * maxLoad)} fingerprints, with
 * the same caveat about FULL answers racing at the limit.
 */
public final class FingerprintTable implements VisitedSet {
    /** Stored in place of a hash of 0, which would read as an empty slot. */
    public static final long ZERO_HASH_FINGERPRINT = 0x5DEECE66DL;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final int capacity;
    private final LoadLimit limit;

    /**
     * @param capacity number of slots ({@code 1 .. Integer.MAX_VALUE - 8})
     * @param maxLoad  fraction of slots that may be filled, in {@code (0, 1]}
     */
    public FingerprintTable(int capacity, double maxLoad) {
        this(capacity, maxLoad, null);
    }

    /** With a pre-allocated, zeroed array of {@code capacity} longs (or null to allocate). */
    FingerprintTable(int capacity, double maxLoad, long[] slots) {
        if (capacity < 1 || capacity > VisitedSets.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("capacity " + capacity + " must be in [1, " + VisitedSets.MAX_ARRAY_LENGTH + "]");
        }
        if (!(maxLoad > 0 && maxLoad <= 1)) {
            throw new IllegalArgumentException("maxLoad " + maxLoad + " must be in (0, 1]");
        }
        if (slots != null && slots.length != capacity) {
            throw new IllegalArgumentException("slot array has " + slots.length + " longs, need " + capacity);
        }
        this.capacity = capacity;
        this.limit = new LoadLimit((long) Math.floor(capacity * maxLoad));
        this.slots = slots != null ? slots : new long[capacity];
    }

    /** The fingerprint stored for {@code hash}: the hash itself, never 0. */
    public static long fingerprint(long hash) {
        return hash == 0L ? ZERO_HASH_FINGERPRINT : hash;
    }

    /** {@inheritDoc} The state is not read: only {@code hash} matters. */
    @Override
    public int insert(long[] state, long hash) {
        final long fp = fingerprint(hash);
        final long[] slots = this.slots;
        final int capacity = this.capacity;
        int index = LosslessTable.startSlot(fp, capacity);
        int probed = 0;
        while (probed < capacity) {
            final long v = (long) SLOT.getAcquire(slots, index);
            if (v == 0L) {
                if (!limit.reserve()) {
                    // At the load limit: FULL unless the fingerprint just landed here.
                    if ((long) SLOT.getAcquire(slots, index) == 0L) {
                        return FULL;
                    }
                    continue;
                }
                if (SLOT.compareAndSet(slots, index, 0L, fp)) {
                    return index;
                }
                // Lost the slot: give the reservation back and look at the same slot again.
                limit.release();
                continue;
            }
            if (v == fp) {
                return ~index;
            }
            index = index + 1 == capacity ? 0 : index + 1;
            probed++;
        }
        return FULL;
    }

    /** {@inheritDoc} The state is not read: the fingerprint lands in the first empty slot of its probe sequence. */
    @Override
    public int moveIn(long[] state, long hash, long[] scratch) {
        final long fp = fingerprint(hash);
        int index = LosslessTable.startSlot(fp, capacity);
        int probed = 0;
        while (probed < capacity) {
            if ((long) SLOT.getAcquire(slots, index) == 0L) {
                if (SLOT.compareAndSet(slots, index, 0L, fp)) {
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

    @Override
    public long touch(long hash) {
        return slots[LosslessTable.startSlot(fingerprint(hash), capacity)];
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    /** Always throws: fingerprint tables keep no vectors. */
    @Override
    public void read(int index, long[] into) {
        throw new UnsupportedOperationException("fingerprint tables keep no vectors");
    }

    /** {@inheritDoc} The scratch vector is not used. */
    @Override
    public long fingerprintAt(int index, long[] scratch) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("slot " + index + " is outside [0, " + capacity + ")");
        }
        long fp = (long) SLOT.getAcquire(slots, index);
        if (fp == 0L) {
            throw new IllegalStateException("slot " + index + " holds no fingerprint");
        }
        return fp;
    }

    /** {@inheritDoc} The target must be a fingerprint table. */
    @Override
    public long transferTo(VisitedSet target, int from, int to, int[] newIndex) {
        if (!(target instanceof FingerprintTable)) {
            throw new UnsupportedOperationException("a fingerprint table transfers only into another");
        }
        long count = 0;
        for (int i = from; i < to; i++) {
            long fp = (long) SLOT.getAcquire(slots, i);
            if (fp == 0L) {
                newIndex[i] = -1;
                continue;
            }
            // A stored fingerprint is its own fingerprint (never 0), so it lands as it was stored.
            newIndex[i] = LosslessTable.transferred(target.moveIn(null, fp, null), i);
            count++;
        }
        return count;
    }

    /** The most fingerprints this table accepts: {@code floor(capacity * maxLoad)}. */
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
        return (long) capacity * Long.BYTES;
    }

    /**
     * {@code min(1, size * generated / 2^64)}: a union bound, treating fingerprints as independent
     * uniform 64-bit values. Each of the {@code generated} lookups compares against at most
     * {@code size} stored fingerprints (the table never holds more), and a given distinct state
     * matches a given stored fingerprint with probability {@code 2^-64}; summing over all lookups
     * and all stored fingerprints bounds the probability that any lookup falsely matched.
     */
    @Override
    public double collisionProbabilityBound(long generated) {
        double bound = (double) size() * (double) Math.max(0L, generated) * 0x1p-64;
        return Math.min(1.0, bound);
    }

    @Override
    public String toString() {
        return "FingerprintTable[" + size() + "/" + capacity + " slots]";
    }
}
