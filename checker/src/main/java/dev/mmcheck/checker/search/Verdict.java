package dev.mmcheck.checker.search;

/**
 * The outcome of a run. Only an exhaustive exploration that hit no bound says {@link #HOLDS}.
 */
public enum Verdict {
    /** Every reachable state was explored and every invariant held; no deadlock. */
    HOLDS(0),
    /** An invariant failed; the result carries a trace to the failing state. */
    VIOLATED(1),
    /** A reachable state that is not final has no successor; the result carries a trace. */
    DEADLOCK(1),
    /** A bound stopped the run before it could decide; the result says which bound. */
    INCOMPLETE(3);

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    /** Process exit code: 0 holds, 1 violated or deadlock, 3 incomplete (2 is for usage errors). */
    public int exitCode() {
        return exitCode;
    }
}
