package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MremapScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;

/**
 * Historical bugs of mremap and of the VM_PFNMAP rmap zap, shown with a driver that revokes its
 * device file (unmap_mapping_range, no mmap_sem) and then reuses the pfns.
 */
public final class MremapBugs {
    private MremapBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("MR1", Feature.MREMAP_FLUSH_UNDER_PTL, "CVE-2018-18281",
                        "mremap drops the new PTE lock before flushing the old address; an rmap zap of the new address frees the page under a stale TLB entry",
                        I1, MremapScenarios::pfnmapMremapVsRevoke,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.MREMAP_FLUSH_UNDER_PTL),
                        Introduced.longStanding("v4.12.0 move_ptes sets need_flush after dropping the new PTL"),
                        List.of(Exercise.on(MremapScenarios::pfnmapMremapVsRevokeVsStore))),
                new Bug("PF1", Feature.PFNMAP_FLUSH_IN_TLB_END_VMA, "",
                        "munmap of a VM_PFNMAP VMA unlinks it from i_mmap before any flush; unmap_mapping_range returns with stale TLB entries",
                        I1, MremapScenarios::pfnmapMunmapVsRevoke,
                        Variant.of(KernelVersion.V4_13),
                        Variant.of(KernelVersion.V4_13).with(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA),
                        Introduced.longStanding("x86 tlb_end_vma is empty up to v5.15.55"),
                        List.of(Exercise.on(MremapScenarios::pfnmapMunmapVsRevokeVsStore))));
    }
}
