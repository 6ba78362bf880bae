package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;

import java.util.List;
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

    /** A correct kernel variant on a scenario: must hold. Named {@code scenario@variant}. */
    public static Check holds(Supplier<Scenario> scenario, Variant variant, boolean exhaustiveOnly) {
        Scenario sc = scenario.get();
        return new Check(sc.name() + "@" + variant.name(), "kernel", sc.description() + " (" + variant.description() + ")",
                () -> ScenarioModel.build(scenario.get(), variant), Verdict.HOLDS, exhaustiveOnly);
    }

    /** A mutant on its scenario: must be caught. */
    public static Check caught(Mutant m) {
        return of(m.name() + "@" + m.scenario().get().name(), "mutant", m.description() + ": must be caught",
                () -> ScenarioModel.build(m.scenario().get(), m.variant()), m.expected());
    }

    /** A historical bug: its buggy variant must be caught and its fixed variant must hold. */
    public static List<Check> bug(Bug b) {
        String sc = b.scenario().get().name();
        return List.of(
                of(b.id() + "-" + b.fixCommit() + "-buggy@" + sc, "bug",
                        b.id() + (b.cve().isEmpty() ? "" : " " + b.cve()) + " before " + b.fixCommit() + ": " + b.title(),
                        () -> ScenarioModel.build(b.scenario().get(), b.buggy()), Verdict.VIOLATED),
                of(b.id() + "-" + b.fixCommit() + "-fixed@" + sc, "bug", b.id() + " with " + b.fixCommit() + ": must hold",
                        () -> ScenarioModel.build(b.scenario().get(), b.fixed()), Verdict.HOLDS));
    }
}
