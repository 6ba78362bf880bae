package dev.mmcheck.specs.catalogue;

import dev.mmcheck.specs.scenario.Scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
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
        Map<String, Supplier<Scenario>> m = new LinkedHashMap<>(AllScenarios.byName());
        for (Check c : Catalogue.all()) {
            if (c.kernel() != null) {
                m.putIfAbsent(c.kernel().scenarioName(), c.kernel().scenario());
            }
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
