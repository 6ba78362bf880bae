package dev.mmcheck.checker.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The shared count of stored states and the most a table accepts. An insert reserves one unit
 * before it claims a slot and gives it back if it loses the slot, so the count never passes the
 * limit. The counter sits alone on its cache lines (the middle of a padded array): every new state
 * writes it from every worker, and nothing else should be invalidated by that.
 */
final class LoadLimit {
    /** Longs on each side of the counter: 64 bytes of padding either way. */
    private static final int PAD = 8;

    private final AtomicLongArray cells = new AtomicLongArray(2 * PAD + 1);
    private final long max;

    LoadLimit(long max) {
        this.max = max;
    }

    /** Takes one unit; false (and nothing taken) when the limit is reached. */
    boolean reserve() {
        if (cells.getAndIncrement(PAD) >= max) {
            cells.getAndDecrement(PAD);
            return false;
        }
        return true;
    }

    /** Gives back a unit whose slot was lost to another inserter. */
    void release() {
        cells.getAndDecrement(PAD);
    }

    /**
     * Counts {@code n} states stored without a reservation (moved into {@code table}).
     *
     * @throws IllegalStateException if that passes the limit
     */
    void addMoved(long n, Object table) {
        if (cells.addAndGet(PAD, n) > max) {
            throw new IllegalStateException("the states moved in took " + table + " past its load limit of " + max);
        }
    }

    long size() {
        return cells.get(PAD);
    }

    long max() {
        return max;
    }
}
