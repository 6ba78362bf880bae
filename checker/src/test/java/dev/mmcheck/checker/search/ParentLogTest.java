package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.LosslessTable;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact parent log: open entries take the smallest parent offered, closed ones keep theirs. */
class ParentLogTest {
    private static final long[] NO_STATE = new long[1];

    /** A fingerprint set holding the given fingerprints, in order; returns their slots in {@code slots}. */
    private static VisitedSet fingerprints(int[] slots, long... fps) {
        FingerprintTable set = new FingerprintTable(64, 1.0);
        for (int i = 0; i < fps.length; i++) {
            slots[i] = set.insert(null, fps[i]);
        }
        return set;
    }

    @Test
    void anOpenEntryTakesTheSmallestParentOffered() {
        int[] s = new int[4];
        VisitedSet set = fingerprints(s, 500, 300, 400, 9);
        ParentLog log = new ParentLog(set.capacity(), set);
        int child = s[3];
        log.recordOpen(child, s[0], 500);
        assertTrue(log.isOpen(child));
        log.offer(child, s[2], 400, NO_STATE, new long[1], null);
        assertEquals(s[2], log.parent(child));
        log.offer(child, s[0], 500, NO_STATE, new long[1], null);
        assertEquals(s[2], log.parent(child), "a larger parent does not replace a smaller one");
        log.offer(child, s[1], 300, NO_STATE, new long[1], null);
        assertEquals(s[1], log.parent(child));
    }

    @Test
    void theRecordedParentsFingerprintIsTakenFromTheCacheWhenThere() {
        int[] s = new int[3];
        VisitedSet set = fingerprints(s, 500, 300, 9);
        ParentLog log = new ParentLog(set.capacity(), set);
        log.recordOpen(s[2], s[0], 500);
        FingerprintCache recent = new FingerprintCache();
        recent.put(s[0], 100); // not the set's 500: shows that the cache answered
        log.offer(s[2], s[1], 300, NO_STATE, new long[1], recent);
        assertEquals(s[0], log.parent(s[2]));
        FingerprintCache empty = new FingerprintCache();
        log.offer(s[2], s[1], 300, NO_STATE, new long[1], empty);
        assertEquals(s[1], log.parent(s[2]));
        assertEquals(500, empty.get(s[0]), "a fingerprint read from the set is remembered");
    }

    @Test
    void fingerprintPrefixesDecideWithoutReadingTheRecordedParent() {
        int[] s = new int[3];
        VisitedSet set = fingerprints(s, 500, 300, 9);
        ParentLog log = new ParentLog(set.capacity(), set);
        // Recorded with a prefix larger than the set's 500 has: only the prefix can make 0x1... win.
        log.recordOpen(s[2], s[0], 0xF000_0000_0000_0000L);
        log.offer(s[2], s[1], 0x1000_0000_0000_0000L, NO_STATE, new long[1], null);
        assertEquals(s[1], log.parent(s[2]));
        log.offer(s[2], s[0], 0xF000_0000_0000_0000L, NO_STATE, new long[1], null);
        assertEquals(s[1], log.parent(s[2]), "a larger prefix loses");
    }

    @Test
    void fingerprintsCompareUnsigned() {
        int[] s = new int[3];
        VisitedSet set = fingerprints(s, -1L, 7, 9);
        ParentLog log = new ParentLog(set.capacity(), set);
        log.recordOpen(s[2], s[1], 7);
        log.offer(s[2], s[0], -1L, NO_STATE, new long[1], null);
        assertEquals(s[1], log.parent(s[2]), "-1 is the largest fingerprint");
    }

