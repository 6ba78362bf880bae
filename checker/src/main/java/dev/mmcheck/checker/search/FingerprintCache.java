package dev.mmcheck.checker.search;

import java.util.Arrays;

/**
 * A worker's small direct-mapped memo of the fingerprints of the states it expanded lately, by
 * slot. The parent log compares an offered parent with the recorded one by fingerprint, and the
 * recorded one is usually a state this worker expanded a moment ago (two parents of one child are
 * mostly siblings, close together in the frontier): this answers those without reading, and for
 * lossless sets unpacking and hashing, the recorded parent from the visited set. Fingerprints are
 * never 0, so 0 means "not here". Slots are renamed when the set grows: {@link #clear} then.
 */
final class FingerprintCache {
    private static final int SIZE = 4096;

    /** The slot + 1 of each entry (0: empty), and its fingerprint. */
    private final int[] slots = new int[SIZE];
    private final long[] fingerprints = new long[SIZE];

    void put(int slot, long fingerprint) {
        int i = index(slot);
        slots[i] = slot + 1;
        fingerprints[i] = fingerprint;
    }

    /** The fingerprint put for {@code slot}, or 0 when it is not here. */
    long get(int slot) {
        int i = index(slot);
        return slots[i] == slot + 1 ? fingerprints[i] : 0;
    }

    void clear() {
        Arrays.fill(slots, 0);
    }

    private static int index(int slot) {
        return (slot * 0x9E3779B9) >>> 20; // the top 12 bits of a Fibonacci hash: SIZE entries
    }
}
