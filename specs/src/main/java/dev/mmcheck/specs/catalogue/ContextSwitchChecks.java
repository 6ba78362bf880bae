package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.ContextSwitchBugs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The catalogue entries of context switches and the x86 TLB protocol: each context-switch
 * scenario with the correct variants (must hold), the context-switch mutants (caught), and B9.
 */
public final class ContextSwitchChecks {
    private ContextSwitchChecks() {
    }

    /**
     * The protocol versions checked with context switches, as composites that hold: no PCID
     * (v4.12); generations (v4.19: v4.14 frees page tables early, B9); lazy skip; should_flush_tlb
     * with both fixes of its switch window (fea4e317f9e7, 83b0177a6c48), on v5.15. Each with PCID
     * also updates mm_cpumask lazily (209954cbc7d0, v6.14), which closes CS3; the releases
     * themselves, with CS3, are cells of the release matrix.
     */
    public static List<Variant> variants() {
        return List.of(Variant.of(KernelVersion.V4_12), Variant.of(KernelVersion.V4_19).with(Feature.LAZY_MM_CPUMASK),
                Variant.of(KernelVersion.V4_20).with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES).with(Feature.LAZY_MM_CPUMASK),
                ContextSwitchBugs.shouldFlushTlbFixed().with(Feature.LAZY_MM_CPUMASK));
    }

    /**
     * Too large for the default run: context switches on 3 CPUs with TLB generations take 18-28 s
     * (6.7-6.9 M states), so they run in the exhaustive profile only.
     */
    public static boolean large(Scenario sc, Variant v) {
        return sc.hasContextSwitches() && sc.config().cpus() > 2 && v.has(Feature.PCID_TLB_GEN);
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : ContextSwitchScenarios.main()) {
            for (Variant v : variants()) {
                list.add(Check.holds(sc, v, large(sc.get(), v)));
            }
        }
        return list;
    }
}
