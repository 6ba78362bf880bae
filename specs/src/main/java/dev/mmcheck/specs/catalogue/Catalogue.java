package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.DiningPhilosophers;
import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.search.Verdict;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The named checks that {@code mmcheck check --all} and {@code mvn verify} run: the engine's
 * example models; the composite kernel variants on their areas' scenarios (must hold); the
 * release matrix ({@link ReleaseMatrix}: every release on every scenario, holding unless a
 * known bug shows); every mutant on its scenario (must be caught); every historical bug, buggy
 * (caught) and fixed (holds).
 */
public final class Catalogue {
    private static final List<Check> CHECKS = build();

    private Catalogue() {
    }

    private static List<Check> build() {
        List<Check> list = new ArrayList<>();
        list.add(Check.example("peterson-2", "Peterson's mutual exclusion, 2 processes: holds",
                () -> new Peterson(2), Verdict.HOLDS));
        list.add(Check.example("peterson-3", "Peterson's filter lock, 3 processes: holds",
                () -> new Peterson(3), Verdict.HOLDS));
        list.add(Check.example("broken-mutex", "test-then-set lock: mutual exclusion fails in 4 steps",
                () -> new BrokenMutex(2), Verdict.VIOLATED));
        list.add(Check.example("dining-philosophers-3", "3 philosophers taking left then right: deadlock",
                () -> new DiningPhilosophers(3), Verdict.DEADLOCK));
        List<Check> release = ReleaseMatrix.checks();
        list.addAll(withoutReleaseCells(areaChecks(), release));
        list.addAll(release);
        for (Mutant m : Mutants.all()) {
            list.add(Check.caught(m));
        }
        for (Bug b : Bugs.all()) {
            list.addAll(Check.bug(b));
        }
        return Collections.unmodifiableList(list);
    }

    /** Each area's kernel checks: the main scenarios with the correct variants, then every area's own. */
    static List<Check> areaChecks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : Scenarios.main()) {
            for (Variant v : Variants.correct()) {
                list.add(Check.holds(sc, v, false));
            }
        }
        list.addAll(MremapChecks.checks());
        list.addAll(ReclaimChecks.checks());
        list.addAll(NumaFaultChecks.checks());
        list.addAll(UffdChecks.checks());
        list.addAll(ContextSwitchChecks.checks());
        list.addAll(TruncateChecks.checks());
        list.addAll(MapleChecks.checks());
        list.addAll(ExhaustiveChecks.checks());
        return list;
    }

    /**
     * The area checks that the release matrix does not already run: a release on a scenario is a
     * matrix cell (same name), so only composites (v4.20-fixed, a release plus a commit) stay in
     * the kernel group.
     */
    static List<Check> withoutReleaseCells(List<Check> area, List<Check> release) {
        Set<String> cells = new HashSet<>();
        release.forEach(c -> cells.add(c.name()));
        return area.stream().filter(c -> !cells.contains(c.name())).toList();
    }

    public static List<Check> all() {
        return CHECKS;
    }

    /** The checks of the default run (everything not marked exhaustive-only). */
    public static List<Check> defaults() {
        return CHECKS.stream().filter(c -> !c.exhaustiveOnly()).collect(Collectors.toList());
    }

    /** The check called {@code name}; an error that lists the valid names if there is none. */
    public static Check find(String name) {
        for (Check c : CHECKS) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "'; valid names: "
                + CHECKS.stream().map(Check::name).collect(Collectors.joining(", ")));
    }
}
