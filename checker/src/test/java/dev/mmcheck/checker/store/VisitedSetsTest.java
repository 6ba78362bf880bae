package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisitedSetsTest {

    @Test
    void losslessSizedFromBudget() {
        // 3 words: 24 table bytes + 4 parent-log bytes per slot.
        assertEquals(28, VisitedSets.bytesPerSlot(3, false));
        VisitedSet set = VisitedSets.create(3, false, 1_000_000);
        assertInstanceOf(LosslessTable.class, set);
        assertTrue(set.isLossless());
        assertEquals(35_714, set.capacity());
        assertEquals(35_714L * 24, set.allocatedBytes());
        assertEquals((long) Math.floor(35_714 * VisitedSets.LOSSLESS_MAX_LOAD), ((LosslessTable) set).maxSize());
        long[] s = {1, 2, 3};
        int i = set.insert(s, StateHash.hash(s));
        assertTrue(i >= 0);
        long[] back = new long[3];
        set.read(i, back);
        assertEquals(3, back[2]);
    }

    @Test
    void projectedOverflowSizedFromItsShare() {
        dev.mmcheck.checker.state.Layout.Builder b = dev.mmcheck.checker.state.Layout.builder();
        for (String name : new String[] {"a", "b", "c"}) {
            b.field(name, 0, (1 << 30) - 1);
        }
        dev.mmcheck.checker.state.Layout layout = b.build();
        Projection p = Projection.everything(layout); // 90 bits raw: 2 packed words of 2
        assertEquals(2, layout.words());
        assertEquals(2, p.packedWords());
        // Per packed slot: 16 + 4 bytes, plus the share of a 2-word overflow slot (20 bytes).
        ProjectedTable wide = VisitedSets.createProjected(p, 1_000_000);
        ProjectedTable stable = VisitedSets.createProjected(p, 1_000_000, VisitedSets.STABLE_OVERFLOW_SHARE);
        int wideSlots = (int) (1_000_000 / (20 + 20 * VisitedSets.OVERFLOW_SHARE));
        int stableSlots = (int) (1_000_000 / (20 + 20 * VisitedSets.STABLE_OVERFLOW_SHARE));
        assertEquals(wideSlots + wideSlots / 8, wide.capacity());
        assertEquals(stableSlots + stableSlots / 64, stable.capacity());
        assertThrows(IllegalArgumentException.class, () -> VisitedSets.createProjected(p, 1_000_000, 0));
    }

    @Test
    void fingerprintsSizedFromBudget() {
        assertEquals(12, VisitedSets.bytesPerSlot(5, true));
        VisitedSet set = VisitedSets.create(5, true, 1_000_000);
        assertInstanceOf(FingerprintTable.class, set);
        assertFalse(set.isLossless());
        assertEquals(83_333, set.capacity());
        assertEquals(83_333L * 8, set.allocatedBytes());
        assertEquals((long) Math.floor(83_333 * VisitedSets.FINGERPRINT_MAX_LOAD), ((FingerprintTable) set).maxSize());
    }

    @Test
    void smallestBudget() {
        long min = VisitedSets.MIN_CAPACITY * VisitedSets.bytesPerSlot(2, false);
        assertEquals(VisitedSets.MIN_CAPACITY, VisitedSets.create(2, false, min).capacity());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> VisitedSets.create(2, false, min - 1));
        String m = e.getMessage();
        assertTrue(m.contains(Long.toString(min - 1)), m);
        assertTrue(m.contains("20 bytes per slot"), m);
        assertTrue(m.contains("minimum of 16 slots"), m);
        assertTrue(m.contains(min + " bytes"), m);
    }

    @Test
    void negativeOrZeroBudgetIsTooSmall() {
        assertThrows(IllegalArgumentException.class, () -> VisitedSets.create(1, true, 0));
        assertThrows(IllegalArgumentException.class, () -> VisitedSets.create(1, true, -1));
        assertThrows(IllegalArgumentException.class, () -> VisitedSets.create(0, true, 1 << 20));
    }

    @Test
    void capacityCappedByTheArrayLimit() {
        assertEquals(VisitedSets.MAX_ARRAY_LENGTH, VisitedSets.capacityFor(1, false, Long.MAX_VALUE));
        assertEquals(VisitedSets.MAX_ARRAY_LENGTH / 4, VisitedSets.capacityFor(4, false, Long.MAX_VALUE));
        // Fingerprint slots are one long whatever the state size.
        assertEquals(VisitedSets.MAX_ARRAY_LENGTH, VisitedSets.capacityFor(100, true, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> VisitedSets.capacityFor(Integer.MAX_VALUE / 8, false, Long.MAX_VALUE));
    }

    @Test
    void budgetBeyondTheHeapIsAClearError() {
        // 16 GB of fingerprints cannot fit in the test JVM's heap.
        long budget = 16L << 30;
        long heap = Runtime.getRuntime().maxMemory();
        org.junit.jupiter.api.Assumptions.assumeTrue(heap < budget / 2, "heap too large for this test");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VisitedSets.create(1, true, budget));
        assertTrue(e.getMessage().contains(Long.toString(budget)), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
    }
}
