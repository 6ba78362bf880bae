package dev.mmcheck.specs.junit;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.model.ReadsAudit;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.CallPatch;
import dev.mmcheck.model.GuardPatch;
import dev.mmcheck.model.InsertPatch;
import dev.mmcheck.model.StepPatch;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.reports.Comparison;
import dev.mmcheck.reports.Counterexample;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A variant to check from a JUnit 5 test, and the scenarios to check it on. Immutable: every
 * builder method returns a new check. {@link #assertHolds()} fails with the run summary and the
 * counterexample in kernel words; {@link #assertViolates(KernelProperty)} fails unless some scenario
 * breaks the named invariant, and returns that {@link Violation} (which prints in kernel words).
 *
 * <p>Runs are exhaustive breadth-first searches with 2 workers unless {@link #options} says
 * otherwise; a run that hits a bound (INCOMPLETE) fails both assertions, since it proves nothing.
 */
public final class VariantCheck {
    private final Variant variant;
    private final List<Supplier<Scenario>> scenarios;
    private final SearchOptions options;
    /** Invariants the test adds to the model's own, checked on every scenario. */
    private final List<KernelInvariant> invariants;

    private VariantCheck(Variant variant, List<Supplier<Scenario>> scenarios, SearchOptions options,
                         List<KernelInvariant> invariants) {
        this.variant = variant;
        this.scenarios = List.copyOf(scenarios);
        this.options = options;
        this.invariants = List.copyOf(invariants);
    }

    /** The kernel's own algorithm at {@code version}, on the main scenarios until {@link #on} says otherwise. */
    public static VariantCheck of(KernelVersion version) {
        return of(Variant.of(version));
    }

    /** {@code variant} (a named kernel variant, a mutant, a bug's variant, ...). */
    public static VariantCheck of(Variant variant) {
        return new VariantCheck(Objects.requireNonNull(variant, "variant"), Scenarios.main(),
                SearchOptions.defaults().withWorkers(2), List.of());
    }

    /** With {@code feature} switched on (a fix commit backported). */
    public VariantCheck with(Feature feature) {
        return new VariantCheck(variant.with(feature), scenarios, options, invariants);
    }

    /** With {@code feature} switched off (a commit reverted). */
    public VariantCheck without(Feature feature) {
        return new VariantCheck(variant.without(feature), scenarios, options, invariants);
    }

    // ---- the proposed change: edits of the kernel's steps, each naming its step by constant ----

    /** Step {@code step} runs another effect (for a call: other arguments). */
    public VariantCheck replaceEffect(StepRef step, String why, StepPatch effect) {
        return new VariantCheck(variant.replaceEffect(step, why, effect), scenarios, options, invariants);
    }

    /** Step {@code step} waits for another condition. */
    public VariantCheck replaceGuard(StepRef step, String why, GuardPatch guard) {
        return new VariantCheck(variant.replaceGuard(step, why, guard), scenarios, options, invariants);
    }

    /** Step {@code step} (or one alternative of an either) is deleted with its jumps. */
    public VariantCheck skip(StepRef step, String why) {
        return new VariantCheck(variant.skip(step, why), scenarios, options, invariants);
    }

    /** New steps run before step {@code step}. */
    public VariantCheck insertBefore(StepRef step, String why, InsertPatch steps) {
        return new VariantCheck(variant.insertBefore(step, why, steps), scenarios, options, invariants);
    }

    /** New steps run after step {@code step} when it falls through. */
    public VariantCheck insertAfter(StepRef step, String why, InsertPatch steps) {
        return new VariantCheck(variant.insertAfter(step, why, steps), scenarios, options, invariants);
    }

    /** Call step {@code step} calls another procedure. */
    public VariantCheck replaceCall(StepRef step, String why, CallPatch callee) {
        return new VariantCheck(variant.replaceCall(step, why, callee), scenarios, options, invariants);
    }

    /**
     * Also checks {@code invariant} on every scenario, beside the model's own: a property of the
     * proposal in kernel words (see {@link KernelInvariant}).
     */
    public VariantCheck invariant(KernelInvariant invariant) {
        List<KernelInvariant> l = new ArrayList<>(invariants);
        l.add(Objects.requireNonNull(invariant, "invariant"));
        return new VariantCheck(variant, scenarios, options, l);
    }

    /** The name and one-line description shown in reports. */
    public VariantCheck named(String name, String description) {
        return new VariantCheck(variant.named(name, description), scenarios, options, invariants);
    }

    /** On these scenarios instead. */
    @SafeVarargs
    public final VariantCheck on(Supplier<Scenario>... scenarioList) {
        if (scenarioList.length == 0) {
            throw new IllegalArgumentException("name at least one scenario");
        }
        return new VariantCheck(variant, Arrays.asList(scenarioList), options, invariants);
    }

    /** With these search options (e.g. a time limit, more workers). */
    public VariantCheck options(SearchOptions searchOptions) {
        return new VariantCheck(variant, scenarios, Objects.requireNonNull(searchOptions, "options"), invariants);
    }

    public Variant variant() {
        return variant;
    }

    /** Runs every scenario and returns the outcomes in scenario order (no assertion). */
    public List<Outcome> run() {
        List<Outcome> out = new ArrayList<>();
        for (Supplier<Scenario> sc : scenarios) {
            Scenario scenario = sc.get();
            invariants.forEach(scenario::invariant);
            KernelModel km = ScenarioModel.compile(scenario, variant);
            auditReads(km);
            Result r = Checker.check(km.model(), options);
            Counterexample c = null;
            if (r.trace() != null) {
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("scenario", km.scenario().name());
                meta.put("variant", variant.name());
                meta.putAll(variant.describe());
                c = Counterexample.from(r, meta);
            }
            out.add(new Outcome(km, r, c));
        }
        return out;
    }

    /**
     * The reads the model's invariants declare (the kernel's and any a test adds) cover what they
     * read, on this scenario's states: a search trusts them, so a field left out would hide a
     * violation ({@link ReadsAudit}).
     */
    private static void auditReads(KernelModel km) {
        List<String> problems = ReadsAudit.audit(km.model(), km.scenario().name().hashCode());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(km.scenario().name() + ": " + String.join("; ", problems));
        }
    }

    /**
     * Runs this variant and {@code other}'s on this check's scenarios and returns the side-by-side
     * verdicts (its {@code text()} is the table {@code mmcheck compare} prints): for a proposal
     * beside the kernel's own algorithm, or two proposals beside each other.
     */
    public Comparison compare(VariantCheck other) {
        List<Outcome> mine = run();
        List<Outcome> theirs = new VariantCheck(other.variant, scenarios, options, other.invariants).run();
        List<Comparison.Row> rows = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            rows.add(new Comparison.Row(mine.get(i).model().scenario().name(), mine.get(i).result(), theirs.get(i).result()));
        }
        return new Comparison(variant.name(), other.variant.name(), rows);
    }

    /** Asserts that every scenario HOLDS; the failure message holds the first failing run's report. */
    public List<Outcome> assertHolds() {
        List<Outcome> outcomes = run();
        for (Outcome o : outcomes) {
            if (o.verdict() != Verdict.HOLDS) {
                fail(variant.name() + " does not hold on " + o.model().scenario().name() + patches()
                        + System.lineSeparator() + o.report());
            }
        }
        return outcomes;
    }

    /**
     * Asserts that some scenario breaks the model's property {@code property} (e.g.
     * {@link KernelProperty#I1}) and returns the first such counterexample.
     */
    public Violation assertViolates(KernelProperty property) {
        return assertViolates(property.id());
    }

    /**
     * Asserts that some scenario breaks the invariant {@code invariant} (a model property's id or
     * one added with {@link #invariant}) and returns the first such counterexample.
     */
    public Violation assertViolates(InvariantId invariant) {
        List<Outcome> outcomes = run();
        StringBuilder why = new StringBuilder();
        for (Outcome o : outcomes) {
            if (o.result().violated(invariant)) {
                return new Violation(o);
            }
            why.append(System.lineSeparator()).append(o.report());
        }
        fail(variant.name() + " does not break " + invariant + " on "
                + outcomes.stream().map(o -> o.model().scenario().name()).reduce((x, y) -> x + ", " + y).orElse("")
                + patches() + System.lineSeparator() + why);
        return null;
    }

    private String patches() {
        StringBuilder sb = new StringBuilder();
        variant.patches().forEach(edit -> sb.append(System.lineSeparator()).append("  proposed: ").append(edit));
        return sb.toString();
    }
}
