package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One entry of the check catalogue: a model to explore and the verdict it must give. Correct
 * algorithms are expected to HOLD; mutants and historical bugs to be VIOLATED (or DEADLOCK).
 *
 * @param name        unique, command-line friendly name, e.g. {@code peterson-2}
 * @param group       what kind of check: {@code example}, {@code kernel}, {@code mutant}, {@code bug}
 * @param description one line for {@code mmcheck list}
 * @param model       builds the model (fresh per run)
 * @param expected    the verdict a correct checker gives
 * @param exhaustiveOnly true for checks too large for the default run ({@code -Pexhaustive} only)
 */
public record Check(String name, String group, String description, Supplier<Model> model, Verdict expected,
                    boolean exhaustiveOnly) {
    public Check {
        Objects.requireNonNull(name);
        Objects.requireNonNull(group);
        Objects.requireNonNull(description);
        Objects.requireNonNull(model);
        Objects.requireNonNull(expected);
        if (expected == Verdict.INCOMPLETE) {
            throw new IllegalArgumentException("check '" + name + "': INCOMPLETE is not an expectation");
        }
    }

    public static Check of(String name, String group, String description, Supplier<Model> model, Verdict expected) {
        return new Check(name, group, description, model, expected, false);
    }
}
