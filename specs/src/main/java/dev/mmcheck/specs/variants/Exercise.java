package dev.mmcheck.specs.variants;

import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.function.Supplier;

/**
 * A scenario, other than its own, on which a bug shows: a release with the bug is caught there
 * and the same release with the fix holds. {@code invariant} is what breaks there, or null when
 * it is the bug's own invariant (B4, for one, breaks I2 on madvise scenarios and I1 where the
 * other zapper frees the page). {@code needs}, when not null, is a feature the release must also
 * have for the scenario to reach the bug (CS3 reaches a lazy CPU only where lazy mode exists).
 */
public record Exercise(Supplier<Scenario> scenario, KernelProperty invariant, Feature needs) {
    /** The bug shows on {@code scenario} by its own invariant. */
    public static Exercise on(Supplier<Scenario> scenario) {
        return new Exercise(scenario, null, null);
    }

    /** The bug shows on {@code scenario} by {@code invariant}. */
    public static Exercise on(Supplier<Scenario> scenario, KernelProperty invariant) {
        return new Exercise(scenario, invariant, null);
    }

    /** The same, only in variants that also have {@code feature}. */
    public Exercise where(Feature feature) {
        return new Exercise(scenario, invariant, feature);
    }
}
