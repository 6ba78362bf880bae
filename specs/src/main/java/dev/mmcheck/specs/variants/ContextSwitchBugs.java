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
        // The x86 flush-target rule of v6.14 (6db2526c1d69), as the stable trees backported it
        // onto kernels whose switch_mm_irqs_off still reads tlb_gen before it writes
        // LOADED_MM_SWITCHING.
        Variant shouldFlush = Variant.of(KernelVersion.V6_13).without(Feature.SWITCHING_BEFORE_TLB_GEN);
        Variant switchingSeen = shouldFlush.with(Feature.SHOULD_FLUSH_SWITCHING);
        return List.of(new Bug("CS1", "fea4e317f9e7", "CVE-2025-37964",
                        "should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING after it read the old tlb_gen, so it loads CR3 without the flush",
                        "I1", ContextSwitchScenarios::dontneedWhileSwitching,
                        shouldFlush.with(Feature.SWITCHING_BEFORE_TLB_GEN),
                        shouldFlush.with(Feature.SWITCHING_BEFORE_TLB_GEN).with(Feature.SHOULD_FLUSH_SWITCHING)),
                // Found by the model once switch_mm_irqs_off's steps followed the source: with
                // fea4e317f9e7 but the old order, a flush that runs between the tlb_gen read and
                // the LOADED_MM_SWITCHING write sees the previous mm and skips the CPU. Fixed in
                // the 6.1.y, 6.6.y and 6.12.y stable trees by the backport of 83b0177a6c48.
                new Bug("CS2", "83b0177a6c48", "",
                        "switch_mm_irqs_off reads tlb_gen before it writes LOADED_MM_SWITCHING; a flush in between sees the previous mm in should_flush_tlb and skips the CPU",
                        "I1", ContextSwitchScenarios::dontneedWhileSwitching,
                        switchingSeen, switchingSeen.with(Feature.SWITCHING_BEFORE_TLB_GEN)),
                // Found by the model once switch_mm_irqs_off's steps followed the source: from
                // v4.14 a CPU switching away from the mm clears its mm_cpumask bit before it loads
                // the next CR3; a munmap that frees a page table in between sends it no IPI, yet
                // until the CR3 write the CPU can still walk the freed table speculatively through
                // its paging-structure cache (the hazard the freed-tables IPI to lazy CPUs exists
                // for). No fix targets it: 209954cbc7d0 (v6.14) closed the window by leaving the
                // bit set until a flush finds the CPU gone; the stable trees still have it.
                new Bug("CS3", "209954cbc7d0", "",
                        "switch_mm_irqs_off clears the previous mm's cpumask bit before the CR3 write; a munmap in between frees a page table the CPU can still walk",
                        "I1", ContextSwitchScenarios::munmapWhileSwitching,
                        Variant.of(KernelVersion.V4_14), Variant.of(KernelVersion.V4_14).with(Feature.LAZY_MM_CPUMASK)),
                new Bug("B9", "d86564a2f085", "",
                "x86 PV tlb_remove_table frees a page table at once when mm_users < 2, before the TLB and paging-structure caches are invalidated",
                "I1", ContextSwitchScenarios::singleThreadMunmapFreesTable,
                buggy, buggy.with(Feature.RCU_TABLE_FREE_INVALIDATES)));
    }
}
