package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;

import java.util.List;

/** Historical bugs of the x86 TLB / page-table freeing area (shared/kernel/BUGS.md). */
public final class ContextSwitchBugs {
    private ContextSwitchBugs() {
    }

    /**
     * v5.15 with should_flush_tlb (6db2526c1d69) backported, as the 5.15.y stable tree has it:
     * a composite, named {@code v5.15+6db2526c1d69}. No release the model offers has the commit
     * (it is first in mainline v6.14).
     */
    public static Variant shouldFlushTlb() {
        return Variant.of(KernelVersion.V5_15).with(Feature.SHOULD_FLUSH_TLB);
    }

    public static List<Bug> all() {
        Variant v414 = Variant.of(KernelVersion.V4_14);
        return List.of(new Bug("CS1", Feature.SHOULD_FLUSH_SWITCHING, "",
                        "should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING after it read the old tlb_gen, so it loads CR3 without the flush"
                                + " (v6.14 to v6.15-rc5, and the stable trees that took 6db2526c1d69 before fea4e317f9e7)",
                        "I1", ContextSwitchScenarios::dontneedWhileSwitching,
                        shouldFlushTlb(), shouldFlushTlb().with(Feature.SHOULD_FLUSH_SWITCHING),
                        Introduced.by(Feature.SHOULD_FLUSH_TLB), List.of()),
                new Bug("B9", Feature.RCU_TABLE_FREE_INVALIDATES, "",
                        "x86 tlb_remove_table (every x86 kernel in v4.14-v4.18, PARAVIRT ones from v4.19) frees a page table at once"
                                + " when mm_users < 2, before the TLB and paging-structure caches are invalidated",
                        "I1", ContextSwitchScenarios::singleThreadMunmapFreesTable,
                        v414, v414.with(Feature.RCU_TABLE_FREE_INVALIDATES),
                        Introduced.by(Feature.RCU_TABLE_FREE), List.of(Exercise.on(ContextSwitchScenarios::munmapWhileSwitching))));
    }
}
