package dev.mmcheck.checker.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steps a BFS set grows by between levels. */
class GrownBudgetTest {

    @Test
    void fingerprintSetsGrowByAQuarter() {
        assertEquals(80L << 20, Checker.grownBudget(64L << 20, Long.MAX_VALUE, true));
        assertEquals(5L << 30, Checker.grownBudget(4L << 30, Long.MAX_VALUE, true));
    }

    @Test
    void losslessSetsGrowByHalf() {
        assertEquals(96L << 20, Checker.grownBudget(64L << 20, Long.MAX_VALUE, false));
    }

    @Test
    void stopsAtTheMaximum() {
        assertEquals(70L << 20, Checker.grownBudget(64L << 20, 70L << 20, true));
        assertEquals(70L << 20, Checker.grownBudget(70L << 20, 70L << 20, false));
    }

    @Test
    void alwaysGrowsBelowTheMaximum() {
        for (long b = 1; b < 100; b++) {
            assertTrue(Checker.grownBudget(b, 1000, true) > b, "budget " + b);
            assertTrue(Checker.grownBudget(b, 1000, false) > b, "budget " + b);
        }
    }
}
