package dev.mmcheck.model;

/**
 * A behaviour that changed between kernel versions, named by the commit that changed it. A
 * {@link KernelVersion} has the features merged up to it; a {@link Variant} may add or remove
 * single features, which is how a bug's buggy and fixed variants differ.
 */
public enum Feature {
    /**
     * mm->tlb_flush_pending is a counter that every mmu_gather raises; tlb_finish_mmu forces a
     * flush of the whole range when another gather is active (mm_tlb_flush_nested).
     * 99baac21e458 "mm: fix MADV_[FREE|DONTNEED] TLB flush miss problem", v4.13.
     */
    TLB_FLUSH_PENDING_COUNT("99baac21e458", "v4.13"),
    /**
     * vmacache_seqnum is u64 and vmacache_flush_all is gone: the sequence number never wraps.
     * 7a9cdebdcc17 "mm: get rid of vmacache_flush_all() entirely", v4.19.
     */
    VMACACHE_SEQNUM_U64("7a9cdebdcc17", "v4.19"),
    /**
     * munmap detaches the VMAs under the write lock, then downgrades mmap_sem and zaps and frees
     * page tables under the read lock. dd2283f2605e "mm: mmap: zap pages with read mmap_sem in
     * munmap", v4.20.
     */
    MUNMAP_DOWNGRADE("dd2283f2605e", "v4.20"),
    /**
     * mmu_gather records freed_tables; x86 flush_tlb_mm_range skips lazy CPUs unless page tables
     * were freed (native_flush_tlb_others with tlb_is_not_lazy). Rik van Riel's lazy-TLB series
     * and the mmu_gather level tracking, v4.20.
     */
    FREED_TABLES_LAZY_SKIP("v4.20 lazy TLB", "v4.20"),
    /**
     * The nested-flush path of tlb_finish_mmu keeps freed_tables (full-mm flush with
     * freed_tables = 1) instead of resetting the range. 7a30df49f63a "mm: mmu_gather: remove
     * __tlb_reset_range() for force flush", v5.2.
     */
    NESTED_FLUSH_KEEPS_FREED_TABLES("7a30df49f63a", "v5.2"),
    /**
     * munmap does not downgrade mmap_sem when the VMA after the hole is VM_GROWSDOWN (or the one
     * before it VM_GROWSUP). 246c320a8cfe "mm/mmap.c: close race between munmap() and
     * expand_upwards()/downwards()", v5.8 / 5.7.11.
     */
    NO_DOWNGRADE_NEXT_TO_STACK("246c320a8cfe", "v5.8"),
    /**
     * PCID/ASIDs and TLB generations: flush_tlb_mm_range increments mm->context.tlb_gen, each
     * CPU keeps ctxs[asid].tlb_gen, flush_tlb_func skips a flush its ASID is already up to date
     * with, and switch_mm_irqs_off flushes on switch-in only when the ASID's generation is behind.
     * Andy Lutomirski's "x86/mm: Track the TLB's tlb_gen and update the flushing algorithm" and
     * "Rework lazy TLB mode and TLB freshness tracking" (ids not verified), v4.14. Only used when a
     * scenario enables context switches ({@link CpuContexts}).
     */
    PCID_TLB_GEN("v4.14 tlb_gen", "v4.14"),
    /**
     * Leaf-only flushes choose their targets with should_flush_tlb: skip lazy CPUs and CPUs of
     * mm_cpumask whose loaded_mm is not the mm (unless the cpumask is being trimmed).
     * 6db2526c1d69 "x86/mm/tlb: Only trim the mm_cpumask once a second" and 209954cbc7d0
     * "x86/mm/tlb: Update mm_cpumask lazily"; text as in v6.13.7 arch/x86/mm/tlb.c.
     */
    SHOULD_FLUSH_TLB("6db2526c1d69", "v6.13"),
    /**
     * x86 PARAVIRT kernels free page tables with HAVE_RCU_TABLE_FREE: tlb_remove_table frees a
     * page-table page at once when mm_users &lt; 2, before the TLB flush of the gather (the
     * configuration in which B9 exists). 9e52fc2b50de (id from memory), v4.14.
     */
    PV_RCU_TABLE_FREE("9e52fc2b50de", "v4.14"),
    /**
     * tlb_remove_table keeps every page-table page for the batch, which is freed only after the
     * TLB (and paging-structure caches) were invalidated. d86564a2f085 "mm/tlb, x86/mm: Support
     * invalidating TLB caches for RCU_TABLE_FREE" with "mm/tlb: Remove tlb_remove_table()
     * non-concurrent condition", v4.19.
     */
    RCU_TABLE_FREE_INVALIDATES("d86564a2f085", "v4.19"),
    /**
     * should_flush_tlb also sends the IPI to a CPU whose loaded_mm is LOADED_MM_SWITCHING ("While
     * switching, the remote CPU could have state from either the prev or next mm. Assume the worst
     * and flush."). fea4e317f9e7 "x86/mm: Eliminate window where TLB flushes may be inadvertently
     * skipped", v6.15 and stable (text read in the stable patch).
     */
    SHOULD_FLUSH_SWITCHING("fea4e317f9e7", "v6.15");

    private final String commit;
    private final String since;

    Feature(String commit, String since) {
        this.commit = commit;
        this.since = since;
    }

    /** The commit (or series) that introduced the behaviour. */
    public String commit() {
        return commit;
    }

    /** The first mainline version with it. */
    public String since() {
        return since;
    }
}
