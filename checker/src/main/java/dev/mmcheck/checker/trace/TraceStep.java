package dev.mmcheck.checker.trace;

import dev.mmcheck.checker.model.Transition;

/**
 * One step of a trace: the transition taken (null for the initial state) and the full state
 * after it.
 */
public record TraceStep(Transition transition, long[] state) {
    public boolean isInitial() {
        return transition == null;
    }
}
