package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Verdict;
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

    /**
     * CS2 is stable-only: the 6.6.y and 6.12.y trees took should_flush_tlb (6.6.79, 6.12.16) and
     * fea4e317f9e7 (6.6.91, 6.12.29) with the old switch_mm_irqs_off order, until 83b0177a6c48's
     * backport. Their shapes, as composites of v6.6 and v6.12 (not those stable releases, whose
     * other backports the model does not have): the bug, then its fix.
     */
    public static List<Variant> cs2StableShapes() {
        List<Variant> shapes = new ArrayList<>();
        for (KernelVersion base : List.of(KernelVersion.V6_6, KernelVersion.V6_12)) {
            Variant stable = Variant.of(base).with(Feature.SHOULD_FLUSH_TLB).with(Feature.SHOULD_FLUSH_SWITCHING);
            shapes.add(stable);
            shapes.add(stable.with(Feature.SWITCHING_BEFORE_TLB_GEN));
        }
        return shapes;
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : ContextSwitchScenarios.main()) {
            for (Variant v : variants()) {
                list.add(Check.holds(sc, v, large(sc.get(), v)));
            }
        }
        for (Variant v : cs2StableShapes()) {
            boolean fixed = v.has(Feature.SWITCHING_BEFORE_TLB_GEN);
            list.add(Check.kernel(ContextSwitchScenarios::dontneedWhileSwitching, v, "kernel",
                    "CS2 on the stable shape " + v.name() + (fixed ? ", with the backport of 83b0177a6c48: must hold" : ": must be caught"),
                    fixed ? Verdict.HOLDS : Verdict.VIOLATED, false,
                    fixed ? List.of() : List.of(dev.mmcheck.model.invariants.KernelProperty.I1.id())));
        }
        return list;
    }
}
