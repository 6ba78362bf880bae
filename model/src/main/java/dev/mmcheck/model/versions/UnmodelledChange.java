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
     * task_numa_work walks the VMAs with a maple-tree iterator (mas_find in a loop) under the mmap
     * read lock, outside any RCU section: while the stack grows under the read lock it is a reader
     * that may hold a node the stack's store rewrites (see {@code MapleNodes}). The model's NUMA
     * scan is not such a reader, so scenarios with a stack VMA and NUMA scanning are refused
     * where stacks rewrite nodes under the read lock (v6.1 to v6.4, 6.1.y before 6.1.37).
     */
    NUMA_SCAN_ITERATOR_UNDER_READ_LOCK(true, Feature.STACK_EXPANSION_WRITE_LOCK, FeatureFacts.first("v6.1")
            .until("v6.5")
            .commit("d4af56c5c7c6", "mm: start tracking VMAs with maple tree")
            .source("v6.1.20 kernel/sched/fair.c task_numa_work: mmap_read_trylock, then mas_set and mas_find in a loop over"
                    + " the VMAs, no rcu_read_lock")),
    /**
     * v6.4+: which fault handlers finish under a per-VMA lock and which return VM_FAULT_RETRY to
     * the mmap_lock path. The model has the anonymous fault, do_shared_fault's VM_FAULT_RETRY
     * (v6.4 to v6.6), handle_userfault's ({@link Feature#USERFAULTS_UNDER_VMA_LOCK}), and
     * do_numa_page and migration_entry_wait, which run to the end under it; not a fault on a
     * VM_PFNMAP VMA, whose driver decides, so scenarios with a store that may fault on a VM_PFNMAP
     * VMA are refused from v6.4.
     */
    FAULT_HANDLERS_UNDER_VMA_LOCK(true, null, FeatureFacts.first("v6.4")
            .commitTitled("mm: allow per-VMA locks on file-backed VMAs")
            .source("v6.6.9 mm/memory.c: do_read_fault 4566, do_cow_fault 4588, do_shared_fault 4633 return VM_FAULT_RETRY"
                    + " under the VMA lock; handle_userfault releases it; do_numa_page and migration_entry_wait have no"
                    + " FAULT_FLAG_VMA_LOCK test; docs/research/v6.6-delta.md sections 2.7, 2.8, 6")
            .mail("v6.6 revlists: \"mm: allow per-VMA locks on file-backed VMAs\", \"mm: handle swap and NUMA PTE faults"
                    + " under the VMA lock\" (Matthew Wilcox)"));

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
