package dev.mmcheck.model;

/**
 * Kernel changes whose mechanisms the model does not have. A release at or after one of them is
 * not offered as a {@link KernelVersion} (a test checks this), because the model would check a
 * different kernel under its name; a later behaviour the model does have is offered as a
 * composite variant instead (a release plus a {@link Feature}).
 */
public enum UnmodelledChange {
    /**
     * mprotect (and change_prot_numa) flush through an mmu_gather: tlb_flush_pte_range per PTE and
     * tlb_finish_mmu, with its nested-flush rule, instead of inc/flush/dec of tlb_flush_pending.
     */
    MPROTECT_MMU_GATHER(FeatureFacts.first("v5.19")
            .commit("4a18419f71cd", "mm/mprotect: use mmu_gather")
            .source("v5.19.0 (yishangzhang/linux-5.19, root 319643233978) do_mprotect_pkey calls tlb_gather_mmu and"
                    + " change_pte_range tlb_flush_pte_range; v5.17-rc5 (dunli/linux-5.17) uses inc/flush_tlb_range/dec")
            .mail("id in a Fixes discussion (\"Commit 4a18419f71cd (mm/mprotect: use mmu_gather) changed 'goto out;' to 'break'\")")
            .memory("that v5.18 does not have it yet (no v5.18 tree read)")),
    /** The maple tree replaces the rbtree, the VMA list and the vmacache. */
    MAPLE_TREE(FeatureFacts.first("v6.1")
            .commit("d4af56c5c7c6", "mm: start tracking VMAs with maple tree")
            .source("v6.1.20 mm/mmap.c has no vmacache and uses the maple tree")
            .memory("the commit id")),
    /** Stack expansion takes the mmap write lock; munmap always downgrades. */
    STACK_EXPANSION_WRITE_LOCK(FeatureFacts.first("v6.5")
            .commit("8d7071af8907", "mm: always expand the stack with the mmap write lock held")
            .source("v6.4.0 still checks VM_GROWSDOWN before downgrading; v6.6.9 always downgrades")
            .memory("that v6.5.0 is the first release with it"));

    private final FeatureFacts facts;

    UnmodelledChange(FeatureFacts facts) {
        this.facts = facts;
    }

    public FeatureFacts facts() {
        return facts;
    }
}
