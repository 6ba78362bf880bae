package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class FingerprintTableTest {
    private static final long[] ANY = {0};

    @Test
    void newThenPresent() {
        FingerprintTable t = new FingerprintTable(64, 0.9);
        long[] s = {1, 2, 3};
        int i = t.insert(s, StateHash.hash(s));
        assertTrue(i >= 0);
        assertEquals(~i, t.insert(s, StateHash.hash(s)));
        long[] u = {1, 2, 4};
        int j = t.insert(u, StateHash.hash(u));
        assertTrue(j >= 0);
        assertNotEquals(i, j);
        assertEquals(2, t.size());
    }

    @Test
    void onlyTheHashMatters() {
        FingerprintTable t = new FingerprintTable(16, 0.9);
        int i = t.insert(new long[] {1}, 99);
        // A different state with the same hash is (wrongly, by design) taken as seen.
        assertEquals(~i, t.insert(new long[] {2}, 99));
        assertEquals(1, t.size());
    }

    @Test
    void zeroHashIsStoredAsItsConstant() {
        FingerprintTable t = new FingerprintTable(16, 0.9);
        assertEquals(FingerprintTable.ZERO_HASH_FINGERPRINT, FingerprintTable.fingerprint(0));
        assertEquals(5, FingerprintTable.fingerprint(5));
        int i = t.insert(ANY, 0);
        assertTrue(i >= 0);
        assertEquals(~i, t.insert(ANY, 0));
        assertEquals(~i, t.insert(ANY, FingerprintTable.ZERO_HASH_FINGERPRINT));
        assertEquals(1, t.size());
    }

    @Test
    void probingWrapsAroundTheEnd() {
        int cap = 8;
        long start = LosslessTableTest.hashStartingAt(cap - 1, cap);
        // Distinct fingerprints starting at the same slot.
        long other = start;
        do {
            other++;
        } while (LosslessTable.startSlot(other, cap) != cap - 1);
        FingerprintTable t = new FingerprintTable(cap, 1.0);
        assertEquals(cap - 1, t.insert(ANY, start));
        assertEquals(0, t.insert(ANY, other));
        assertEquals(~0, t.insert(ANY, other));
    }

    @Test
    void fullAtLoadLimitAndPresentStillAnswered() {
        FingerprintTable t = new FingerprintTable(10, 0.5);
        assertEquals(5, t.maxSize());
        int[] idx = new int[5];
        for (int k = 0; k < 5; k++) {
            idx[k] = t.insert(ANY, 1000 + k);
            assertTrue(idx[k] >= 0);
        }
        assertEquals(VisitedSet.FULL, t.insert(ANY, 5000));
        for (int k = 0; k < 5; k++) {
            assertEquals(~idx[k], t.insert(ANY, 1000 + k));
        }
        assertEquals(5, t.size());
    }

    @Test
    void everySlotTakenIsFullNotAHang() {
        FingerprintTable t = new FingerprintTable(3, 1.0);
        for (int k = 1; k <= 3; k++) {
            assertTrue(t.insert(ANY, k) >= 0);
        }
        assertEquals(VisitedSet.FULL, t.insert(ANY, 4));
        assertEquals(VisitedSet.FULL, t.insert(ANY, 0));
        assertTrue(t.insert(ANY, 2) < 0 && t.insert(ANY, 2) != VisitedSet.FULL);
        assertEquals(3, t.size());
    }

    @Test
    void readIsUnsupported() {
        FingerprintTable t = new FingerprintTable(16, 0.9);
        int i = t.insert(ANY, 7);
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> t.read(i, new long[1]));
        assertEquals("fingerprint tables keep no vectors", e.getMessage());
    }

    @Test
    void collisionBound() {
        FingerprintTable t = new FingerprintTable(1024, 0.9);
        assertFalse(t.isLossless());
        assertEquals(0.0, t.collisionProbabilityBound(1_000_000));
        for (int k = 1; k <= 100; k++) {
            t.insert(ANY, k);
        }
        assertEquals(100.0 * 1e9 / Math.pow(2, 64), t.collisionProbabilityBound(1_000_000_000L), 1e-20);
        assertEquals(0.0, t.collisionProbabilityBound(0));
        // 100 * 2^63 / 2^64 = 50: saturates at 1.
        assertEquals(1.0, t.collisionProbabilityBound(Long.MAX_VALUE));
    }

    @Test
    void accounting() {
        FingerprintTable t = new FingerprintTable(100, 0.9);
        assertEquals(100, t.capacity());
        assertEquals(800, t.allocatedBytes());
        assertEquals(90, t.maxSize());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTable(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTable(Integer.MAX_VALUE, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTable(16, 0));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTable(16, 1.01));
    }
}
