package dev.mmcheck.checker.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link RecentStates} answers a lookup only with the slot of the very state asked for: never
 * for another state, even one of the same hash or the same entry; and it forgets everything on
 * {@link RecentStates#clear}.
 */
class RecentStatesTest {

    @Test
    void answersWhatWasPutUntilCleared() {
        RecentStates r = new RecentStates(3);
        long[] a = {1, 2, 3};
        long[] b = {1, 2, 4};
        assertEquals(-1, r.find(a, 42));
        r.put(a, 42, 0);
        assertEquals(0, r.find(a, 42));
        assertEquals(-1, r.find(b, 42), "same hash, another state");
        assertEquals(-1, r.find(a, 43), "another hash");
        r.put(b, 42, 7); // same entry: replaces a
        assertEquals(7, r.find(b, 42));
        assertEquals(-1, r.find(a, 42));
        r.clear();
        assertEquals(-1, r.find(b, 42));
    }

    @Test
    void neverAnswersForAnotherState() {
        // Few hashes and few distinct words: many states share an entry, and many share a hash.
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 5), integers().between(1, 64))
                .checkAssert((seed, words, hashes) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    RecentStates recent = new RecentStates(words);
                    Map<List<Long>, Integer> slotOf = new HashMap<>();
                    Map<List<Long>, Long> hashOf = new HashMap<>();
                    for (int step = 0; step < 2_000; step++) {
                        long[] s = new long[words];
                        for (int w = 0; w < words; w++) {
                            s[w] = r.nextInt(3);
                        }
                        List<Long> key = key(s);
                        // A state has one hash and one slot, as in a visited set.
                        // Hashes k and k + 4 * SIZE share an entry.
                        long hash = hashOf.computeIfAbsent(key, k -> {
                            int h = r.nextInt(hashes);
                            return (h & 3) + (long) (h >> 2) * RecentStates.SIZE;
                        });
                        int found = recent.find(s, hash);
                        Integer stored = slotOf.get(key);
                        assertTrue(found == -1 || stored != null && found == stored,
                                () -> "answered " + found + " for " + key + ", stored at " + stored);
                        Integer slot = stored;
                        if (r.nextInt(50) == 0) {
                            recent.clear();
                        } else if (found < 0) {
                            if (slot == null) {
                                slot = slotOf.size();
                                slotOf.put(key, slot);
                            }
                            recent.put(s, hash, slot);
                            assertEquals(slot, recent.find(s, hash));
                        }
                    }
                });
    }

    private static List<Long> key(long[] s) {
        List<Long> k = new ArrayList<>();
        Arrays.stream(s).forEach(k::add);
        return k;
    }
}
