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
     * The userfaultfd context has mmap_changing, a bool: raised by the non-cooperative event
     * producers (userfaultfd_unmap_prep, userfaultfd_remove) and lowered when the monitor has read
     * the event; UFFDIO_COPY returns -EAGAIN while it is raised (checked before and under
     * mmap_sem in __mcopy_atomic). df2cc96e7701 "userfaultfd: prevent non-cooperative events vs
     * mcopy_atomic races", v4.18 (BUGS.md B11).
     */
    UFFD_MMAP_CHANGING("df2cc96e7701", "v4.18"),
    /**
     * mmap_changing is an atomic_t counter (atomic_inc / atomic_dec) instead of a bool, so one
     * completed event no longer clears it while another is still unread. a759a909d42d, v5.15
     * (id and version as given in SEMANTICS.md 1; the counter form was read in later trees).
     */
    UFFD_MMAP_CHANGING_COUNT("a759a909d42d", "v5.15");

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
