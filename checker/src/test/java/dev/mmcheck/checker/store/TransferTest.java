package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link VisitedSet#transferTo}: every state of the source lands in the target at the index the
 * map gives (and is found there), empty slots map to -1, the sizes agree, and transferring the
 * slots in several ranges gives the same set as in one. And {@link VisitedSet#touch} changes
 * nothing: a set touched at random answers every insert as an untouched one does.
 */
class TransferTest {

    private static long[][] states(long seed, int count, int words) {
        SplittableRandom r = new SplittableRandom(seed);
        long[][] out = new long[count][];
        for (int i = 0; i < count; i++) {
            long[] s = new long[words];
            for (int w = 0; w < words; w++) {
                s[w] = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(3); // duplicates are common
            }
            s[0] &= ~LosslessTable.RESERVED_MASK;
            out[i] = s;
        }
        return out;
    }

    @Test
    void everyStateMovesToTheIndexTheMapGives() {
        qt().withExamples(300).forAll(longs().all(), integers().between(0, 400), integers().between(1, 4),
                integers().between(1, 5)).checkAssert((seed, count, words, parts) -> {
            for (boolean fingerprints : new boolean[] {false, true}) {
                VisitedSet small = fingerprints ? new FingerprintTable(512, 0.9) : new LosslessTable(words, 512, 0.85);
                VisitedSet big = fingerprints ? new FingerprintTable(4096, 0.9) : new LosslessTable(words, 4096, 0.85);
                long[][] states = states(seed, count, words);
                int[] oldIndex = new int[count];
                for (int i = 0; i < count; i++) {
                    int slot = small.insert(states[i], StateHash.hash(states[i]));
                    oldIndex[i] = slot >= 0 ? slot : ~slot;
                }
                int[] moved = new int[small.capacity()];
                Arrays.fill(moved, 7);
                long movedStates = 0;
                for (int p = 0; p < parts; p++) {
                    movedStates += small.transferTo(big, small.capacity() * p / parts, small.capacity() * (p + 1) / parts, moved);
                }
                assertEquals(small.size(), movedStates);
                big.settleMoves(movedStates);
                assertEquals(small.size(), big.size());
                long mapped = Arrays.stream(moved).filter(m -> m >= 0).count();
                assertEquals(small.size(), mapped, "one new index per stored state, -1 for every empty slot");
                assertTrue(Arrays.stream(moved).allMatch(m -> m >= -1));
                for (int i = 0; i < count; i++) {
                    int again = big.insert(states[i], StateHash.hash(states[i]));
                    assertEquals(~moved[oldIndex[i]], again, "state " + i + " is present at its new index");
                    if (!fingerprints) {
                        long[] read = new long[words];
                        big.read(moved[oldIndex[i]], read);
                        assertEquals(Arrays.toString(states[i]), Arrays.toString(read));
                    }
                }
            }
        });
    }

    @Test
    void aTargetTooSmallOrOfAnotherKindIsAnError() {
        LosslessTable source = new LosslessTable(2, 64, 1.0);
        for (long[] s : states(1, 40, 2)) {
            source.insert(s, StateHash.hash(s));
        }
        int[] moved = new int[64];
        assertThrows(IllegalStateException.class, () -> source.transferTo(new LosslessTable(2, 8, 1.0), 0, 64, moved));
        // Slots for every state, but a load limit one short of them: the moves fit, counting them fails.
        LosslessTable roomButNoLoad = new LosslessTable(2, 64, (source.size() - 1) / 64.0);
        long movedStates = source.transferTo(roomButNoLoad, 0, 64, moved);
        assertThrows(IllegalStateException.class, () -> roomButNoLoad.settleMoves(movedStates), "one state past the load limit");
        assertThrows(UnsupportedOperationException.class, () -> source.transferTo(new LosslessTable(3, 128, 1.0), 0, 64, moved));
        assertThrows(UnsupportedOperationException.class, () -> source.transferTo(new FingerprintTable(128, 1.0), 0, 64, moved));
        assertThrows(UnsupportedOperationException.class,
                () -> new FingerprintTable(64, 1.0).transferTo(new LosslessTable(1, 128, 1.0), 0, 64, moved));
    }

    @Test
    void touchingChangesNothing() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 300), integers().between(1, 3))
                .checkAssert((seed, count, words) -> {
                    for (boolean fingerprints : new boolean[] {false, true}) {
                        VisitedSet plain = fingerprints ? new FingerprintTable(256, 0.9) : new LosslessTable(words, 256, 0.85);
                        VisitedSet touched = fingerprints ? new FingerprintTable(256, 0.9) : new LosslessTable(words, 256, 0.85);
                        SplittableRandom r = new SplittableRandom(seed);
                        for (long[] s : states(seed, count, words)) {
                            touched.touch(r.nextLong());
                            touched.touch(StateHash.hash(s));
                            assertEquals(plain.insert(s, StateHash.hash(s)), touched.insert(s, StateHash.hash(s)));
                        }
                        assertEquals(plain.size(), touched.size());
                    }
                });
    }
}
