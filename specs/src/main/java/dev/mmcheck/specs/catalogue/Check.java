package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Result;
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
 * @param group       what kind of check: {@code example}, {@code kernel} (composite variants),
 *                    {@code release} (the release matrix), {@code mutant}, {@code bug}
 * @param description one line for {@code mmcheck list}
 * @param model       builds the model (fresh per run)
 * @param expected    the verdict a correct checker gives
 * @param exhaustiveOnly true for checks too large for the default run ({@code -Pexhaustive} only)
 * @param variant     the kernel variant checked, or null for the engine's example models
 * @param invariants  when VIOLATED is expected: the invariants that may break (names start with
 *                    these, e.g. "I2"); empty means any
 */
public record Check(String name, String group, String description, Supplier<Model> model, Verdict expected,
                    boolean exhaustiveOnly, Variant variant, List<String> invariants) {
    public Check {
        Objects.requireNonNull(name);
        Objects.requireNonNull(group);
        Objects.requireNonNull(description);
        Objects.requireNonNull(model);
        Objects.requireNonNull(expected);
        invariants = List.copyOf(invariants);
        if (expected == Verdict.INCOMPLETE) {
            throw new IllegalArgumentException("check '" + name + "': INCOMPLETE is not an expectation");
        }
    }

    public static Check of(String name, String group, String description, Supplier<Model> model, Verdict expected) {
        return new Check(name, group, description, model, expected, false, null, List.of());
    }

    /** A correct kernel variant on a scenario: must hold. Named {@code scenario@variant}. */
    public static Check holds(Supplier<Scenario> scenario, Variant variant, boolean exhaustiveOnly) {
        return kernel(scenario, variant, Verdict.HOLDS, "", exhaustiveOnly);
    }

    /** A kernel variant on a scenario with the verdict it must give; {@code why} ends the description. */
    public static Check kernel(Supplier<Scenario> scenario, Variant variant, Verdict expected, String why, boolean exhaustiveOnly) {
        Scenario sc = scenario.get();
        return new Check(sc.name() + "@" + variant.name(), "kernel", sc.description() + " (" + variant.description() + ")" + why,
                () -> ScenarioModel.build(scenario.get(), variant), expected, exhaustiveOnly, variant, List.of());
    }

    /** A mutant on its scenario: must be caught, by one of its invariants. */
    public static Check caught(Mutant m) {
        return new Check(m.name() + "@" + m.scenario().get().name(), "mutant", m.description() + ": must be caught",
                () -> ScenarioModel.build(m.scenario().get(), m.variant()), m.expected(), false, m.variant(),
                m.expected() == Verdict.VIOLATED ? List.of(m.invariants()) : List.of());
    }

    /** A historical bug: its buggy variant must be caught (by the bug's invariant) and its fixed variant must hold. */
    public static List<Check> bug(Bug b) {
        String sc = b.scenario().get().name();
        return List.of(
                new Check(b.id() + "-" + b.fixCommit() + "-buggy@" + sc, "bug",
                        b.id() + (b.cve().isEmpty() ? "" : " " + b.cve()) + " before " + b.fixCommit() + ": " + b.title(),
                        () -> ScenarioModel.build(b.scenario().get(), b.buggy()), Verdict.VIOLATED, false, b.buggy(),
                        List.of(b.invariant())),
                new Check(b.id() + "-" + b.fixCommit() + "-fixed@" + sc, "bug", b.id() + " with " + b.fixCommit() + ": must hold",
                        () -> ScenarioModel.build(b.scenario().get(), b.fixed()), Verdict.HOLDS, false, b.fixed(), List.of()));
    }

    /** Did run {@code r} give the expected verdict, and when violated, break one of the expected invariants? */
    public boolean accepts(Result r) {
        if (r.verdict() != expected) {
            return false;
        }
        return expected != Verdict.VIOLATED || invariants.isEmpty()
                || r.invariant() != null && invariants.stream().anyMatch(r.invariant()::startsWith);
    }
}
