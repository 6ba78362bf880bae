package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.function.Supplier;

/**
 * A deliberate mistake in one kernel step (a "mutant"), with the scenario where the checker
 * must catch it. It proves the model and invariants can see that kind of bug: the base variant
 * holds on the scenario, the mutant does not.
 *
 * @param name       command-line name, e.g. {@code mutant-free-before-flush}
 * @param variant    the base algorithm with the mistake patched in
 * @param scenario   where it shows
 * @param invariants the invariants that may catch it (names start with these, e.g. "I1"; "I6" alone
 *                   means a deadlock)
 */
public record Mutant(String name, Variant variant, Supplier<Scenario> scenario, String... invariants) {

    public String description() {
        return variant.description();
    }

    /** DEADLOCK for a mutant caught by I6 (no deadlock) alone, else VIOLATED. */
    public Verdict expected() {
        return invariants.length == 1 && invariants[0].startsWith("I6") ? Verdict.DEADLOCK : Verdict.VIOLATED;
    }

    /** Whether a violation of {@code invariant} is one of the expected catches. */
    public boolean caughtBy(String invariant) {
        for (String prefix : invariants) {
            if (invariant.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
