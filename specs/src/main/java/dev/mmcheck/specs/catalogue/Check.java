package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One entry of the check catalogue: a model to explore and the verdict it must give. Correct
 * algorithms are expected to HOLD; mutants and historical bugs to be VIOLATED (or DEADLOCK).
 * A kernel check is named after its run, {@code <scenario>@<variant id>}, like every report of
 * that run (see {@code docs/naming.md}).
 *
 * @param name        unique, command-line friendly name, e.g. {@code peterson-2} or {@code munmap-vs-fault@v4.12}
 * @param group       what kind of check: {@code example}, {@code kernel}, {@code mutant}, {@code bug}
 * @param description one line for {@code mmcheck list}
 * @param model       builds the model (fresh per run)
 * @param expected    the verdict a correct checker gives
 * @param exhaustiveOnly true for checks too large for the default run ({@code -Pexhaustive} only)
 * @param kernel      the scenario and variant of a kernel check; null for the engine's examples
 */
public record Check(String name, String group, String description, Supplier<Model> model, Verdict expected,
                    boolean exhaustiveOnly, KernelRun kernel) {
    public Check {
        Objects.requireNonNull(name);
        Objects.requireNonNull(group);
        Objects.requireNonNull(description);
        Objects.requireNonNull(model);
        Objects.requireNonNull(expected);
        if (expected == Verdict.INCOMPLETE) {
            throw new IllegalArgumentException("check '" + name + "': INCOMPLETE is not an expectation");
        }
        if (kernel != null && !name.equals(kernel.name())) {
            throw new IllegalArgumentException("check '" + name + "' must be named after its run, " + kernel.name());
        }
    }

    /** One of the engine's example models. */
    public static Check example(String name, String description, Supplier<Model> model, Verdict expected) {
        return new Check(name, "example", description, model, expected, false, null);
    }

    /** {@code variant} on {@code scenario}, named {@code scenario@variant}. */
    public static Check kernel(Supplier<Scenario> scenario, Variant variant, String group, String description,
                               Verdict expected, boolean exhaustiveOnly) {
        KernelRun run = new KernelRun(scenario, variant);
        return new Check(run.name(), group, description, () -> run.compile().model(), expected, exhaustiveOnly, run);
    }

    /** A correct kernel variant on a scenario: must hold. */
    public static Check holds(Supplier<Scenario> scenario, Variant variant, boolean exhaustiveOnly) {
        Scenario sc = scenario.get();
        return kernel(scenario, variant, "kernel", sc.description() + " (" + variant.description() + ")",
                Verdict.HOLDS, exhaustiveOnly);
    }

    /** A mutant on its scenario: must be caught. */
    public static Check caught(Mutant m) {
        return kernel(m.scenario(), m.variant(), "mutant", m.description() + ": must be caught", m.expected(), false);
    }

    /** A historical bug: its buggy variant must be caught and its fixed variant must hold. */
    public static List<Check> bug(Bug b) {
        return List.of(
                kernel(b.scenario(), b.namedBuggy(), "bug",
                        b.id() + (b.cve().isEmpty() ? "" : " " + b.cve()) + " before " + b.fixCommit() + ": " + b.title(),
                        Verdict.VIOLATED, false),
                kernel(b.scenario(), b.namedFixed(), "bug", b.id() + " with " + b.fixCommit() + ": must hold",
                        Verdict.HOLDS, false));
    }
}
