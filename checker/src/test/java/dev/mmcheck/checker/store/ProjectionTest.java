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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                if (r.nextInt(3) == 0) {
                    s = mix(r, layout, base, other); // every field's value one of the initial states'
                }
                boolean keptOnly = true;
                boolean initialValues = true;
                for (Field f : layout.fields()) {
                    keptOnly &= f.get(s) == f.get(base) || f.get(other) != f.get(base);
                    initialValues &= f.get(s) == f.get(base) || f.get(s) == f.get(other);
                }
                if (!keptOnly) {
                    assertFalse(p.fits(s), "a state that changes a field the initial states agree on does not fit");
                }
                if (initialValues) {
                    assertTrue(p.fits(s), "a state made of the initial states' values fits");
                }
                assertEquals(p.fits(s), p.pack(s, packed), "pack answers whether the state fits");
                if (p.fits(s)) {
                    assertEquals(0, packed[0] & LosslessTable.RESERVED_MASK, "reserved bits stay clear");
                    p.unpack(packed, 0, back);
                    assertArrayEquals(s, back);
                } else {
                    Projection.Misfits misfits = p.misfits();
                    p.addMisfit(s, misfits);
                    Projection wider = p.widened(misfits);
                    assertTrue(wider.fits(s), "widening by a misfit makes it fit");
                    assertTrue(wider.fits(base) && wider.fits(other), "and keeps what fitted");
                }
            }
            assertTrue(p.packedWords() <= layout.words());
        });
    }

    /** A state that takes each field's value from {@code a} or {@code b} at random. */
    private static long[] mix(SplittableRandom r, Layout layout, long[] a, long[] b) {
        long[] s = a.clone();
        for (Field f : layout.fields()) {
            if (r.nextBoolean()) {
                f.set(s, f.get(b));
            }
        }
        return s;
    }

    /**
     * The encoding learnt from misfits is lossless: a layout whose fields each take a few random
     * values (the shape of a kernel model's), a projection widened round by round by the states
     * that do not fit it, and random vectors over those values: each fits once learnt, packs to a
     * form no other state has, and unpacks to itself; every state that fitted an earlier round
     * still fits; a vector with a value never seen in a coded field does not fit.
     */
    @Test
    void learntEncodingPacksRandomVectorsLosslessly() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 100), integers().between(1, 4))
                .checkAssert((seed, count, rounds) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Layout layout = layout(r, count);
                    List<Field> fields = layout.fields();
                    int[][] domain = new int[count][];
                    for (int i = 0; i < count; i++) {
                        Field f = fields.get(i);
                        long range = (long) f.max() - f.min() + 1;
                        int n = r.nextInt(3) == 0 ? 1 : 1 + r.nextInt(r.nextInt(4) == 0 ? 40 : 5);
                        domain[i] = new int[n];
                        for (int k = 0; k < n; k++) {
                            domain[i][k] = (int) (f.min() + r.nextLong(range));
                        }
                    }
                    long[] base = draw(r, layout, domain);
                    Projection p = Projection.of(layout, List.of(base));
                    List<long[]> fitted = new ArrayList<>();
                    fitted.add(base);
                    for (int round = 0; round < rounds; round++) {
                        Projection.Misfits misfits = p.misfits();
                        List<long[]> states = new ArrayList<>();
                        for (int i = 0; i < 30; i++) {
                            long[] s = draw(r, layout, domain);
                            states.add(s);
                            if (!p.fits(s)) {
                                p.addMisfit(s, misfits);
                            }
                        }
                        p = p.widened(misfits);
                        fitted.addAll(states);
                        for (long[] s : fitted) {
                            assertTrue(p.fits(s), "every state seen so far fits the widened projection");
                        }
                    }
                    assertTrue(p.packedWords() <= layout.words());
                    Map<List<Long>, List<Long>> packedOf = new HashMap<>();
                    long[] packed = new long[layout.words()];
                    long[] back = new long[layout.words()];
                    for (int i = 0; i < 200; i++) {
                        long[] s = i < fitted.size() ? fitted.get(i) : draw(r, layout, domain);
                        if (!p.pack(s, packed)) {
                            assertFalse(p.fits(s));
                            continue;
                        }
                        assertEquals(0, packed[0] & LosslessTable.RESERVED_MASK, "reserved bits stay clear");
                        Arrays.fill(back, -1L);
                        p.unpack(packed, 0, back);
                        assertArrayEquals(s, back, "unpacks to itself");
                        List<Long> form = Arrays.stream(packed, 0, p.packedWords()).boxed().toList();
                        List<Long> before = packedOf.put(form, key(s));
                        assertTrue(before == null || before.equals(key(s)), "two states share a packed form");
                    }
                    // A value the tables never saw: a coded field must refuse it, a raw one keeps it.
                    long[] s = base.clone();
                    int i = r.nextInt(count);
                    Field f = fields.get(i);
                    if (f.bits() > 0) {
                        f.set(s, (int) (f.min() + r.nextLong((long) f.max() - f.min() + 1)));
                        if (p.pack(s, packed)) {
                            p.unpack(packed, 0, back);
                            assertArrayEquals(s, back, "a state that fits, fits losslessly");
                        } else {
                            boolean seen = false;
                            for (long[] t : fitted) {
                                seen |= f.get(t) == f.get(s);
                            }
                            assertFalse(seen, "a state of values seen in every field fits");
                        }
                    }
                });
    }

    /** A state of {@code layout} whose field {@code i} takes a value of {@code domain[i]}. */
    private static long[] draw(SplittableRandom r, Layout layout, int[][] domain) {
        long[] s = layout.newState();
        List<Field> fields = layout.fields();
        for (int i = 0; i < fields.size(); i++) {
            fields.get(i).set(s, domain[i][r.nextInt(domain[i].length)]);
        }
        return s;
    }

    @Test
    void codedFieldsPackNarrowerThanTheirBits() {
        Layout.Builder b = Layout.builder();
        for (int i = 0; i < 40; i++) {
            b.field("f" + i, 0, 63); // 6 bits each: 240 bits, 4 words
        }
        Layout layout = b.build();
        long[] base = layout.newState();
        long[] other = layout.newState();
        for (Field f : layout.fields()) {
            f.set(other, 42); // each field takes two values: 1 bit each
        }
        Projection p = Projection.of(layout, List.of(base, other));
        assertEquals(240, p.bitsKept());
        assertEquals(40, p.bitsPacked());
        assertEquals(40, p.codedFields());
        assertEquals(1, p.packedWords());
        long[] packed = new long[layout.words()];
        long[] back = new long[layout.words()];
        long[] s = mix(new SplittableRandom(1), layout, base, other);
        assertTrue(p.pack(s, packed));
        p.unpack(packed, 0, back);
        assertArrayEquals(s, back);
        layout.fields().get(7).set(s, 3);
        assertFalse(p.fits(s), "a value outside the table does not fit");
        Projection.Misfits misfits = p.misfits();
        p.addMisfit(s, misfits);
        Projection wider = p.widened(misfits);
        assertEquals(41, wider.bitsPacked(), "the field now takes three values: two bits");
        assertTrue(wider.fits(s) && wider.fits(base) && wider.fits(other));
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
                    // Growing without widening: packed states move as they are, misfits to the new overflow.
                    ProjectedTable same = VisitedSets.createProjected(p, 256L << 10);
                    int[] grown = new int[table.capacity()];
                    same.settleMoves(table.transferTo(same, 0, table.capacity() / 3, grown)
                            + table.transferTo(same, table.capacity() / 3, table.capacity(), grown));
                    assertEquals(table.size(), same.size());
                    assertEquals(table.overflowSize(), same.overflowSize());
                    for (long[] s : states) {
                        int at = grown[model.get(key(s))];
                        assertEquals(~at, same.insert(s, StateHash.hash(s)));
                        same.read(at, back);
                        assertArrayEquals(s, back);
                    }
                    ProjectedTable wider = VisitedSets.createProjected(table.widenedProjection(), 256L << 10);
                    int[] moved = new int[table.capacity()];
                    wider.settleMoves(table.transferTo(wider, 0, table.capacity() / 2, moved)
                            + table.transferTo(wider, table.capacity() / 2, table.capacity(), moved));
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
