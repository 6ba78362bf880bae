package dev.mmcheck.checker.trace;

/** A trace that does not replay against its model: a step is not enabled or does not exist. */
public final class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }
}
