package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.UffdBugs;
import dev.mmcheck.specs.variants.UffdMutants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The userfaultfd checks: the uffd scenarios hold from v4.18 on (v4.19, v4.20 with the munmap
 * downgrade, v5.15 with the mmap_changing counter); with two events in flight only the counter
 * holds, the bool of v4.18-v5.14 is cleared by the first event to complete; the mutants are
 * caught; B11 is caught before df2cc96e7701 and holds with it.
 */
public final class UffdChecks {
    private UffdChecks() {
    }

    private static List<Variant> correct() {
        return List.of(Variant.of(KernelVersion.V4_19), Variant.of(KernelVersion.V4_20), Variant.of(KernelVersion.V5_15));
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : UffdScenarios.main()) {
            for (Variant v : correct()) {
                list.add(kernel(sc, v, Verdict.HOLDS, ""));
            }
        }
        for (Supplier<Scenario> sc : List.<Supplier<Scenario>>of(UffdScenarios::twoUnmapEvents, UffdScenarios::dontneedAndMunmapEvents)) {
            list.add(kernel(sc, Variant.of(KernelVersion.V5_15), Verdict.HOLDS, ""));
            list.add(kernel(sc, Variant.of(KernelVersion.V4_19), Verdict.VIOLATED,
                    ": the mmap_changing bool is cleared by the first event to complete (I5)"));
        }
        for (Mutant m : UffdMutants.all()) {
            Scenario scenario = m.scenario().get();
            Verdict expected = m.caughtBy("I6") ? Verdict.DEADLOCK : Verdict.VIOLATED;
            list.add(Check.of(m.name() + "@" + scenario.name(), "mutant", m.description() + ": must be caught",
                    () -> ScenarioModel.build(m.scenario().get(), m.variant()), expected));
        }
        for (Bug b : UffdBugs.all()) {
            String sc = b.scenario().get().name();
            list.add(Check.of(b.id() + "-" + b.fixCommit() + "-buggy@" + sc, "bug",
                    b.id() + " before " + b.fixCommit() + ": " + b.title(),
                    () -> ScenarioModel.build(b.scenario().get(), b.buggy()), Verdict.VIOLATED));
            list.add(Check.of(b.id() + "-" + b.fixCommit() + "-fixed@" + sc, "bug",
                    b.id() + " with " + b.fixCommit() + ": must hold",
                    () -> ScenarioModel.build(b.scenario().get(), b.fixed()), Verdict.HOLDS));
        }
        return list;
    }

    private static Check kernel(Supplier<Scenario> sc, Variant v, Verdict expected, String why) {
        Scenario scenario = sc.get();
        return Check.of(scenario.name() + "@" + v.name(), "kernel", scenario.description() + " (" + v.description() + ")" + why,
                () -> ScenarioModel.build(sc.get(), v), expected);
    }
}
