package dev.mmcheck.checker.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lossless visited set that stores each state in the packed form of a {@link Projection}:
 * only the bits that may differ from the base state. A state that does not fit the projection
 * (it changed a field the projection takes as constant) goes whole into a smaller overflow
 * table instead. Each state has exactly one home, decided by the state alone, so the two tables
 * together are one set; slots {@code [0, packedCapacity)} are the packed table's and the next
 * {@code overflowCapacity} the overflow's.
 *
 * <p>Placement and identity use the hash of the whole state, as in a {@link LosslessTable} of
 * whole states, so fingerprints, and with them everything the search orders by, are the same.
 * The search moves the states into a set with a {@link #widenedProjection() wider projection}
 * ({@link #transferTo}) when the overflow is {@link #overflowFilling filling} or the set grows
 * anyway, so that the overflow holds the misfits of a few BFS levels at most.
 */
public final class ProjectedTable implements VisitedSet {
    private final Projection projection;
    private final LosslessTable packed;
    private final LosslessTable overflow;
    private final int packedCapacity;
    /** States {@link #moveIn} put into the overflow since the last {@link #settleMoves}. */
    private final AtomicLong movedMisfits = new AtomicLong();

    ProjectedTable(Projection projection, LosslessTable packed, LosslessTable overflow) {
        if (packed.words() != projection.packedWords() || overflow.words() != projection.words()) {
            throw new IllegalArgumentException("tables of " + packed.words() + " and " + overflow.words()
                    + " words do not match " + projection);
        }
        if ((long) packed.capacity() + overflow.capacity() > VisitedSets.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("too many slots for one index space");
        }
        this.projection = projection;
        this.packed = packed;
        this.overflow = overflow;
        this.packedCapacity = packed.capacity();
    }

    /** Allocates a scratch vector: not for the hot path, which passes its own. */
    @Override
    public int insert(long[] state, long hash) {
        return insert(state, hash, new long[projection.words()]);
    }

    @Override
    public int insert(long[] state, long hash, long[] scratch) {
        if (projection.pack(state, scratch)) {
            return packed.insert(scratch, hash);
        }
        int slot = overflow.insert(state, hash);
        if (slot == FULL) {
            return FULL;
        }
        return slot >= 0 ? slot + packedCapacity : ~(~slot + packedCapacity);
    }

    @Override
    public int moveIn(long[] state, long hash, long[] scratch) {
        if (projection.pack(state, scratch)) {
            return packed.moveIn(scratch, hash, null);
        }
        // Rare (a move into a wider projection leaves no misfit): counted at once, so that
        // settling knows how many of the moved states are the packed table's.
        int slot = overflow.insert(state, hash);
        if (slot == FULL) {
            return FULL;
        }
        if (slot < 0) {
            throw new IllegalStateException("a state moved in was already in the overflow, at slot " + ~slot);
        }
        movedMisfits.incrementAndGet();
        return slot + packedCapacity;
    }

    @Override
    public void settleMoves(long moved) {
        packed.settleMoves(moved - movedMisfits.getAndSet(0));
    }

    @Override
    public long touch(long hash) {
        return packed.touch(hash);
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    @Override
    public void read(int index, long[] into) {
        if (index >= packedCapacity) {
            overflow.read(index - packedCapacity, into);
            return;
        }
        if (index < 0) {
            throw new IndexOutOfBoundsException("slot " + index + " is outside [0, " + capacity() + ")");
        }
        int base = packed.presentAt(index);
        if (base < 0) {
            throw new IllegalStateException("slot " + index + " holds no state");
        }
        projection.unpack(packed.slotArray(), base, into);
    }

    @Override
    public long fingerprintAt(int index, long[] scratch) {
        read(index, scratch);
        return FingerprintTable.fingerprint(StateHash.hash(scratch));
    }

    /** The projection states are stored in. */
    public Projection projection() {
        return projection;
    }

    /** States that did not fit the projection. */
    public long overflowSize() {
        return overflow.size();
    }

    /**
     * True when the overflow, holding {@link #overflowSize()} misfits now, might not take the
     * {@code expected} more of the next BFS levels, or is a quarter full: time to move into a
     * set with a wider projection before a level fills it (a full overflow ends the search, which
     * then restarts). Moving costs a pass over every slot, so a set does not move for a few misfits.
     */
    public boolean overflowFilling(long expected) {
        long misfits = overflow.size();
        return misfits * 4 > overflow.maxSize() || misfits + expected > overflow.maxSize();
    }

    /**
     * The projection widened by every field, and every value of a coded field, in which a state
     * in the overflow differs from it; a set with it stores all the states of this one packed. Call only when no insert is in flight.
     */
    public Projection widenedProjection() {
        Projection.Misfits misfits = projection.misfits();
        long[] state = new long[projection.words()];
        for (int i = 0; i < overflow.capacity(); i++) {
            if (overflow.presentAt(i) >= 0) {
                overflow.read(i, state);
                projection.addMisfit(state, misfits);
            }
        }
        return projection.widened(misfits);
    }

    /** {@inheritDoc} The target may be any lossless set of whole states of the same words. */
    @Override
    public long transferTo(VisitedSet target, int from, int to, int[] newIndex) {
        if (!target.isLossless()) {
            throw new UnsupportedOperationException("a projected table transfers only into a lossless set");
        }
        long[] state = new long[projection.words()];
        long[] scratch = new long[projection.words()];
        // A set that grows without widening keeps the projection: its packed states move as they
        // are (the whole state is still unpacked, for the hash that places it), not packed again.
        LosslessTable samePacked = target instanceof ProjectedTable && ((ProjectedTable) target).projection == projection
                ? ((ProjectedTable) target).packed : null;
        long[] packedSlots = packed.slotArray();
        int packedWords = packed.words();
        long count = 0;
        for (int i = from; i < to; i++) {
            int base = i < packedCapacity ? packed.presentAt(i) : -1;
            boolean misfit = i >= packedCapacity && overflow.presentAt(i - packedCapacity) >= 0;
            if (base < 0 && !misfit) {
                newIndex[i] = -1;
                continue;
            }
            read(i, state);
            long hash = StateHash.hash(state);
            int moved;
            if (base >= 0 && samePacked != null) {
                System.arraycopy(packedSlots, base, scratch, 0, packedWords);
                scratch[0] &= ~LosslessTable.RESERVED_MASK;
                moved = samePacked.moveIn(scratch, hash, null);
            } else {
                moved = target.moveIn(state, hash, scratch);
            }
            newIndex[i] = LosslessTable.transferred(moved, i);
            count++;
        }
        return count;
    }

    /** The packed table's load limit: the overflow is room for one level's misfits, not for the run. */
    @Override
    public long maxSize() {
        return packed.maxSize();
    }

    @Override
    public int capacity() {
        return packedCapacity + overflow.capacity();
    }

    @Override
    public long size() {
        return packed.size() + overflow.size();
    }

    @Override
    public long allocatedBytes() {
        return packed.allocatedBytes() + overflow.allocatedBytes();
    }

    @Override
    public double collisionProbabilityBound(long generated) {
        return 0;
    }

    @Override
    public String toString() {
        return "ProjectedTable[" + projection + ", " + packed + ", overflow " + overflow + "]";
    }
}
