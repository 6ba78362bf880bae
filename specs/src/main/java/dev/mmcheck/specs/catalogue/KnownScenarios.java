package dev.mmcheck.specs.catalogue;

import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every scenario by name: the main ones, each area's, and every scenario a catalogue check runs
 * (the mutants' and bugs' own included), so that whatever a report names can be run again.
 */
public final class KnownScenarios {
    private static final Map<String, Supplier<Scenario>> ALL = build();

    private KnownScenarios() {
    }

    private static Map<String, Supplier<Scenario>> build() {
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
        for (Check c : Catalogue.all()) {
            if (c.kernel() != null) {
                all.add(c.kernel().scenario());
            }
        }
        Map<String, Supplier<Scenario>> m = new LinkedHashMap<>();
        for (Supplier<Scenario> s : all) {
            m.putIfAbsent(s.get().name(), s);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every scenario by name, in listing order. */
    public static Map<String, Supplier<Scenario>> all() {
        return ALL;
    }

    /** The scenario called {@code name}; an error listing the valid names otherwise. */
    public static Supplier<Scenario> find(String name) {
        Supplier<Scenario> s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; valid names: " + String.join(", ", ALL.keySet()));
        }
        return s;
    }
}
