package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;

/** Linearizability of {@link LosslessTable} with 2-word states (BUSY claim, then publish). */
public class LosslessTableLincheckTest extends VisitedSetLincheckBase {
    public LosslessTableLincheckTest() {
        super(new LosslessTable(2, 5, 1.0), 2);
    }

    @Test
    public void modelCheckingTest() {
        modelChecking().check(getClass());
    }

    @Test
    public void stressTest() {
        stress().check(getClass());
    }
}
