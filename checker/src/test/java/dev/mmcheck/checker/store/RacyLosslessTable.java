package dev.mmcheck.checker.store;

/**
 * A deliberately broken copy of {@link LosslessTable} for the canary test: the claim step is a
 * plain read followed by a plain write instead of a CAS, so two inserters of the same state can
 * both see the slot empty and both report the state as new. Test-only; never use it.
 */
final class RacyLosslessTable implements VisitedSet {
    private final long[] slots;
    private final int words;
    private final int capacity;
    private long size;

    RacyLosslessTable(int words, int capacity) {
        this.words = words;
        this.capacity = capacity;
        this.slots = new long[capacity * words];
    }

    @Override
    public int insert(long[] state, long hash) {
        long s0 = state[0];
        int index = LosslessTable.startSlot(hash, capacity);
        for (int probed = 0; probed < capacity; probed++) {
            int base = index * words;
            long w0 = slots[base];
            if (w0 == 0L) {
                // THE BUG: check-then-act without a CAS.
                for (int w = 1; w < words; w++) {
                    slots[base + w] = state[w];
                }
                slots[base] = s0 | LosslessTable.PRESENT;
                size++;
                return index;
            }
            boolean equal = (w0 & ~LosslessTable.PRESENT) == s0;
            for (int w = 1; equal && w < words; w++) {
                equal = slots[base + w] == state[w];
            }
            if (equal) {
                return ~index;
            }
            index = index + 1 == capacity ? 0 : index + 1;
        }
        return FULL;
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    @Override
    public long fingerprintAt(int index, long[] scratch) {
        read(index, scratch);
        return FingerprintTable.fingerprint(StateHash.hash(scratch));
    }

    @Override
    public void read(int index, long[] into) {
        int base = index * words;
        into[0] = slots[base] & ~LosslessTable.RESERVED_MASK;
        for (int w = 1; w < words; w++) {
            into[w] = slots[base + w];
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long allocatedBytes() {
        return (long) capacity * words * Long.BYTES;
    }

    @Override
    public double collisionProbabilityBound(long generated) {
        return 0;
    }
}
