package dev.mmcheck.checker.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

public class LayoutTest {

    /** Random layouts: every field reads back what was written, whatever else was written. */
    @Test
    void packUnpackRoundTripsForRandomLayouts() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 40)).checkAssert((seed, count) -> {
            SplittableRandom r = new SplittableRandom(seed);
            Layout.Builder b = Layout.builder();
            List<Field> fields = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int min = r.nextInt(-1000, 1000);
                long width = r.nextInt(4) == 0 ? r.nextLong(1L << 31) : r.nextInt(1, 64);
                int max = (int) Math.min(Integer.MAX_VALUE, min + width);
                fields.add(b.field("f" + i, min, max));
            }
            Layout layout = b.build();
            long[] s = layout.newState();
            int[] expected = new int[count];
            for (int i = 0; i < count; i++) {
                expected[i] = fields.get(i).min();
            }
            for (int round = 0; round < 4 * count; round++) {
                int i = r.nextInt(count);
                Field f = fields.get(i);
                int v = (int) (f.min() + r.nextLong((long) f.max() - f.min() + 1));
                f.set(s, v);
                expected[i] = v;
                for (int j = 0; j < count; j++) {
                    assertEquals(expected[j], fields.get(j).get(s), "field " + fields.get(j));
                }
            }
            assertEquals(0, s[0] >>> (64 - Layout.RESERVED_BITS), "reserved bits stay clear");
            layout.validate(s);
        });
    }

    @Test
    void outOfRangeNamesFieldValueAndRange() {
        Layout.Builder b = Layout.builder();
        Field f = b.field("mm.map_count", 0, 3);
        Layout layout = b.build();
        long[] s = layout.newState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.setChecked(s, 4));
        assertEquals("field 'mm.map_count': value 4 is outside its range [0, 3]", e.getMessage());
        assertTrue(Field.CHECKED, "tests run with range checks on");
        assertThrows(IllegalArgumentException.class, () -> f.set(s, -1));
    }

    @Test
    void badDeclarationsAreRefused() {
        Layout.Builder b = Layout.builder();
        b.field("x", 0, 1);
        assertThrows(IllegalArgumentException.class, () -> b.field("x", 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.field("y", 5, 1));
        assertTrue(e.getMessage().contains("'y'"));
        assertThrows(IllegalArgumentException.class, () -> b.build().field("nope"));
    }

    @Test
    void arraysAndPackingAreCompact() {
        Layout.Builder b = Layout.builder();
        FieldArray pte = b.array("pte", 16, 0, 7);
        Layout layout = b.build();
        assertEquals(1, layout.words(), "16 x 3 bits fit in one word next to the reserved bits");
        long[] s = layout.newState();
        for (int i = 0; i < 16; i++) {
            pte.set(s, i, i % 8);
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(i % 8, pte.get(s, i));
        }
    }
}
