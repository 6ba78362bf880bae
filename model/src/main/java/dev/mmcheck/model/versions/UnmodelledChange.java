package dev.mmcheck.model.versions;

/**
 * Kernel changes whose mechanisms the model does not have. A release-wide change stops the
 * releases from it on from being offered as a {@link KernelVersion} (a test checks this), because
 * the model would check a different kernel under their name; a later behaviour the model does
 * have is offered as a composite variant instead (a release plus a {@link Feature}).
 *
 * <p>A scoped change touches only what some scenarios exercise (stack expansion, say): releases
 * from it on are offered, but a scenario that exercises it is refused on them, with an error
 * that names the change, and the release matrix marks those cells not applicable. Which
 * scenarios exercise a scoped change is the scenario layer's knowledge (see
 * {@code Scenario.unmodelled()}).
 */
public enum UnmodelledChange {
    /**
     * v6.1 to v6.4: a fault below a VM_GROWSDOWN VMA stores the grown VMA into the maple tree
     * holding mmap_lock only for read (expand_downwards, mas_store_prealloc). The tree's nodes and
     * their RCU freeing (the StackRot race, B18) are not modelled, so scenarios with a stack VMA
     * are refused from v6.1.
     */
    STACK_EXPANSION_IN_MAPLE_TREE(true, FeatureFacts.first("v6.1")
            .commit("d4af56c5c7c6", "mm: start tracking VMAs with maple tree")
            .source("v6.1.20 expand_downwards: mas_preallocate, anon_vma_lock_write, page_table_lock, vma_mas_store under"
                    + " mmap_read_lock")),
    /** Stack expansion takes the mmap write lock (lock_mm_and_find_vma); munmap always downgrades. */
    STACK_EXPANSION_WRITE_LOCK(false, FeatureFacts.first("v6.5")
            .commit("8d7071af8907", "mm: always expand the stack with the mmap write lock held")
            .source("v6.4.0 has no lock_mm_and_find_vma and checks VM_GROWSDOWN before downgrading; v6.5.0 has"
                    + " lock_mm_and_find_vma and always downgrades")
            .mail("mainline log line with the full id; the Linux 6.1.37 announcement lists the series")),
    /**
     * Per-VMA locks: page faults that take no mmap_lock (lock_vma_under_rcu), vma_start_write in
     * munmap, VMAs freed after an RCU grace period.
     */
    PER_VMA_LOCKS(false, FeatureFacts.first("v6.4")
            .commit("5e31275cc997", "mm: add per-VMA lock and helper functions to control it")
            .source("v6.4.0 include/linux/mm.h: vma_start_read, vma_start_write, vm_lock_seq; v6.1.20 has none")
            .mail("the id in the Fixes: tags of Jann Horn's per-VMA-lock fixes")
            .memory("6.2 and 6.3 have none (not read)"));

    private final boolean scoped;
    private final FeatureFacts facts;

    UnmodelledChange(boolean scoped, FeatureFacts facts) {
        this.scoped = scoped;
        this.facts = facts;
    }

    public FeatureFacts facts() {
        return facts;
    }

    /** Does it touch only the scenarios that exercise it (true), or every scenario of a release (false)? */
    public boolean scoped() {
        return scoped;
    }

    /** Is the change in mainline {@code release}? */
    public boolean in(Release release) {
        return facts.in(release);
    }
}
