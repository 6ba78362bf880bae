package dev.mmcheck.checker.store;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link Projection} and {@link ProjectedTable} on random layouts: a state fits exactly when it
 * equals the base outside the kept fields, packing a fitting state and unpacking it gives it
 * back, and a projected table answers inserts as a set of whole vectors does (misfits included),
 * reads every state back whole, and moves into a table with a wider projection intact.
 */
class ProjectionTest {

    /** A layout of {@code count} fields of random widths (0 to 32 bits). */
    private static Layout layout(SplittableRandom r, int count) {
        Layout.Builder b = Layout.builder();
        for (int i = 0; i < count; i++) {
            int bits = r.nextInt(8) == 0 ? 0 : r.nextInt(4) == 0 ? 1 + r.nextInt(32) : 1 + r.nextInt(6);
            int min = r.nextInt(5) - 2;
            b.field("f" + i, min, (int) Math.min(Integer.MAX_VALUE, min + (1L << bits) - 1));
        }
        return b.build();
    }

    /** A state of {@code layout} with random values in the fields {@code changing} marks, the base's elsewhere. */
    private static long[] vary(SplittableRandom r, Layout layout, long[] base, boolean[] changing) {
        long[] s = base.clone();
        List<Field> fields = layout.fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (changing[i] && r.nextBoolean()) {
                f.set(s, (int) (f.min() + r.nextLong((long) f.max() - f.min() + 1)));
            }
        }
        return s;
    }

    private static boolean[] someFields(SplittableRandom r, int count, int oneIn) {
        boolean[] marks = new boolean[count];
        for (int i = 0; i < count; i++) {
            marks[i] = r.nextInt(oneIn) == 0;
        }
        return marks;
    }

    @Test
    void fittingStatesPackAndUnpackToThemselves() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 120)).checkAssert((seed, count) -> {
            SplittableRandom r = new SplittableRandom(seed);
            Layout layout = layout(r, count);
            long[] base = vary(r, layout, layout.newState(), someFields(r, count, 1));
            boolean[] kept = someFields(r, count, 3);
            long[] other = vary(r, layout, base, kept);
            Projection p = Projection.of(layout, List.of(base, other));
            long[] packed = new long[layout.words()];
            long[] back = new long[layout.words()];
            for (int i = 0; i < 50; i++) {
                long[] s = vary(r, layout, base, r.nextInt(4) == 0 ? someFields(r, count, 2) : kept);
                boolean fits = true;
                for (Field f : layout.fields()) {
                    fits &= f.get(s) == f.get(base) || f.get(other) != f.get(base);
                }
                assertEquals(fits, p.fits(s), "fits exactly when every field it changed is one the initial states differ in");
                if (p.fits(s)) {
                    p.pack(s, packed);
                    assertEquals(0, packed[0] & LosslessTable.RESERVED_MASK, "reserved bits stay clear");
                    p.unpack(packed, 0, back);
                    assertArrayEquals(s, back);
                } else {
                    long[] diff = new long[layout.words()];
                    p.addMisfit(s, diff);
                    assertTrue(p.widened(diff).fits(s), "widening by a misfit's difference makes it fit");
                }
            }
            assertTrue(p.packedWords() <= layout.words());
        });
    }

    @Test
    void projectedTableIsASetOfWholeStates() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 80), integers().between(0, 400))
                .checkAssert((seed, count, inserts) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Layout layout = layout(r, count);
                    long[] base = vary(r, layout, layout.newState(), someFields(r, count, 1));
                    boolean[] changing = someFields(r, count, 4);
                    Projection p = Projection.of(layout, List.of(base));
                    ProjectedTable table = VisitedSets.createProjected(p, 64L << 10);
                    Map<List<Long>, Integer> model = new HashMap<>();
                    List<long[]> states = new ArrayList<>();
                    for (int i = 0; i < inserts; i++) {
                        long[] s = vary(r, layout, base, changing);
                        int slot = table.insert(s, StateHash.hash(s));
                        Integer known = model.get(key(s));
                        if (known != null) {
                            assertEquals(~known, slot);
                        } else if (slot != VisitedSet.FULL) {
                            assertTrue(slot >= 0 && !model.containsValue(slot), "a new, unused slot: " + slot);
                            model.put(key(s), slot);
                            states.add(s);
                        }
                        assertEquals(model.size(), table.size());
                    }
                    long[] back = new long[layout.words()];
                    for (long[] s : states) {
                        table.read(model.get(key(s)), back);
                        assertArrayEquals(s, back);
                    }
                    ProjectedTable wider = VisitedSets.createProjected(table.widenedProjection(), 256L << 10);
                    int[] moved = new int[table.capacity()];
                    table.transferTo(wider, 0, table.capacity() / 2, moved);
                    table.transferTo(wider, table.capacity() / 2, table.capacity(), moved);
                    assertEquals(table.size(), wider.size());
                    assertEquals(0, wider.overflowSize(), "the widened projection fits every state");
                    for (long[] s : states) {
                        int at = moved[model.get(key(s))];
                        assertEquals(~at, wider.insert(s, StateHash.hash(s)));
                        wider.read(at, back);
                        assertArrayEquals(s, back);
                    }
                });
    }

    private static List<Long> key(long[] s) {
        return Arrays.stream(s).boxed().toList();
    }
}
