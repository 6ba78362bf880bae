package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Catalogue entries for the NUMA hinting fault (do_numa_page): every
 * {@link NumaFaultScenarios} scenario with the correct variants of the area, which cover both
 * orders of do_numa_page: restore first (v4.13, v4.20-fixed) and migrate first (v5.15, b99a342d4f11),
 * also with the isolation under the PTL of v6.11 (v5.17+ee86814b0562, a composite: no release the
 * model offers has it). The scenario with two faults and MADV_DONTNEED on 3 CPUs runs in the
 * exhaustive profile only (about 5 s per variant).
 */
public final class NumaFaultChecks {
    private NumaFaultChecks() {
    }

    /** The correct variants for this area (v4.12 lacks 16af97dc5a89 and 3ea277194daa, see ReclaimChecks). */
    public static List<Variant> correct() {
        return List.of(Variants.v4_13(), Variants.v4_20Fixed(), Variant.of(KernelVersion.V5_15),
                Variant.of(KernelVersion.V5_17).with(Feature.NUMA_ISOLATE_UNDER_PTL));
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : NumaFaultScenarios.all()) {
            for (Variant v : correct()) {
                list.add(Check.holds(sc, v, sc.get().isExhaustiveOnly()));
            }
        }
        return list;
    }
}