    @Test
    void aClosedEntryKeepsItsParent() {
        int[] s = new int[3];
        VisitedSet set = fingerprints(s, 500, 300, 9);
        ParentLog log = new ParentLog(set.capacity(), set);
        log.recordOpen(s[2], s[0], 500);
        log.close(new int[] {s[2]}, 1);
        assertFalse(log.isOpen(s[2]));
        log.offer(s[2], s[1], 300, NO_STATE, new long[1], null);
        assertEquals(s[0], log.parent(s[2]), "a parent from a later level never wins");
        // DFS records closed at once: the first parent stays.
        log.record(s[1], s[0]);
        log.offer(s[1], s[2], 9, NO_STATE, new long[1], null);
        assertEquals(s[0], log.parent(s[1]));
    }

    @Test
    void losslessSetsCompareTheRecordedParentsFingerprint() {
        LosslessTable set = new LosslessTable(2, 64, 1.0);
        long[] a = {1, 2};
        long[] b = {3, 4};
        long[] child = {5, 6};
        int sa = set.insert(a, StateHash.hash(a));
        int sb = set.insert(b, StateHash.hash(b));
        int sc = set.insert(child, StateHash.hash(child));
        long fa = FingerprintTable.fingerprint(StateHash.hash(a));
        long fb = FingerprintTable.fingerprint(StateHash.hash(b));
        boolean aSmaller = Long.compareUnsigned(fa, fb) < 0;
        ParentLog log = new ParentLog(set.capacity(), set);
        log.recordOpen(sc, aSmaller ? sb : sa, aSmaller ? fb : fa);
        if (aSmaller) {
            log.offer(sc, sa, fa, a, new long[2], null);
        } else {
            log.offer(sc, sb, fb, b, new long[2], null);
        }
        assertEquals(aSmaller ? sa : sb, log.parent(sc));
    }

    /** Three states in a chain: an initial one, its closed child, and that child's open child. */
    private record Chain(int[] s, VisitedSet set, ParentLog log) {
        static Chain ofThree() {
            int[] s = new int[3];
            VisitedSet set = fingerprints(s, 1, 2, 3);
            ParentLog log = new ParentLog(set.capacity(), set);
            log.recordInitial(s[0]);
            log.record(s[1], s[0]);
            log.recordOpen(s[2], s[1], 2);
            return new Chain(s, set, log);
        }
    }

    @Test
    void pathsEndAtARoot() {
        Chain c = Chain.ofThree();
        int[] s = c.s();
        ParentLog log = c.log();
        assertEquals(-1, log.parent(s[0]));
        assertArrayEquals(new int[] {s[0], s[1], s[2]}, log.path(s[2]));
        assertArrayEquals(new int[] {s[0]}, log.path(s[0]));
    }

    @Test
    void transferMovesEntriesAndTheirParents() {
        Chain c = Chain.ofThree();
        int[] s = c.s();
        VisitedSet set = c.set();
        ParentLog log = c.log();
        VisitedSet bigger = new FingerprintTable(128, 1.0);
        int[] moved = new int[set.capacity()];
        bigger.settleMoves(set.transferTo(bigger, 0, set.capacity(), moved));
        ParentLog target = new ParentLog(bigger.capacity(), bigger);
        assertThrows(IllegalStateException.class, () -> log.transferTo(target, 0, set.capacity(), moved),
                "open entries are closed before a move");
        log.close(new int[] {s[2]}, 1);
        log.transferTo(target, 0, set.capacity(), moved);
        assertArrayEquals(new int[] {moved[s[0]], moved[s[1]], moved[s[2]]}, target.path(moved[s[2]]));
        assertFalse(target.isOpen(moved[s[2]]));
    }

    @Test
    void anUnwrittenEntryHasNoParent() {
        int[] s = new int[1];
        VisitedSet set = fingerprints(s, 1);
        ParentLog log = new ParentLog(set.capacity(), set);
        assertThrows(IllegalStateException.class, () -> log.parent(s[0]));
    }

    @Test
    void slotIndicesMustFitThirtyOneBits() {
        assertThrows(IllegalArgumentException.class, () -> new ParentLog(Integer.MAX_VALUE - 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ParentLog(-1, null));
    }
}
