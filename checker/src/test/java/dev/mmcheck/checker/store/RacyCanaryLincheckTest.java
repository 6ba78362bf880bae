package dev.mmcheck.checker.store;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canary: the harness of the visited-set Lincheck tests, run on {@link RacyLosslessTable},
 * must report a linearizability failure. If it ever passes, the Lincheck tests prove nothing
 * (wrong options, operations not exercised concurrently, instrumentation broken, ...).
 */
public class RacyCanaryLincheckTest extends VisitedSetLincheckBase {
    public RacyCanaryLincheckTest() {
        super(new RacyLosslessTable(2, 5), 2);
    }

    @Test
    public void modelCheckingFindsTheRace() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class,
                () -> modelChecking().check(getClass()),
                "Lincheck did not catch the plain read-then-write claim");
        // A wrong answer (both threads saw the state as new), not a crash of the harness.
        assertTrue(e.getMessage().contains("Invalid execution results"), e.getMessage());
    }
}
