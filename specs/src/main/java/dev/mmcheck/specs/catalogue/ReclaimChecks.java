package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.ReclaimBugs;
import dev.mmcheck.specs.variants.ReclaimMutants;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Catalogue entries for reclaim, mprotect and NUMA hinting/migration: every
 * {@link ReclaimScenarios} scenario with v4.13 and v4.20-fixed (hold; v4.12 lacks
 * flush_tlb_batched_pending and the atomic pending counter, see {@link ReclaimBugs}), the
 * {@link ReclaimMutants} (caught), and the bugs (buggy caught, fixed holds). All run in well
 * under a second each.
 */
public final class ReclaimChecks {
    private ReclaimChecks() {
    }

    /** The correct variants for this area: the releases with 3ea277194daa and 16af97dc5a89. */
    public static List<Variant> correct() {
        return List.of(Variants.v4_13(), Variants.v4_20Fixed());
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : ReclaimScenarios.all()) {
            for (Variant v : correct()) {
                list.add(Check.holds(sc, v, false));
            }
        }
        return list;
    }
}
