package dev.mmcheck.checker.search;

import java.util.Arrays;

/**
 * A worker's small direct-mapped memo of the successors it looked up lately in the visited set,
 * with the slot each is stored at: whole vectors, compared word by word, so an answer from here
 * is exactly the one the set would give ({@code ~slot}, "seen before"), without probing a
 * table of gigabytes. Most successors of a BFS level are states seen before, and many of those
 * were generated a moment earlier by the same worker: two parents of one state are mostly
 * siblings (independent steps taken in either order), close together in the frontier.
 *
 * <p>Holds only states that are in the set at the slot given, so {@link #find} never answers
 * for a state the set does not hold. Slots are renamed when the set grows: {@link #clear} then
 * (at every level's start). Allocates nothing after construction.
 */
final class RecentStates {
    /** Entries: a power of two. 4096 vectors of 10 words and their hashes and slots take 370 KB. */
    static final int SIZE = 4096;

    private final int words;
    private final long[] hashes = new long[SIZE];
    /** The slot + 1 of each entry, 0 when empty. */
    private final int[] slots = new int[SIZE];
    private final long[] vectors;

    RecentStates(int words) {
        this.words = words;
        this.vectors = new long[SIZE * words];
    }

    /** The slot {@code state} (of hash {@code hash}) is stored at, or -1 when it is not here. */
    int find(long[] state, long hash) {
        int i = index(hash);
        int slot = slots[i] - 1;
        if (slot < 0 || hashes[i] != hash) {
            return -1;
        }
        int base = i * words;
        for (int w = 0; w < words; w++) {
            if (vectors[base + w] != state[w]) {
                return -1;
            }
        }
        return slot;
    }

    /** Remembers that {@code state} (of hash {@code hash}) is stored at {@code slot} ({@code >= 0}). */
    void put(long[] state, long hash, int slot) {
        int i = index(hash);
        hashes[i] = hash;
        slots[i] = slot + 1;
        System.arraycopy(state, 0, vectors, i * words, words);
    }

    void clear() {
        Arrays.fill(slots, 0);
    }

    /** The low bits of the hash: the visited set places states by the high ones. */
    private static int index(long hash) {
        return (int) hash & (SIZE - 1);
    }
}
