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
     * enter_lazy_tlb always keeps the mm loaded (is_lazy), also with PCID; before, from v4.14
     * (tlb_defer_switch_to_init_mm: defer only without PCID) a CPU with PCID switched to init_mm
     * at once (switch_mm(NULL, &amp;init_mm)), and only v4.12/v4.13 (no PCID support) were always
     * lazy. Rik van Riel's 4.20 lazy-TLB series ("x86/mm/tlb: Always use lazy TLB mode",
     * with 145f573b89a6 "x86/mm/tlb: Make lazy TLB mode lazier"), v4.20; 4.19.0 has
     * tlb_defer_switch_to_init_mm, 4.20.0 does not (read in both).
     */
    LAZY_TLB_ALWAYS("145f573b89a6", "v4.20"),
    /**
     * mm_cpumask is updated lazily: switch_mm_irqs_off leaves the CPU in the previous mm's
     * cpumask, and flush_tlb_func clears the bit when an IPI for an mm the CPU no longer has
     * loaded arrives (should_flush_tlb's once-a-second trim sends such IPIs; the trim is not
     * modelled, since it only adds IPIs). 209954cbc7d0 "x86/mm/tlb: Update mm_cpumask lazily"
     * (Rik van Riel), v6.14: 6.13.7 and 6.12.19 still clear the bit on switch, 6.14.0 does not
     * (read in all three); not in the stable trees.
     */
    LAZY_MM_CPUMASK("209954cbc7d0", "v6.14"),
    /**
     * switch_mm_irqs_off writes loaded_mm = LOADED_MM_SWITCHING before it sets its mm_cpumask bit
     * and reads next-&gt;context.tlb_gen, so should_flush_tlb cannot see the previous mm while the
     * CPU has already read an old tlb_gen. 83b0177a6c48 "x86/mm: Fix SMP ordering in
     * switch_mm_irqs_off()" (Ingo Molnar; v6.18-rc2, where it adds the smp_mb of that order), and
     * its stable form for 6.1.y, 6.6.y and 6.12.y ("x86/mm: Fix check/use ordering in
     * switch_mm_irqs_off()", Stephen Dolan, 29 Oct 2025), which moves the write before the
     * tlb_gen read (patch text read in the stable mail).
     */
    SWITCHING_BEFORE_TLB_GEN("83b0177a6c48", "v6.18"),
    /**
     * munmap calls userfaultfd_unmap_prep after the __split_vma calls succeeded, not before them:
     * a munmap that fails with -ENOMEM no longer queues an UNMAP event for a range it did not
     * unmap. "userfaultfd: call userfaultfd_unmap_prep only if __split_vma succeeds" (Andrea
     * Arcangeli, posted 2 Aug 2017, message 20170802165145.22628-5-aarcange@redhat.com; akpm: "into
     * 4.14-rc1"); 4.13.4 preps before the splits, 4.14.5 after (both read). The commit id was not
     * found, so the patch's title stands for it.
     */
    UFFD_UNMAP_PREP_AFTER_SPLIT("userfaultfd_unmap_prep-after-split", "v4.14"),
    /**
     * mprotect and change_prot_numa flush through an mmu_gather: tlb_gather_mmu
     * (inc_tlb_flush_pending), change_pte_range calls tlb_flush_pte_range for each PTE whose
     * permissions were demoted (pte_needs_flush), tlb_finish_mmu flushes the gathered range with
     * the nested-gather rule. 4a18419f71cd "mm/mprotect: use mmu_gather" (Nadav Amit); 5.17-rc5
     * still uses inc_tlb_flush_pending + flush_tlb_range, 5.19.0 the gather (both read).
     */
    MPROTECT_MMU_GATHER("4a18419f71cd", "v5.19"),
    /**
     * unmap_mapping_range walks the file's i_mmap holding i_mmap_rwsem for read
     * (i_mmap_lock_read), so rmap zappers of one file run side by side; splits, vma_link and
     * unlink_file_vma still take it for write. 2c8659951654 "mm: unmap_mapping_range_tree() with
     * i_mmap_rwsem shared" (Hugh Dickins); write in 5.17-rc5, read in 5.19.0 (both read), so
     * v5.18 is inferred.
     */
    I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE("2c8659951654", "v5.18"),
    /**
     * flush_tlb_mm_range takes a stride: x86 tlb_flush passes tlb_get_unmap_shift, PMD_SHIFT when
     * the gather cleared page-table entries (cleared_pmds) but no PTE, so flush_tlb_func issues
     * one INVLPG per PMD of the range instead of one per page. a31acd3ee8f7 "x86/mm: Page size
     * aware flush_tlb_mm_range()" (Peter Zijlstra), with the mmu_gather level tracking
     * (cleared_ptes, cleared_pmds) of the same v4.20 series; 4.19.0 passes no stride, 4.20.0
     * does (read in both).
     */
    TLB_FLUSH_STRIDE("a31acd3ee8f7", "v4.20"),
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
     * move_ptes flushes the old range whenever it moved a present PTE, before it drops the new
     * PTE lock; the deferred need_flush of move_page_tables is gone. eb66ae030829 "mremap:
     * properly flush TLB before releasing the page", v4.19 (CVE-2018-18281).
     */
    MREMAP_FLUSH_UNDER_PTL("eb66ae030829", "v4.19"),
    /**
     * mremap(MREMAP_MAYMOVE | MREMAP_DONTUNMAP): move the pages, keep the old VMA (with VM_LOCKED
     * cleared, locked_vm untouched). e346b3813067 "mm/mremap: add MREMAP_DONTUNMAP to mremap()", v5.7.
     */
    MREMAP_DONTUNMAP("e346b3813067", "v5.7"),
    /**
     * tlb_end_vma flushes the gathered range of a VM_PFNMAP/VM_MIXEDMAP VMA before unmap_region
     * goes on to unlink_file_vma. b67fbebd4cf9 "mmu_gather: Force tlb-flush VM_PFNMAP vmas", v5.19
     * (stable backports flush in unmap_region instead).
     */
    PFNMAP_FLUSH_IN_TLB_END_VMA("b67fbebd4cf9", "v5.19"),
    /**
     * Paths that clear or change PTEs (zap_pte_range, change_pte_range) call
     * flush_tlb_batched_pending under the PTL: if reclaim left a deferred flush for the mm
     * (mm->tlb_flush_batched, a bool until v5.16; generations from v5.17,
     * {@link #TLB_FLUSH_BATCHED_GENERATIONS}), flush the whole mm first.
     * 3ea277194daa "mm, mprotect: flush TLB if potentially racing with a parallel reclaim
     * leaving stale TLB entries", v4.13.
     */
    FLUSH_TLB_BATCHED_PENDING("3ea277194daa", "v4.13"),
    /**
     * change_protection_range raises and lowers mm->tlb_flush_pending as a counter
     * (inc/dec_tlb_flush_pending) instead of setting and clearing a bool, so one finishing
     * thread cannot hide another's deferred flush. 16af97dc5a89 "mm: migrate: prevent racy
     * access to tlb_flush_pending", v4.13.
     */
    TLB_FLUSH_PENDING_ATOMIC("16af97dc5a89", "v4.13"),
    /**
     * Migration's ptep_clear_flush flushes a PROT_NONE PTE when a protection change is pending:
     * x86 pte_accessible is true for _PAGE_PROTNONE while mm_tlb_flush_pending(mm).
     * 20841405940e "mm: fix TLB flush race between migration, and change_protection_range",
     * v3.13: present in every version the model knows.
     */
    MIGRATION_SEES_PENDING_FLUSH("20841405940e", "v3.13"),
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
     * completed event no longer clears it while another is still unread. a759a909d42d
     * "userfaultfd: change mmap_changing to atomic" (Nadav Amit, Aug 2021; Fixes: df2cc96e7701), v5.15.
     */
    UFFD_MMAP_CHANGING_COUNT("a759a909d42d", "v5.15"),
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
     * configuration in which B9 exists). 9e52fc2b50de "x86/mm: Enable RCU based page table freeing
     * (CONFIG_HAVE_RCU_TABLE_FREE=y)" (Vitaly Kuznetsov, Aug 2017), v4.14.
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
    SHOULD_FLUSH_SWITCHING("fea4e317f9e7", "v6.15"),
    /**
     * mm->tlb_flush_batched is an atomic_t of generations instead of a bool: reclaim's
     * set_tlb_ubc_flush_pending increments the pending generation (bits 0-14; reset to pending 1,
     * flushed 0 when it grows past half its range), and flush_tlb_batched_pending, after its
     * flush_tlb_mm, records the pending generation it read as flushed (bits 16-30) with an
     * atomic_cmpxchg that fails if a new pending generation arrived during the flush. Before,
     * the flusher's "tlb_flush_batched = false" could erase a mark set after its flush had passed
     * a CPU. 5ee2fa2f0636 "mm/rmap: fix potential batched TLB flush race" (Huang Ying), v5.17
     * ({@link BatchGenerations}).
     */
    TLB_FLUSH_BATCHED_GENERATIONS("5ee2fa2f0636", "v5.17"),
    /**
     * do_numa_page delays making the PTE accessible: under the PTL it only decides the target
     * node; it restores the protection (out_map) when the page stays or migration fails (after
     * re-locking and a second pte_same), and migrates a page whose PTE is still PROT_NONE.
     * Before, it restored the PTE first, then numa_migrate_prep, unlock, migrate_misplaced_page.
     * b99a342d4f11 "NUMA balancing: reduce TLB flush via delaying mapping on hint page fault"
     * (Huang Ying), v5.13 merge window (patch text read; tip push log of 2 May 2021).
     */
    NUMA_HINT_DELAYED_MAPPING("b99a342d4f11", "v5.13"),
    /**
     * do_numa_page isolates the page (migrate_misplaced_folio_prepare) before it drops the PTL:
     * an isolation failure goes to out_map under the same lock instead of failing
     * migrate_misplaced_page after the unlock and re-locking. ee86814b0562 "mm/migrate: move
     * NUMA hinting fault folio isolation + checks under PTL" (David Hildenbrand), v6.11 (id read in
     * a stable mail; patch text read; v6.13.7 do_numa_page read).
     */
    NUMA_ISOLATE_UNDER_PTL("ee86814b0562", "v6.11");

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
