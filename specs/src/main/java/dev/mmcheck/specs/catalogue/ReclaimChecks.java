package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.KernelVersion;
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
 * {@link ReclaimMutants} (caught), and the bugs (buggy caught, fixed holds); the same scenarios
 * and the lost-mark ones with v5.17 (tlb_flush_batched generations, 5ee2fa2f0636). All run in
 * well under a second each, except lost-batched-mark-3cpu (about 900,000 states, a few seconds).
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
            // v5.17: the same scenarios with tlb_flush_batched generations (5ee2fa2f0636).
            list.add(Check.holds(sc, Variant.of(KernelVersion.V5_17), false));
        }
        // The lost-mark scenarios hold with generations; the 2-CPU one is also violated with the
        // bool of v5.15 (the 3-CPU one is bug BR2, ReclaimBugs).
        for (Supplier<Scenario> sc : ReclaimScenarios.batchGenerations()) {
            list.add(Check.holds(sc, Variant.of(KernelVersion.V5_17), false));
        }
        list.add(Check.kernel(ReclaimScenarios::lostBatchedMark2cpu, Variant.of(KernelVersion.V5_15), Verdict.VIOLATED,
                ": the bool tlb_flush_batched loses reclaim's mark (I2)", false));
        return list;
    }
}
