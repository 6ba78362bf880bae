package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MremapScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I3;

/** The model's findings (docs/findings.md): behaviours of offered releases that break an invariant, unreported upstream as far as we found. */
public final class Findings {
    private Findings() {
    }

    public static List<Finding> all() {
        return List.of(
                new Finding("F1", "mremap(MREMAP_DONTUNMAP) of a VM_LOCKED VMA adds its pages to locked_vm again: the kept"
                        + " source is no longer VM_LOCKED, the new VMA is, and locked_vm counts both",
                        I3, MremapScenarios::mremapDontunmapLocked, Feature.MREMAP_LOCKED_VM_BEFORE_UNMAP,
                        Variant.of(KernelVersion.V6_18).without(Feature.MREMAP_LOCKED_VM_BEFORE_UNMAP),
                        "6.17.0 and 6.18.2 mm/mremap.c: move_vma calls vrm_stat_account (locked_vm += new_len while the source"
                                + " is VM_LOCKED) before dontunmap_complete clears VM_LOCKED_MASK; 6.14.0's move_vma returned from"
                                + " the MREMAP_DONTUNMAP branch before its locked_vm += new_len; [PATCH 4/7] of the series called"
                                + " vrm_stat_account after the clear; no fix or report found in the stored mailing lists"));
    }
}
