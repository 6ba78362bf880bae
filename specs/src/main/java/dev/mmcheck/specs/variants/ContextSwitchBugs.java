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

    public static List<Bug> all() {
        Variant buggy = Variant.of(KernelVersion.V4_14).with(Feature.PV_RCU_TABLE_FREE)
                .named("v4.14-paravirt", "Linux v4.14 on x86 PARAVIRT (HAVE_RCU_TABLE_FREE, 9e52fc2b50de)");
        Variant v613 = Variant.of(KernelVersion.V6_13);
        return List.of(new Bug("CS1", "fea4e317f9e7", "",
                        "v6.13 should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING after it read the old tlb_gen, so it loads CR3 without the flush",
                        "I1", ContextSwitchScenarios::dontneedWhileSwitching,
                        v613, v613.with(Feature.SHOULD_FLUSH_SWITCHING)),
                new Bug("B9", "d86564a2f085", "",
                "x86 PV tlb_remove_table frees a page table at once when mm_users < 2, before the TLB and paging-structure caches are invalidated",
                "I1", ContextSwitchScenarios::singleThreadMunmapFreesTable,
                buggy, buggy.with(Feature.RCU_TABLE_FREE_INVALIDATES)));
    }
}
