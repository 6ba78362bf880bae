package dev.mmcheck.specs.junit;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.reports.Counterexample;

import java.util.Map;

/**
 * What {@link VariantCheck#assertViolates} found: the scenario's run and its counterexample.
 * {@link #toString()} renders it in kernel words (the run summary and the text trace), so a
 * test can print it or assert on it.
 */
public record Violation(Outcome outcome) {
    /** The counterexample as the reports hold it (trace, finding, metadata). */
    public Counterexample counterexample() {
        return outcome.counterexample();
    }

    /** The id of the invariant broken ({@code I2}, or a user's {@code U1}). */
    public InvariantId invariantId() {
        return outcome.result().invariantId();
    }

    /** The invariant broken, by name: {@code "I2 no stale translation survives munmap or madvise"}. */
    public String invariant() {
        return outcome.result().invariant();
    }

    /** The scenario it was found on. */
    public String scenario() {
        return outcome.model().scenario().name();
    }

    /** The report's metadata: scenario, variant, release, features, proposed edits. */
    public Map<String, String> metadata() {
        return counterexample().metadata();
    }

    /** The run summary and the shortest trace, step by step, in kernel words. */
    @Override
    public String toString() {
        return outcome.report();
    }
}
