package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.Scenario;

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

    /** The protocol versions checked with context switches: no PCID, generations, lazy skip, should_flush_tlb. */
    public static List<Variant> variants() {
        return List.of(Variant.of(KernelVersion.V4_12), Variant.of(KernelVersion.V4_14),
                Variant.of(KernelVersion.V4_20).with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES), Variant.of(KernelVersion.V6_13).with(Feature.SHOULD_FLUSH_SWITCHING));
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : ContextSwitchScenarios.main()) {
            for (Variant v : variants()) {
                // The 3-CPU scenario takes 18-28 s with generations (6.7-6.9 M states): exhaustive runs only.
                boolean large = sc.get().config().cpus() > 2 && v.has(Feature.PCID_TLB_GEN);
                list.add(Check.holds(sc, v, large));
            }
        }
        return list;
    }
}
