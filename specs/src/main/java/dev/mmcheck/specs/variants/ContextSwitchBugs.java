package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;
import dev.mmcheck.specs.scenario.Scenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;

/** Historical bugs of the x86 TLB / page-table freeing area (shared/kernel/BUGS.md). */
public final class ContextSwitchBugs {
    private ContextSwitchBugs() {
    }

    /**
     * v5.15 with should_flush_tlb (6db2526c1d69) backported, as the 5.15.y stable tree has it
     * (from 5.15.179): a composite, named {@code v5.15+6db2526c1d69}. No release the model offers
     * has the commit (it is first in mainline v6.14). Its switch_mm_irqs_off still reads tlb_gen
     * before it writes LOADED_MM_SWITCHING.
     */
    public static Variant shouldFlushTlb() {
        return Variant.of(KernelVersion.V5_15).with(Feature.SHOULD_FLUSH_TLB);
    }

    /** {@link #shouldFlushTlb()} with both later fixes of its window (fea4e317f9e7, 83b0177a6c48): the form that holds. */
    public static Variant shouldFlushTlbFixed() {
        return shouldFlushTlb().with(Feature.SWITCHING_BEFORE_TLB_GEN).with(Feature.SHOULD_FLUSH_SWITCHING);
    }

    public static List<Bug> all() {
        Variant newOrder = shouldFlushTlb().with(Feature.SWITCHING_BEFORE_TLB_GEN);
        Variant switchingSeen = shouldFlushTlb().with(Feature.SHOULD_FLUSH_SWITCHING);
        Variant v414 = Variant.of(KernelVersion.V4_14);
        Variant v419 = Variant.of(KernelVersion.V4_19);
        return List.of(new Bug("CS1", Feature.SHOULD_FLUSH_SWITCHING, "CVE-2025-37964",
                        "should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING after it read the old tlb_gen, so it loads CR3 without the flush"
                                + " (v6.14 to v6.15-rc5, and the stable trees that took 6db2526c1d69 before fea4e317f9e7)",
                        I1, ContextSwitchScenarios::dontneedWhileSwitching,
                        // with the 83b0177a6c48 order, so that the fixed variant has no CS2 either
                        newOrder, newOrder.with(Feature.SHOULD_FLUSH_SWITCHING),
                        Introduced.by(Feature.SHOULD_FLUSH_TLB), List.of()),
                // Found by the model once switch_mm_irqs_off's steps followed the source: with
                // fea4e317f9e7 but the old order, a flush that runs between the tlb_gen read and
                // the LOADED_MM_SWITCHING write sees the previous mm and skips the CPU. Fixed in
                // the 6.1.y, 6.6.y and 6.12.y stable trees by the backport of 83b0177a6c48.
                new Bug("CS2", Feature.SWITCHING_BEFORE_TLB_GEN, "",
                        "switch_mm_irqs_off reads tlb_gen before it writes LOADED_MM_SWITCHING; a flush in between sees the previous mm in should_flush_tlb and skips the CPU",
                        I1, ContextSwitchScenarios::dontneedWhileSwitching,
                        switchingSeen, switchingSeen.with(Feature.SWITCHING_BEFORE_TLB_GEN),
                        Introduced.by(Feature.SHOULD_FLUSH_SWITCHING), List.of()),
                // Found by the model once switch_mm_irqs_off's steps followed the source: from
                // v4.14 a CPU switching away from the mm clears its mm_cpumask bit before it loads
                // the next CR3; a munmap that frees a page table in between sends it no IPI, yet
                // until the CR3 write the CPU can still walk the freed table speculatively through
                // its paging-structure cache (the hazard the freed-tables IPI to lazy CPUs exists
                // for). No fix targets it: 209954cbc7d0 (v6.14) closed the window by leaving the
                // bit set until a flush finds the CPU gone; the stable trees still have it. Shown
                // on v4.19: v4.14 frees the page table even earlier (B9).
                new Bug("CS3", Feature.LAZY_MM_CPUMASK, "",
                        "switch_mm_irqs_off clears the previous mm's cpumask bit before the CR3 write (on a context switch, and when a lazy CPU leaves the mm on a flush IPI); a munmap in between frees a page table the CPU can still walk",
                        I1, ContextSwitchScenarios::munmapWhileSwitching,
                        v419, v419.with(Feature.LAZY_MM_CPUMASK),
                        Introduced.by(Feature.PCID_TLB_GEN),
                        // the 3-CPU scenario (exhaustive profile): CPU2 leaves the cpumask before its CR3 write
                        List.of(Exercise.on(ContextSwitchScenarios::munmapVsAccessWhileSwitching),
                                // the lazy CPU2 leaves on madvise's nested flush (v5.2+: freed_tables),
                                // clearing its bit before its CR3 write; munmap's flush then skips it
                                Exercise.on(Scenarios::nestedFlushWithLazyCpu).where(Feature.LAZY_TLB_ALWAYS))),
                new Bug("B9", Feature.RCU_TABLE_FREE_INVALIDATES, "",
                        "x86 tlb_remove_table (every x86 kernel in v4.14-v4.18, PARAVIRT ones from v4.19) frees a page table at once"
                                + " when mm_users < 2, before the TLB and paging-structure caches are invalidated",
                        I1, ContextSwitchScenarios::singleThreadMunmapFreesTable,
                        v414, v414.with(Feature.RCU_TABLE_FREE_INVALIDATES),
                        Introduced.by(Feature.RCU_TABLE_FREE), List.of(Exercise.on(ContextSwitchScenarios::munmapWhileSwitching))));
    }
}
