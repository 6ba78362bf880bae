package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Result;
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
 * @param group       what kind of check: {@code example}, {@code kernel} (composite variants),
 *                    {@code release} (the release matrix), {@code mutant}, {@code bug}
 * @param description one line for {@code mmcheck list}
 * @param model       builds the model (fresh per run)
 * @param expected    the verdict a correct checker gives
 * @param exhaustiveOnly true for checks too large for the default run ({@code -Pexhaustive} only)
 * @param kernel      the scenario and variant of a kernel check; null for the engine's examples
 * @param invariants  when VIOLATED is expected: the ids of the invariants that may break; empty
 *                    means any
 */
public record Check(String name, String group, String description, Supplier<Model> model, Verdict expected,
                    boolean exhaustiveOnly, KernelRun kernel, List<InvariantId> invariants) {
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
        if (kernel != null && !name.equals(kernel.name())) {
            throw new IllegalArgumentException("check '" + name + "' must be named after its run, " + kernel.name());
        }
    }

    /** One of the engine's example models. */
    public static Check example(String name, String description, Supplier<Model> model, Verdict expected) {
        return new Check(name, "example", description, model, expected, false, null, List.of());
    }

    /** {@code variant} on {@code scenario}, named {@code scenario@variant}. */
    public static Check kernel(Supplier<Scenario> scenario, Variant variant, String group, String description,
                               Verdict expected, boolean exhaustiveOnly, List<InvariantId> invariants) {
        KernelRun run = new KernelRun(scenario, variant);
        return new Check(run.name(), group, description, () -> run.compile().model(), expected, exhaustiveOnly, run, invariants);
    }

    /** A correct kernel variant on a scenario: must hold. */
    public static Check holds(Supplier<Scenario> scenario, Variant variant, boolean exhaustiveOnly) {
        return kernel(scenario, variant, Verdict.HOLDS, "", exhaustiveOnly);
    }

    /** A kernel variant on a scenario with the verdict it must give; {@code why} ends the description. */
    public static Check kernel(Supplier<Scenario> scenario, Variant variant, Verdict expected, String why, boolean exhaustiveOnly) {
        Scenario sc = scenario.get();
        return kernel(scenario, variant, "kernel", sc.description() + " (" + variant.description() + ")" + why,
                expected, exhaustiveOnly, List.of());
    }

    /** A mutant on its scenario: must be caught, by one of its invariants. */
    public static Check caught(Mutant m) {
        return kernel(m.scenario(), m.variant(), "mutant", m.description() + ": must be caught", m.expected(), false,
                m.expected() == Verdict.VIOLATED ? m.invariantIds() : List.of());
    }

    /** A historical bug: its buggy variant must be caught (by the bug's invariant) and its fixed variant must hold. */
    public static List<Check> bug(Bug b) {
        return List.of(
                kernel(b.scenario(), b.namedBuggy(), "bug",
                        b.id() + (b.cve().isEmpty() ? "" : " " + b.cve()) + " before " + b.fixCommit() + ": " + b.title(),
                        Verdict.VIOLATED, false, List.of(b.invariant().id())),
                kernel(b.scenario(), b.namedFixed(), "bug", b.id() + " with " + b.fixCommit() + ": must hold",
                        Verdict.HOLDS, false, List.of()));
    }

    /** The kernel variant checked, or null for the engine's example models. */
    public Variant variant() {
        return kernel == null ? null : kernel.variant();
    }

    /** Did run {@code r} give the expected verdict, and when violated, break one of the expected invariants? */
    public boolean accepts(Result r) {
        if (r.verdict() != expected) {
            return false;
        }
        return expected != Verdict.VIOLATED || invariants.isEmpty()
                || r.invariantId() != null && invariants.contains(r.invariantId());
    }
}
