package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.MremapScenarios;

import java.util.List;

/**
 * Historical bugs of mremap and of the VM_PFNMAP rmap zap, shown with a driver that revokes its
 * device file (unmap_mapping_range, no mmap_sem) and then reuses the pfns.
 */
public final class MremapBugs {
    private MremapBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("MR1", "eb66ae030829", "CVE-2018-18281",
                        "mremap drops the new PTE lock before flushing the old address; an rmap zap of the new address frees the page under a stale TLB entry",
                        "I1", MremapScenarios::pfnmapMremapVsRevoke,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.MREMAP_FLUSH_UNDER_PTL)),
                new Bug("PF1", "b67fbebd4cf9", "",
                        "munmap of a VM_PFNMAP VMA unlinks it from i_mmap before any flush; unmap_mapping_range returns with stale TLB entries",
                        "I1", MremapScenarios::pfnmapMunmapVsRevoke,
                        Variant.of(KernelVersion.V4_13),
                        Variant.of(KernelVersion.V4_13).with(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA)));
    }
}
