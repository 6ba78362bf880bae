package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.function.Supplier;

/**
 * A kernel behaviour, read in the source of the releases the model offers, that breaks an
 * invariant on a scenario, with no fix or report found upstream: unlike a {@link Bug} it has no
 * fix commit. The release matrix expects the violation on every release with {@code introducedBy}
 * (so a verdict there stays honest), and {@code proposedFix} is a variant of such a release that
 * holds: the order before the change, as a starting point for a patch.
 *
 * @param id           "F" and a number
 * @param title        one line
 * @param invariant    the property it breaks
 * @param scenario     the scenario that shows it
 * @param introducedBy the feature (a mainline commit) that brought it
 * @param proposedFix  a variant of an affected release without it
 * @param evidence     the source read and what was searched for upstream
 */
public record Finding(String id, String title, KernelProperty invariant, Supplier<Scenario> scenario, Feature introducedBy,
                      Variant proposedFix, String evidence) {

    /** Does release or composite {@code v} have the behaviour? */
    public boolean affects(Variant v) {
        return v.has(introducedBy);
    }

    /** Does scenario {@code name} show it? */
    public boolean exercisedBy(String name) {
        return scenario.get().name().equals(name);
    }
}
