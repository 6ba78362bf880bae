package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;

/** Linearizability of {@link FingerprintTable} (keys have distinct hashes, so it must be exact). */
public class FingerprintTableLincheckTest extends VisitedSetLincheckBase {
    public FingerprintTableLincheckTest() {
        super(new FingerprintTable(5, 1.0), 1);
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
