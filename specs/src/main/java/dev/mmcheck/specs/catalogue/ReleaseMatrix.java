package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Finding;
import dev.mmcheck.specs.variants.Findings;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The release matrix: every release the model offers ({@link Variants#releases()}) on every named
 * scenario it can run. A cell must HOLD unless a catalogued bug affects the release and the
 * scenario exercises it ({@link Bug#affects}, {@link Bug#exercisedBy}); then it must be VIOLATED
 * by that bug's invariant; the same for a {@link Finding} of the model on the releases that have it.
 * A scenario whose operations need a feature the release lacks, or that
 * exercises a scoped change the model lacks in that release, is not run (not applicable). Cells of large scenarios run in the exhaustive profile only.
 */
public final class ReleaseMatrix {
    /** The catalogue group of the matrix's checks. */
    public static final String GROUP = "release";

    /**
     * One cell: a release on a scenario, the bugs and findings expected to show, and its check
     * (null when the scenario needs a feature the release lacks).
     */
    public record Cell(String scenario, Variant release, List<Bug> bugs, List<Finding> findings, Check check) {
        public boolean applicable() {
            return check != null;
        }
    }

    private ReleaseMatrix() {
    }

    /** The columns: each release, and the PARAVIRT builds that matter. */
    public static List<Variant> columns() {
        return Variants.releases();
    }

    /** Every cell, row by row (scenarios in {@link AllScenarios} order), columns in {@link #columns()} order. */
    public static List<Cell> cells() {
        List<Variant> columns = columns();
        List<Bug> bugs = Bugs.all();
        List<Finding> findings = Findings.all();
        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<String, Supplier<Scenario>> row : AllScenarios.byName().entrySet()) {
            Scenario sc = row.getValue().get();
            for (Variant release : columns) {
                List<Bug> expected = bugs.stream()
                        .filter(b -> b.affects(release.base(), release.configs()) && b.exercisedBy(sc.name(), release))
                        .toList();
                List<Finding> shown = findings.stream().filter(f -> f.affects(release) && f.exercisedBy(sc.name())).toList();
                boolean runnable = sc.runsOn(release);
                cells.add(new Cell(sc.name(), release, expected, shown,
                        runnable ? check(row.getValue(), sc, release, expected, shown) : null));
            }
        }
        return cells;
    }

    /** The checks of the applicable cells. */
    public static List<Check> checks() {
        return cells().stream().filter(Cell::applicable).map(Cell::check).toList();
    }

    private static Check check(Supplier<Scenario> scenario, Scenario sc, Variant release, List<Bug> bugs, List<Finding> findings) {
        boolean large = sc.isExhaustiveOnly() || ContextSwitchChecks.large(sc, release);
        List<String> shown = new ArrayList<>();
        List<InvariantId> invariants = new ArrayList<>();
        for (Bug b : bugs) {
            shown.add(b.id() + " (" + b.fixCommit() + ", " + b.invariantOn(sc.name()) + ")");
            invariants.add(b.invariantOn(sc.name()).id());
        }
        for (Finding f : findings) {
            shown.add(f.id() + " (" + f.introducedBy().commit() + ", " + f.invariant() + ")");
            invariants.add(f.invariant().id());
        }
        Verdict expected = shown.isEmpty() ? Verdict.HOLDS : Verdict.VIOLATED;
        String why = shown.isEmpty() ? ": must hold" : ": " + String.join(", ", shown) + " must show";
        return Check.kernel(scenario, release, GROUP, "release matrix: " + sc.description() + " ("
                + release.description() + ")" + why, expected, large, invariants.stream().distinct().toList());
    }
}
