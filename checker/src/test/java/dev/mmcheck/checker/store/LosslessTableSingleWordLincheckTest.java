package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;

/** Linearizability of {@link LosslessTable} with 1-word states (one CAS publishes the state). */
public class LosslessTableSingleWordLincheckTest extends VisitedSetLincheckBase {
    public LosslessTableSingleWordLincheckTest() {
        super(new LosslessTable(1, 5, 1.0), 1);
    }

    @Test
    public void modelCheckingTest() {
        modelChecking().check(getClass());
    }
}
