package dev.mmcheck.specs.catalogue;

import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;
import dev.mmcheck.specs.scenario.MmapFixedScenarios;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every named scenario, once, by name: the main ones and the bugs' setups, the exhaustive ones,
 * each area's, then any scenario of a mutant or a bug not listed before.
 */
public final class AllScenarios {
    private AllScenarios() {
    }

    public static Map<String, Supplier<Scenario>> byName() {
        List<Supplier<Scenario>> all = new ArrayList<>(Scenarios.all());
        all.addAll(ExhaustiveChecks.scenarios());
        all.addAll(TruncateScenarios.all());
        all.addAll(UffdRegisterScenarios.all());
        all.addAll(NumaFaultScenarios.all());
        all.addAll(UffdScenarios.all());
        all.addAll(ReclaimScenarios.all());
        all.addAll(ReclaimScenarios.batchGenerations());
        all.addAll(MremapScenarios.all());
        all.addAll(ContextSwitchScenarios.main());
        all.addAll(MapleScenarios.all());
        all.addAll(VmaLockScenarios.all());
        all.addAll(PtReclaimScenarios.all());
        all.addAll(MmapFixedScenarios.all());
        for (Mutant mu : Mutants.all()) {
            all.add(mu.scenario());
        }
        for (Bug b : Bugs.all()) {
            all.add(b.scenario());
        }
        Map<String, Supplier<Scenario>> m = new LinkedHashMap<>();
        for (Supplier<Scenario> s : all) {
            m.putIfAbsent(s.get().name(), s);
        }
        return m;
    }
}
