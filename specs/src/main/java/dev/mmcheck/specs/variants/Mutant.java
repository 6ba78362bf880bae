package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A deliberate mistake in one kernel step (a "mutant"), with the scenario where the checker
 * must catch it. It proves the model and invariants can see that kind of bug: the base variant
 * holds on the scenario, the mutant does not.
 *
 * @param name       command-line name, e.g. {@code mutant-free-before-flush}
 * @param variant    the base algorithm with the mistake patched in
 * @param scenario   where it shows
 * @param invariants the properties that may catch it ({@link KernelProperty#I6} alone means a deadlock)
 */
public record Mutant(String name, Variant variant, Supplier<Scenario> scenario, KernelProperty... invariants) {

    public String description() {
        return variant.description();
    }

    /** DEADLOCK for a mutant caught by I6 (no deadlock) alone, else VIOLATED. */
    public Verdict expected() {
        return invariants.length == 1 && invariants[0] == KernelProperty.I6 ? Verdict.DEADLOCK : Verdict.VIOLATED;
    }

    /** The ids of the properties that may catch it. */
    public List<InvariantId> invariantIds() {
        return Arrays.stream(invariants).map(KernelProperty::id).toList();
    }

    /** Whether a violation of {@code invariant} is one of the expected catches. */
    public boolean caughtBy(InvariantId invariant) {
        return invariantIds().contains(invariant);
    }
}
