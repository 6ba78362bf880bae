package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.ContextSwitchBugs;
import dev.mmcheck.specs.variants.ContextSwitchMutants;
import dev.mmcheck.specs.variants.Mutant;

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
                Scenario scenario = sc.get();
                // The 3-CPU scenario takes 18-28 s with generations (6.7-6.9 M states): exhaustive runs only.
                boolean large = scenario.config().cpus() > 2 && v.has(Feature.PCID_TLB_GEN);
                list.add(new Check(scenario.name() + "@" + v.name(), "kernel", scenario.description() + " (" + v.description() + ")",
                        () -> ScenarioModel.build(sc.get(), v), Verdict.HOLDS, large));
            }
        }
        for (Mutant m : ContextSwitchMutants.all()) {
            Scenario scenario = m.scenario().get();
            list.add(Check.of(m.name() + "@" + scenario.name(), "mutant", m.description() + ": must be caught",
                    () -> ScenarioModel.build(m.scenario().get(), m.variant()), Verdict.VIOLATED));
        }
        for (Bug b : ContextSwitchBugs.all()) {
            String sc = b.scenario().get().name();
            list.add(Check.of(b.id() + "-" + b.fixCommit() + "-buggy@" + sc, "bug", b.id() + " before " + b.fixCommit() + ": " + b.title(),
                    () -> ScenarioModel.build(b.scenario().get(), b.buggy()), Verdict.VIOLATED));
            list.add(Check.of(b.id() + "-" + b.fixCommit() + "-fixed@" + sc, "bug", b.id() + " with " + b.fixCommit() + ": holds",
                    () -> ScenarioModel.build(b.scenario().get(), b.fixed()), Verdict.HOLDS));
        }
        return list;
    }
}
