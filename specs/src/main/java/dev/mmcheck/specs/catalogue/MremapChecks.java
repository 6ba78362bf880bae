package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.variants.Finding;
import dev.mmcheck.specs.variants.Findings;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Catalogue entries for mremap and the rmap zapper: correct variants hold on every scenario,
 * each mutant is caught, each bug's buggy variant is caught and its fixed variant holds.
 */
public final class MremapChecks {
    private MremapChecks() {
    }

    /** v4.13 with both fixes of this area (eb66ae030829, b67fbebd4cf9): correct for VM_PFNMAP and mremap. */
    public static Variant fileCorrect() {
        return Variants.v4_13().with(Feature.MREMAP_FLUSH_UNDER_PTL).with(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA)
                .named("v4.13+eb66ae030829+b67fbebd4cf9", "Linux v4.13 with the mremap flush fix and the VM_PFNMAP tlb_end_vma flush");
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Variant v : Variants.correct()) {
            kernel(list, MremapScenarios::mremapVsFault, v, false);
            kernel(list, MremapScenarios::mremapVsFaultAtTarget, v, false);
            kernel(list, MremapScenarios::mremapLocked, v, false);
        }
        kernel(list, MremapScenarios::mremapDontunmapLocked, Variant.of(KernelVersion.V5_8), false);
        // The release matrix expects F1 on v6.18; without the change that brought it, v6.18 holds.
        for (Finding f : Findings.all()) {
            kernel(list, f.scenario(), f.proposedFix(), false);
        }
        kernel(list, MremapScenarios::pfnmapMunmapVsRevoke, fileCorrect(), false);
        kernel(list, MremapScenarios::pfnmapMremapVsRevoke, fileCorrect(), false);
        kernel(list, MremapScenarios::pfnmapMunmapVsRevokeVsStore, fileCorrect(), false);
        kernel(list, MremapScenarios::pfnmapMremapVsRevokeVsStore, fileCorrect(), false);
        return list;
    }

    private static void kernel(List<Check> list, Supplier<Scenario> sc, Variant v, boolean exhaustiveOnly) {
        list.add(Check.holds(sc, v, exhaustiveOnly));
    }
}
