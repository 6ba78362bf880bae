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
     * are refused from v6.1, except on a variant with {@link Feature#STACK_EXPANSION_WRITE_LOCK}
     * (6.1.37, v6.5), whose store runs under the write lock.
     */
    STACK_EXPANSION_IN_MAPLE_TREE(true, Feature.STACK_EXPANSION_WRITE_LOCK, FeatureFacts.first("v6.1")
            .until("v6.5")
            .commit("d4af56c5c7c6", "mm: start tracking VMAs with maple tree")
            .source("v6.1.20 expand_downwards: mas_preallocate, anon_vma_lock_write, page_table_lock, vma_mas_store under"
                    + " mmap_read_lock")),
    /**
     * Per-VMA locks: page faults that take no mmap_lock (lock_vma_under_rcu), vma_start_write in
     * munmap, VMAs freed after an RCU grace period.
     */
    PER_VMA_LOCKS(false, null, FeatureFacts.first("v6.4")
            .commit("5e31275cc997", "mm: add per-VMA lock and helper functions to control it")
            .source("v6.4.0 include/linux/mm.h: vma_start_read, vma_start_write, vm_lock_seq; v6.1.20 has none")
            .mail("the id in the Fixes: tags of Jann Horn's per-VMA-lock fixes")
            .memory("6.2 and 6.3 have none (not read)"));

    private final boolean scoped;
    private final Feature removedBy;
    private final FeatureFacts facts;

    UnmodelledChange(boolean scoped, Feature removedBy, FeatureFacts facts) {
        this.scoped = scoped;
        this.removedBy = removedBy;
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

    /**
     * Is the change in a kernel of {@code release} with {@code features}: in the release, and
     * not taken away by the feature that removes it (a stable backport or a composite's commit).
     */
    public boolean in(Release release, java.util.Set<Feature> features) {
        return in(release) && (removedBy == null || !features.contains(removedBy));
    }
}
