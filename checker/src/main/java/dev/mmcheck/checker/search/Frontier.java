package dev.mmcheck.checker.search;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's share of a BFS level: state vectors (flattened) and their slot indices. Keeping
 * the vectors here, rather than re-reading them from the visited set, makes expansion a
 * sequential scan and works for fingerprint tables, which keep no vectors.
 *
 * <p>Growth draws on a byte budget shared by all frontiers; when it is exhausted {@link #add}
 * returns false and the run ends INCOMPLETE (memory) instead of failing.
 */
final class Frontier {
    private static final int INITIAL = 1024;

    private final int words;
    private final AtomicLong budget;
    private long[] vectors;
    private int[] slots;
    private int size;

    Frontier(int words, AtomicLong budget) {
        this.words = words;
        this.budget = budget;
        this.vectors = new long[0];
        this.slots = new int[0];
    }

    boolean add(long[] state, int slot) {
        if (size == slots.length && !grow()) {
            return false;
        }
        System.arraycopy(state, 0, vectors, size * words, words);
        slots[size++] = slot;
        return true;
    }

    private boolean grow() {
        int newCapacity = Math.max(INITIAL, slots.length * 2);
        if ((long) newCapacity * words > Integer.MAX_VALUE - 8) {
            newCapacity = (Integer.MAX_VALUE - 8) / words;
            if (newCapacity <= slots.length) {
                return false;
            }
        }
        long extra = (long) (newCapacity - slots.length) * (words * Long.BYTES + Integer.BYTES);
        if (budget.addAndGet(-extra) < 0) {
            budget.addAndGet(extra);
            return false;
        }
        long[] v = new long[newCapacity * words];
        System.arraycopy(vectors, 0, v, 0, size * words);
        int[] s = new int[newCapacity];
        System.arraycopy(slots, 0, s, 0, size);
        vectors = v;
        slots = s;
        return true;
    }

    void copyState(int i, long[] into) {
        System.arraycopy(vectors, i * words, into, 0, words);
    }

    int slot(int i) {
        return slots[i];
    }

    int size() {
        return size;
    }

    /** Renames every slot {@code i} to {@code newIndex[i]}: the visited set grew. */
    void remapSlots(int[] newIndex) {
        for (int i = 0; i < size; i++) {
            slots[i] = newIndex[slots[i]];
        }
    }

    /** Closes the parent-log entries of this frontier's states ({@link ParentLog#close}). */
    void closeParents(ParentLog parents) {
        parents.close(slots, size);
    }

    void clear() {
        size = 0;
    }
}
