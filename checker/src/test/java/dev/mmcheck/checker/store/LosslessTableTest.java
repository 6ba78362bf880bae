package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class LosslessTableTest {

    private static int insert(VisitedSet set, long... state) {
        return set.insert(state, StateHash.hash(state));
    }

    private static long[] read(VisitedSet set, int index, int words) {
        long[] into = new long[words];
        set.read(index, into);
        return into;
    }

    @Test
    void newThenPresentAnswersTheSameSlot() {
        LosslessTable t = new LosslessTable(3, 64, 0.85);
        int i = insert(t, 1, 2, 3);
        assertTrue(i >= 0);
        assertEquals(~i, insert(t, 1, 2, 3));
        assertEquals(~i, insert(t, 1, 2, 3));
        assertEquals(1, t.size());
        assertArrayEquals(new long[] {1, 2, 3}, read(t, i, 3));
    }

    @Test
    void statesDifferingOnlyAfterWordZeroAreDistinct() {
        LosslessTable t = new LosslessTable(2, 16, 1.0);
        // Same hash too, so they probe the same chain and must be told apart by word 1.
        int a = t.insert(new long[] {7, 1}, 42);
        int b = t.insert(new long[] {7, 2}, 42);
        assertTrue(a >= 0 && b >= 0);
        assertNotEquals(a, b);
        assertEquals(~a, t.insert(new long[] {7, 1}, 42));
        assertEquals(~b, t.insert(new long[] {7, 2}, 42));
        assertEquals(2, t.size());
    }

    @Test
    void singleWordStatesIncludingZero() {
        LosslessTable t = new LosslessTable(1, 16, 0.85);
        int zero = insert(t, 0);
        int one = insert(t, 1);
        long max = ~LosslessTable.RESERVED_MASK;
        int big = insert(t, max);
        assertTrue(zero >= 0 && one >= 0 && big >= 0);
        assertEquals(~zero, insert(t, 0));
        assertEquals(~one, insert(t, 1));
        assertEquals(~big, insert(t, max));
        assertArrayEquals(new long[] {0}, read(t, zero, 1));
        assertArrayEquals(new long[] {1}, read(t, one, 1));
        assertArrayEquals(new long[] {max}, read(t, big, 1));
        assertEquals(3, t.size());
    }

    @Test
    void zeroMultiWordVector() {
        LosslessTable t = new LosslessTable(4, 16, 0.85);
        int i = insert(t, 0, 0, 0, 0);
        assertTrue(i >= 0);
        assertEquals(~i, insert(t, 0, 0, 0, 0));
        assertTrue(insert(t, 0, 0, 0, 1) >= 0);
        assertArrayEquals(new long[4], read(t, i, 4));
    }

    @Test
    void readRoundTripClearsReservedBits() {
        LosslessTable t = new LosslessTable(2, 32, 0.85);
        long w0 = 0x3FFF_FFFF_FFFF_FFFFL;
        int i = insert(t, w0, -1L);
        long[] back = read(t, i, 2);
        assertArrayEquals(new long[] {w0, -1L}, back);
    }

    @Test
    void rejectsReservedBits() {
        LosslessTable t = new LosslessTable(1, 16, 0.85);
        assertThrows(IllegalArgumentException.class, () -> insert(t, LosslessTable.PRESENT));
        assertThrows(IllegalArgumentException.class, () -> insert(t, LosslessTable.BUSY | 5));
        assertEquals(0, t.size());
    }

    @Test
    void probingWrapsAroundTheEnd() {
        int cap = 8;
        long hash = hashStartingAt(cap - 1, cap);
        LosslessTable t = new LosslessTable(2, cap, 1.0);
        assertEquals(cap - 1, t.insert(new long[] {1, 1}, hash));
        assertEquals(0, t.insert(new long[] {2, 2}, hash));
        assertEquals(1, t.insert(new long[] {3, 3}, hash));
        assertEquals(~0, t.insert(new long[] {2, 2}, hash));
        assertArrayEquals(new long[] {3, 3}, read(t, 1, 2));
    }

    @Test
    void fullAtLoadLimitAndPresentStatesStillAnswered() {
        LosslessTable t = new LosslessTable(2, 10, 0.5);
        assertEquals(5, t.maxSize());
        int[] idx = new int[5];
        for (int k = 0; k < 5; k++) {
            idx[k] = insert(t, k, k);
            assertTrue(idx[k] >= 0);
        }
        assertEquals(VisitedSet.FULL, insert(t, 99, 99));
        assertEquals(VisitedSet.FULL, insert(t, 100, 100));
        assertEquals(5, t.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(~idx[k], insert(t, k, k));
        }
        assertEquals(5, t.size());
    }

    @Test
    void everySlotTakenIsFullNotAHang() {
        // maxLoad 1: the load limit never stops the walk, the wrap-around check must.
        for (int words = 1; words <= 2; words++) {
            LosslessTable t = new LosslessTable(words, 4, 1.0);
            for (int k = 0; k < 4; k++) {
                long[] s = new long[words];
                s[0] = k;
                assertTrue(t.insert(s, 0) >= 0);
            }
            long[] s = new long[words];
            s[0] = 77;
            assertEquals(VisitedSet.FULL, t.insert(s, 0));
            assertEquals(VisitedSet.FULL, t.insert(s, 12345));
            s[0] = 3;
            assertTrue(t.insert(s, 0) < 0 && t.insert(s, 0) != VisitedSet.FULL);
            assertEquals(4, t.size());
        }
    }

    @Test
    void readOfEmptyOrOutOfRangeSlotFails() {
        LosslessTable t = new LosslessTable(2, 16, 0.85);
        assertThrows(IllegalStateException.class, () -> t.read(3, new long[2]));
        assertThrows(IndexOutOfBoundsException.class, () -> t.read(16, new long[2]));
        assertThrows(IndexOutOfBoundsException.class, () -> t.read(-1, new long[2]));
    }

    @Test
    void accounting() {
        LosslessTable t = new LosslessTable(3, 100, 0.85);
        assertTrue(t.isLossless());
        assertEquals(100, t.capacity());
        assertEquals(100 * 3 * 8, t.allocatedBytes());
        assertEquals(85, t.maxSize());
        assertEquals(0.0, t.collisionProbabilityBound(Long.MAX_VALUE));
        assertEquals(0, t.size());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(0, 16, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(1, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(1, 16, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(1, 16, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LosslessTable(3, Integer.MAX_VALUE / 2, 0.5));
    }

    @Test
    void startSlotIsInRange() {
        int[] caps = {1, 2, 3, 7, 16, 1000, Integer.MAX_VALUE - 8};
        long[] hashes = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L, 123456789};
        for (int cap : caps) {
            for (long h : hashes) {
                int s = LosslessTable.startSlot(h, cap);
                assertTrue(s >= 0 && s < cap, () -> "slot " + s + " for cap " + cap);
            }
        }
    }

    @Test
    void lincheckHashesCollideAsDocumented() {
        long[] h = VisitedSetLincheckBase.HASHES;
        assertEquals(4, LosslessTable.startSlot(h[1], 5));
        assertEquals(4, LosslessTable.startSlot(h[2], 5));
        assertEquals(4, LosslessTable.startSlot(h[3], 5));
        assertEquals(0, LosslessTable.startSlot(h[4], 5));
    }

    /** A hash whose probe sequence starts at {@code slot}. */
    static long hashStartingAt(int slot, int capacity) {
        for (long h = 0; ; h++) {
            if (LosslessTable.startSlot(h, capacity) == slot) {
                return h;
            }
        }
    }
}
