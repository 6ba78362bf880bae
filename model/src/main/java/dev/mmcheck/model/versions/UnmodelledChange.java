package dev.mmcheck.model.versions;

import dev.mmcheck.model.Kernel;

/**
 * Kernel changes whose mechanisms the model does not have. A release at or after one of them is
 * not offered as a {@link KernelVersion} (a test checks this), because the model would check a
 * different kernel under its name; a later behaviour the model does have is offered as a
 * composite variant instead (a release plus a {@link Feature}).
 */
public enum UnmodelledChange {
    /** The vmacache is gone (find_vma walks the maple tree, v6.1's VMA set). */
    VMACACHE_REMOVED(FeatureFacts.first("v6.1")
            .commit("7964cf8caa4d", "mm: remove vmacache")
            .source("v6.0-rc1 has mm/vmacache.c; v6.1.20 has none and uses the maple tree")
            .mail("id and title, with the removal diff, in the maple-tree series")),
    /** Stack expansion takes the mmap write lock (lock_mm_and_find_vma); munmap always downgrades. */
    STACK_EXPANSION_WRITE_LOCK(FeatureFacts.first("v6.5")
            .commit("8d7071af8907", "mm: always expand the stack with the mmap write lock held")
            .source("v6.4.0 has no lock_mm_and_find_vma and checks VM_GROWSDOWN before downgrading; v6.5.0 has"
                    + " lock_mm_and_find_vma and always downgrades")
            .mail("mainline log line with the full id; the Linux 6.1.37 announcement lists the series"));

    private final FeatureFacts facts;

    UnmodelledChange(FeatureFacts facts) {
        this.facts = facts;
    }

    public FeatureFacts facts() {
        return facts;
    }
}
