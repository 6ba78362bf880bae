package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Sequential agreement with a {@link java.util.HashSet} of the same vectors: new/present answers,
 * slot stability, sizes, read-back, and FULL exactly when the set is at its limit and the state
 * is absent.
 */
class VisitedSetPropertyTest {
    private static final int EXAMPLES = 300;

    /** Words mostly from a tiny pool (so zero vectors and duplicates are common), some arbitrary. */
    private static final Gen<Long> WORD = longs().between(0, 2).mix(longs().all(), 30);

    /** A batch of vectors: width 1..4, up to 150 vectors, reserved bits of word 0 cleared. */
    private static final Gen<long[][]> VECTORS = integers().between(1, 4).zip(
            lists().of(WORD).ofSizeBetween(0, 600), VisitedSetPropertyTest::chunk);

    private static long[][] chunk(int words, List<Long> flat) {
        long[][] out = new long[flat.size() / words][];
        for (int v = 0; v < out.length; v++) {
            long[] s = new long[words];
            for (int w = 0; w < words; w++) {
                s[w] = flat.get(v * words + w);
            }
            s[0] &= ~LosslessTable.RESERVED_MASK;
            out[v] = s;
        }
        return out;
    }

    private static List<Long> key(long[] s) {
        List<Long> k = new ArrayList<>(s.length);
        for (long w : s) {
            k.add(w);
        }
        return k;
    }

    /** A hash that collides a lot, to exercise probing in the lossless table. */
    private static long weakHash(long[] s) {
        return s[0] & 3;
    }

    @Test
    void losslessAgreesWithHashSet() {
        qt().withExamples(EXAMPLES).forAll(VECTORS, booleans().all()).checkAssert((vs, weak) -> {
            int words = vs.length == 0 ? 1 : vs[0].length;
            LosslessTable t = new LosslessTable(words, vs.length * 2 + 1, 0.85);
            check(t, vs, weak, Long.MAX_VALUE);
        });
    }

    @Test
    void losslessAtItsLimitAgreesWithBoundedHashSet() {
        qt().withExamples(EXAMPLES).forAll(VECTORS, integers().between(1, 40), integers().between(1, 4), booleans().all())
                .checkAssert((vs, cap, loadQuarters, weak) -> {
                    int words = vs.length == 0 ? 1 : vs[0].length;
                    LosslessTable t = new LosslessTable(words, cap, loadQuarters / 4.0);
                    check(t, vs, weak, t.maxSize());
                });
    }

    @Test
    void fingerprintsAgreeWithHashSet() {
        qt().withExamples(EXAMPLES).forAll(VECTORS).checkAssert(vs -> {
            FingerprintTable t = new FingerprintTable(vs.length * 2 + 1, 0.9);
            check(t, vs, false, Long.MAX_VALUE);
        });
    }

    @Test
    void fingerprintsAtTheirLimitAgreeWithBoundedHashSet() {
        qt().withExamples(EXAMPLES).forAll(VECTORS, integers().between(1, 40), integers().between(1, 4))
                .checkAssert((vs, cap, loadQuarters) -> {
                    FingerprintTable t = new FingerprintTable(cap, loadQuarters / 4.0);
                    check(t, vs, false, t.maxSize());
                });
    }

    /**
     * Inserts every vector twice over (second pass all present) and compares with a map from
     * vector to slot. {@code limit} is the most states the set may take; beyond it FULL.
     */
    private static void check(VisitedSet set, long[][] vs, boolean weak, long limit) {
        Map<List<Long>, Integer> model = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (long[] s : vs) {
                long h = weak ? weakHash(s) : StateHash.hash(s);
                int r = set.insert(s, h);
                List<Long> k = key(s);
                Integer slot = model.get(k);
                if (slot != null) {
                    assertEquals(~slot, r, "present state must answer ~its slot");
                } else if (model.size() >= limit) {
                    assertEquals(VisitedSet.FULL, r, "absent state at the limit must be FULL");
                } else {
                    assertTrue(r >= 0, "absent state must be new, got " + r);
                    assertTrue(!model.containsValue(r), "slot " + r + " handed out twice");
                    model.put(k, r);
                }
                assertEquals(model.size(), set.size());
            }
        }
        if (set.isLossless()) {
            for (Map.Entry<List<Long>, Integer> e : model.entrySet()) {
                long[] back = new long[e.getKey().size()];
                set.read(e.getValue(), back);
                assertArrayEquals(e.getKey().stream().mapToLong(Long::longValue).toArray(), back);
            }
        }
    }
}
