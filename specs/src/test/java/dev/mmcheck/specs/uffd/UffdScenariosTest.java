package dev.mmcheck.specs.uffd;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.UffdScenarios;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UffdScenariosTest {
    static Result check(Scenario sc, Variant v) {
        long t0 = System.nanoTime();
        var model = ScenarioModel.build(sc, v);
        Result r = Checker.check(model, SearchOptions.defaults().withWorkers(2));
        System.out.println("[" + model.name() + "] " + r.summary() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                + (r.trace() != null ? " trace length " + r.trace().length() + " (" + r.invariant() + ")" : ""));
        if (r.trace() != null) {
            System.out.println(r.message());
            for (int i = 1; i < r.trace().steps().size(); i++) {
                var t = r.trace().steps().get(i).transition();
                System.out.println("  " + i + ". " + t.actor() + ": " + t.label());
            }
        }
        return r;
    }

    @Test
    void explore() {
        for (var v : new Variant[] {Variant.of(KernelVersion.V4_12), Variant.of(KernelVersion.V4_19), Variant.of(KernelVersion.V5_15)}) {
            check(UffdScenarios.faultResolvedByMonitor(), v);
            check(UffdScenarios.munmapVsBackgroundCopy(), v);
            check(UffdScenarios.faultVsMunmap(), v);
            check(UffdScenarios.twoUnmapEvents(), v);
            check(UffdScenarios.dontneedVsBackgroundCopy(), v);
            check(UffdScenarios.dontneedAndMunmapEvents(), v);
        }
    }
}
