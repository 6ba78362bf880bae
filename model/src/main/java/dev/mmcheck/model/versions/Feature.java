package dev.mmcheck.model.versions;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Migration;
import dev.mmcheck.model.gather.BatchGenerations;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.machine.Hardware;

import java.util.Set;

/**
 * A behaviour that changed between kernel releases, with its facts ({@link FeatureFacts}): the
 * commits, the first mainline release, the release that dropped it, the configuration it needs,
 * the stable backports and how each was verified. This enum is the one source of version truth:
 * a {@link KernelVersion}'s features are derived from it, and a {@link Variant} may add or remove
 * single features, which is how a bug's buggy and fixed variants differ.
 *
 * <p>Each constant's javadoc says what the model does with the feature; its facts say where the
 * behaviour comes from. Evidence labels: "source" = the kernel tree at that (point) release was
 * read; "mail" = a mailing-list, stable-review or merge mail; "memory" = not verified.
 */
public enum Feature {
    /**
     * mm->tlb_flush_pending is a counter that every mmu_gather raises; tlb_finish_mmu forces a
     * flush of the whole range when another gather is active (mm_tlb_flush_nested).
     */
    TLB_FLUSH_PENDING_COUNT(FeatureFacts.first("v4.13")
            .commit("99baac21e458", "mm: fix MADV_[FREE|DONTNEED] TLB flush miss problem")
            .commit("56236a59556c", "mm: refactor TLB gathering API")
            .source("v4.13.4: atomic counter, inc_tlb_flush_pending in tlb_gather_mmu, mm_tlb_flush_nested sampled in tlb_finish_mmu;"
                    + " v4.12.0: a bool only under NUMA_BALANCING||COMPACTION, not touched by tlb_gather_mmu")
            .mail("commit dated 2017-08-10 in a patch-header copy (v4.13 released 2017-09-03)")),
    /**
     * vmacache_seqnum is u64 and vmacache_flush_all is gone: the sequence number never wraps.
     * Until v6.1, which has no vmacache ({@link #MAPLE_TREE}).
     */
    VMACACHE_SEQNUM_U64(FeatureFacts.first("v4.19")
            .until("v6.1")
            .commit("7a9cdebdcc17", "mm: get rid of vmacache_flush_all() entirely")
            .backportsBy("4.14.170")
            .source("v4.18.0(-rt) u32 seqnum with vmacache_flush_all; v4.19.0 and v4.14.170 u64 and no vmacache_flush_all;"
                    + " v6.1.20 has no vmacache")
            .mail("title")
            .memory("first stable points 4.18.9, 4.14.71, 4.9.128, 4.4.157")),
    /**
     * munmap detaches the VMAs under the write lock, then downgrades mmap_sem and zaps and frees
     * page tables under the read lock.
     */
    MUNMAP_DOWNGRADE(FeatureFacts.first("v4.20")
            .commit("dd2283f2605e", "mm: mmap: zap pages with read mmap_sem in munmap")
            .source("v4.20.0 __do_munmap(..., downgrade) downgrades after detach_vmas_to_be_unmapped; v4.19.0 and v4.19.222 never downgrade")),
    /**
     * mmu_gather records freed_tables; x86 flush_tlb_mm_range skips lazy CPUs unless page tables
     * were freed (native_flush_tlb_others with tlb_is_not_lazy).
     */
    FREED_TABLES_LAZY_SKIP(FeatureFacts.first("v4.20")
            .commit("145f573b89a6", "x86/mm/tlb: Make lazy TLB mode lazier")
            .commit("016c4d92cd16", "x86/mm/tlb: Add freed_tables argument to flush_tlb_mm_range")
            .commit("22a61c3c4f13", "asm-generic/tlb: Track freeing of page-table directories in struct mmu_gather")
            .source("v4.20.0 has freed_tables in mmu_gather and flush_tlb_mm_range, and native_flush_tlb_others skips lazy CPUs"
                    + " (tlb_is_not_lazy) unless freed_tables; v4.19.0 and v4.19.222 have neither")
            .mail("016c4d92cd16 in a Fixes: tag (Jann Horn, Jan 2025); 22a61c3c4f13 in its stable backport mails; 145f573b89a6 named"
                    + " with its freed_tables check by Nicholas Piggin (May 2020); the series' v4.19-rc ids (64482aafe55f, ...) were"
                    + " reverted before v4.19.0")),
    /**
     * leave_mm is switch_mm(NULL, &amp;init_mm), which loads init_mm's CR3 before it clears the
     * CPU's bit in the old mm's cpumask; before, leave_mm cleared the bit and then loaded
     * swapper_pg_dir. From v4.14 switch_mm_irqs_off itself clears the bit before the CR3 write,
     * so only v4.13 has the safe order ({@link Hardware}'s lazy leave, bug CS3).
     */
    LEAVE_MM_VIA_SWITCH_MM(FeatureFacts.first("v4.13")
            .commit("3d28ebceaffa", "x86/mm: Rework lazy TLB to track the actual loaded mm")
            .source("v4.12.0 leave_mm: cpumask_clear_cpu, then load_cr3(swapper_pg_dir); v4.13.4 leave_mm calls"
                    + " switch_mm(NULL, &init_mm), which sets next's bit, loads CR3, then clears prev's bit")
            .mail("id and title from a Fixes: tag (Andy Lutomirski, 2017)")),
    /**
     * enter_lazy_tlb always keeps the mm loaded (is_lazy), also with PCID; before, from v4.14
     * (tlb_defer_switch_to_init_mm: defer only without PCID) a CPU with PCID switched to init_mm
     * at once (switch_mm(NULL, &amp;init_mm)), and only v4.12/v4.13 (no PCID support) were always
     * lazy. Rik van Riel's 4.20 lazy-TLB series ("x86/mm/tlb: Always use lazy TLB mode",
     * with 145f573b89a6 "x86/mm/tlb: Make lazy TLB mode lazier").
     */
    LAZY_TLB_ALWAYS(FeatureFacts.first("v4.20")
            .commitTitled("x86/mm/tlb: Always use lazy TLB mode")
            .commit("145f573b89a6", "x86/mm/tlb: Make lazy TLB mode lazier")
            .source("v4.19.0 has tlb_defer_switch_to_init_mm (PCID CPUs switch to init_mm at once); v4.20.0 does not")
            .memory("the 4.20 id of \"Always use lazy TLB mode\" (5462bc3a9a3c; its v4.19-rc id 95b0e6357d3e was reverted)")),
    /**
     * mm_cpumask is updated lazily: switch_mm_irqs_off leaves the CPU in the previous mm's
     * cpumask, and flush_tlb_func clears the bit when an IPI for an mm the CPU no longer has
     * loaded arrives (should_flush_tlb's once-a-second trim sends such IPIs to CPUs that run
     * another mm; {@link #SHOULD_FLUSH_TLB}).
     */
    LAZY_MM_CPUMASK(FeatureFacts.first("v6.14")
            .commit("209954cbc7d0", "x86/mm/tlb: Update mm_cpumask lazily")
            .source("6.13.7, 6.12.19 and 6.1.141 still clear the bit on switch; v6.14.0 does not")
            .mail("commit text; a stable-list reply: not in 6.6")),
    /**
     * switch_mm_irqs_off writes loaded_mm = LOADED_MM_SWITCHING before it sets its mm_cpumask bit
     * and reads next-&gt;context.tlb_gen, so should_flush_tlb cannot see the previous mm while the
     * CPU has already read an old tlb_gen. Mainline adds the smp_mb of that order; the stable
     * form for 6.1.y, 6.6.y and 6.12.y ("x86/mm: Fix check/use ordering in switch_mm_irqs_off()",
     * Stephen Dolan, 29 Oct 2025) moves the write before the tlb_gen read.
     */
    SWITCHING_BEFORE_TLB_GEN(FeatureFacts.first("v6.18")
            .commit("83b0177a6c48", "x86/mm: Fix SMP ordering in switch_mm_irqs_off()")
            .mail("tip x86/urgent commit mail (Ingo Molnar); mainline shortlogs; first in v6.18-rc2 per a downstream"
                    + " changelog; the stable patch \"[ Upstream commit 83b0177a6c48 ] [ Patch for 6.1.y, 6.6.y, 6.12.y trees ]\"")
            .memory("the stable point releases that took it (not found)")),
    /**
     * mprotect and change_prot_numa flush through an mmu_gather: tlb_gather_mmu
     * (inc_tlb_flush_pending), change_pte_range calls tlb_flush_pte_range for each PTE whose
     * permissions were demoted (pte_needs_flush), tlb_finish_mmu flushes the gathered range with
     * the nested-gather rule.
     */
    MPROTECT_MMU_GATHER(FeatureFacts.first("v5.19")
            .commit("4a18419f71cd", "mm/mprotect: use mmu_gather")
            .source("v5.19.0 (yishangzhang/linux-5.19) do_mprotect_pkey calls tlb_gather_mmu and change_pte_range"
                    + " tlb_flush_pte_range; v5.17-rc5 (dunli/linux-5.17) change_protection_range uses inc/flush_tlb_range/dec")
            .mail("a later powerpc fix: \"After commit 4a18419f71cd ... in kernel 5.19\"")
            .memory("that v5.18 does not have it yet (no v5.18 tree read)")),
    /**
     * unmap_mapping_range walks the file's i_mmap holding i_mmap_rwsem for read
     * (i_mmap_lock_read), so rmap zappers of one file run side by side; splits, vma_link and
     * unlink_file_vma still take it for write.
     */
    I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE(FeatureFacts.first("v5.18")
            .commit("2c8659951654", "mm: unmap_mapping_range_tree() with i_mmap_rwsem shared")
            .source("unmap_mapping_range takes i_mmap_lock_write in v4.12.0 to v5.15.0 and v5.17-rc5, i_mmap_lock_read in v5.19.0")
            .mail("commit text (Hugh Dickins), in an akpm batch with a v5.18-rc1 commit")
            .memory("that v5.18 is the first release (no v5.18 tree read)")),
    /**
     * flush_tlb_mm_range takes a stride: x86 tlb_flush passes tlb_get_unmap_shift, PMD_SHIFT when
     * the gather cleared page-table entries (cleared_pmds) but no PTE, so flush_tlb_func issues
     * one INVLPG per PMD of the range instead of one per page, with the mmu_gather level tracking
     * (cleared_ptes, cleared_pmds) of the same v4.20 series.
     */
    TLB_FLUSH_STRIDE(FeatureFacts.first("v4.20")
            .commit("a31acd3ee8f7", "x86/mm: Page size aware flush_tlb_mm_range()")
            .source("v4.19.0 flush_tlb_mm_range takes no stride; v4.20.0 takes stride_shift, and tlb_flush passes tlb_get_unmap_shift")
            .mail("id and title in bisect logs and a test-robot report (commit dated 26 Aug 2018)")),
    /**
     * The nested-flush path of tlb_finish_mmu keeps freed_tables (full-mm flush with
     * freed_tables = 1) instead of resetting the range.
     */
    NESTED_FLUSH_KEEPS_FREED_TABLES(FeatureFacts.first("v5.2")
            .commit("7a30df49f63a", "mm: mmu_gather: remove __tlb_reset_range() for force flush")
            .backportsBy("5.1.15")
            .source("v5.2.1 and v5.1.15 tlb_finish_mmu: fullmm = 1, reset, freed_tables = 1 when nested; v4.20.0 resets the range and"
                    + " freed_tables; 4.19.y and 4.14.y only widen the range (not affected)")
            .memory("4.20.y reached its end (4.20.17) before the fix")),
    /**
     * munmap does not downgrade mmap_sem when the VMA after the hole is VM_GROWSDOWN (or the one
     * before it VM_GROWSUP).
     */
    NO_DOWNGRADE_NEXT_TO_STACK(FeatureFacts.first("v5.8")
            .commit("246c320a8cfe", "mm/mmap.c: close race between munmap() and expand_upwards()/downwards()")
            .until("v6.5")
            .backportsBy("5.7.14", "5.4.286")
            .source("v5.8.1 detach_vmas_to_be_unmapped returns false next to VM_GROWSDOWN/GROWSUP; also in 5.7.14, 5.4.286, v5.10.0,"
                    + " v6.1.141 and v6.4.0; v6.5.0 do_vmi_align_munmap always downgrades (the stack grows under the write lock,"
                    + " 8d7071af8907); v6.1.20 do_mas_align_munmap keeps the check")
            .mail("5.7 stable review of 2020-07-27; e4bd84c069f2 \"mm: Always downgrade mmap_lock if requested\" removed the"
                    + " check in the 6.5-rc1 merge (not in 6.1.37)")
            .memory("first stable points 5.7.11 and 5.4.54")),
    /**
     * move_ptes flushes the old range whenever it moved a present PTE, before it drops the new
     * PTE lock; the deferred need_flush of move_page_tables is gone (CVE-2018-18281).
     */
    MREMAP_FLUSH_UNDER_PTL(FeatureFacts.first("v4.19")
            .commit("eb66ae030829", "mremap: properly flush TLB before releasing the page")
            .backportsBy("4.14.170")
            .source("v4.19.0 and v4.14.170 move_ptes flush before releasing the PTLs; v4.18.0(-rt) and v4.12.0 set need_flush for later")
            .mail("commit dated 2018-10-12")
            .memory("first stable points 4.18.16, 4.14.78, 4.9.135, 4.4.162")),
    /**
     * mremap(MREMAP_MAYMOVE | MREMAP_DONTUNMAP): move the pages, keep the old VMA (with VM_LOCKED
     * cleared, locked_vm untouched). A scenario that uses it cannot run on a release without it.
     */
    MREMAP_DONTUNMAP(FeatureFacts.first("v5.7")
            .commit("e346b3813067", "mm/mremap: add MREMAP_DONTUNMAP to mremap()")
            .source("absent in v5.4.0, present in 5.7.14 and v5.8.1")
            .memory("absent in v5.6 (not read)")),
    /**
     * mremap's move_vma adds the moved pages to locked_vm (vrm_stat_account, when the source VMA
     * is VM_LOCKED) before it unmaps the source, and for MREMAP_DONTUNMAP too, before
     * dontunmap_complete clears the source's VM_LOCKED: the kept source and the new VMA are both
     * counted, though only the new one is VM_LOCKED. Before it, move_vma added new_len after the
     * internal munmap, and MREMAP_DONTUNMAP returned without touching locked_vm.
     */
    MREMAP_LOCKED_VM_BEFORE_UNMAP(FeatureFacts.first("v6.15")
            .commit("b714ccb02a76", "mm/mremap: complete refactor of move_vma()")
            .source("6.14.0 mm/mremap.c move_vma: locked_vm += new_len after do_vmi_munmap, MREMAP_DONTUNMAP returns"
                    + " before it; 6.17.0 and 6.18.2 mm/mremap.c vrm_stat_account (1015-1025) called from move_vma (6.17.0:1311, 6.18.2:1308)"
                    + " before dontunmap_complete (1245, which clears VM_LOCKED_MASK) or unmap_source_vma")
            .mail("[PATCH 5/7] of Lorenzo Stoakes' \"mm/mremap: refactor mremap() system call implementation\", 3 Mar 2025;"
                    + " the id is the one Lorenzo Stoakes' Oct 2025 fix of the VM_ACCOUNT half names; [PATCH 4/7] still"
                    + " called vrm_stat_account after clearing VM_LOCKED")
            .memory("v6.15 and v6.16 not read: the first release is inferred from 6.14.0, 6.17.0 and the 6.15 merge window")),
    /**
     * PT_RECLAIM (x86-64, default y): MADV_DONTNEED frees a PTE table its zap left empty when the
     * zap covered the table's whole range (reclaim_pt_is_enabled): under the PTE lock
     * (try_get_and_clear_pmd), or after a forced flush dropped the lock by re-checking every PTE
     * under the PMD and PTE locks (try_to_free_pte); the table goes to the gather
     * (pte_free_tlb: freed_tables), and x86 frees page tables after an RCU grace period, so a
     * fault that mapped the table (pte_offset_map under rcu_read_lock) re-checks the PMD under the
     * PTE lock and starts over (pte_offset_map_lock) or finds the PTE changed (pte_same).
     */
    PT_RECLAIM(FeatureFacts.first("v6.14")
            .commit("6375e95f381e", "mm: pgtable: reclaim empty PTE page in madvise(MADV_DONTNEED)")
            .source("absent in 6.13.7 (no PT_RECLAIM in mm/Kconfig); 6.14.0 mm/Kconfig PT_RECLAIM default y selecting"
                    + " MMU_GATHER_RCU_TABLE_FREE, arch/x86/Kconfig ARCH_SUPPORTS_PT_RECLAIM if X86_64; 6.18.2 mm/pt_reclaim.c"
                    + " (reclaim_pt_is_enabled, try_get_and_clear_pmd, free_pte, try_to_free_pte), mm/memory.c zap_pte_range"
                    + " 1821-1911, do_anonymous_page 5134 (pte_offset_map_lock NULL: release), handle_pte_fault 6151 (pte_same),"
                    + " mm/madvise.c madvise_dontneed_single_vma (reclaim_pt), arch/x86/mm/pgtable.c ___pte_free_tlb →"
                    + " tlb_remove_table; docs/research/v6.18-delta.md section 5.3")
            .mail("Qi Zheng's series \"synchronously scan and reclaim empty user PTE pages\" (with \"x86: mm: free page table"
                    + " pages by RCU instead of semi RCU\"); \"mm: pgtable: fix incorrect reclaim of non-empty PTE pages\""
                    + " (Fixes: 6375e95f381e, in 6.14.0)")),
    /**
     * tlb_end_vma flushes the gathered range of a VM_PFNMAP/VM_MIXEDMAP VMA before unmap_region
     * goes on to unlink_file_vma. The stable trees took another form (a flush in unmap_region
     * before free_pgtables), which flushes before unlink_file_vma too. From v6.15 the flush is
     * {@link #PFNMAP_FLUSH_IN_FREE_PGTABLES}'s.
     */
    PFNMAP_FLUSH_IN_TLB_END_VMA(FeatureFacts.first("v5.19")
            .until("v6.15")
            .commit("b67fbebd4cf9", "mmu_gather: Force tlb-flush VM_PFNMAP vmas")
            .backports("5.10.141")
            .backportsBy("5.4.286", "5.15.100")
            .source("v5.19.0 tlb_end_vma flushes for tlb->vma_pfn; v5.17-rc5 and 5.15.55 have no such flush; the stable form"
                    + " (Jann Horn's \"mm: Force TLB flush for PFNMAP mappings before unlink_file_vma()\") is in 5.4.286, 5.10.198, 5.15.100")
            .mail("stable queue of 2022-09-01 for 4.9, 4.14, 4.19, 5.4, 5.10, 5.15; the Linux 5.10.141 announcement lists it")
            .memory("v5.18 lacks it (not read); first stable points 4.9.327, 4.14.292, 4.19.257, 5.4.212, 5.15.65")),
    /**
     * Paths that clear or change PTEs (zap_pte_range, change_pte_range, move_ptes) call
     * flush_tlb_batched_pending under the PTL: if reclaim left a deferred flush for the mm
     * (mm->tlb_flush_batched, added by this commit: a bool until {@link #TLB_FLUSH_BATCHED_GENERATIONS}),
     * flush the whole mm first.
     */
    FLUSH_TLB_BATCHED_PENDING(FeatureFacts.first("v4.13")
            .commit("3ea277194daa", "mm, mprotect: flush TLB if potentially racing with a parallel reclaim leaving stale TLB entries")
            .source("v4.12.0 has no mm->tlb_flush_batched and no flush_tlb_batched_pending; v4.13.4 has both (zap_pte_range,"
                    + " change_pte_range, move_ptes, madvise_free)")
            .memory("the title; stable backports to 4.12.y, 4.9.y, 4.4.y")),
    /**
     * change_protection_range raises and lowers mm->tlb_flush_pending as a counter
     * (inc/dec_tlb_flush_pending) instead of setting and clearing a bool, so one finishing
     * thread cannot hide another's deferred flush.
     */
    TLB_FLUSH_PENDING_ATOMIC(FeatureFacts.first("v4.13")
            .commit("16af97dc5a89", "mm: migrate: prevent racy access to tlb_flush_pending")
            .source("tlb_flush_pending is a bool with set/clear helpers in v4.12.0, an atomic_t with inc/dec in v4.13.4")
            .memory("the title")),
    /**
     * Migration's ptep_clear_flush flushes a PROT_NONE PTE when a protection change is pending:
     * x86 pte_accessible is true for _PAGE_PROTNONE while mm_tlb_flush_pending(mm). In every
     * release the model offers.
     */
    MIGRATION_SEES_PENDING_FLUSH(FeatureFacts.first("v3.13")
            .commit("20841405940e", "mm: fix TLB flush race between migration, and change_protection_range")
            .source("3.13.10 and v4.12.0 x86 pte_accessible(mm, pte) is true for PROT_NONE PTEs while mm_tlb_flush_pending(mm)")
            .memory("absent in v3.12")),
    /**
     * The userfaultfd context has mmap_changing, a bool: raised by the non-cooperative event
     * producers (userfaultfd_unmap_prep, userfaultfd_remove) and lowered when the monitor has read
     * the event; UFFDIO_COPY returns -EAGAIN while it is raised (checked before and under
     * mmap_sem in __mcopy_atomic).
     */
    UFFD_MMAP_CHANGING(FeatureFacts.first("v4.18")
            .commit("df2cc96e7701", "userfaultfd: prevent non-cooperative events vs mcopy_atomic races")
            .source("absent in v4.17.0; a bool in v4.18.0(-rt) and v4.19.0")
            .memory("the title")),
    /**
     * mmap_changing is an atomic_t counter (atomic_inc / atomic_dec) instead of a bool, so one
     * completed event no longer clears it while another is still unread.
     */
    UFFD_MMAP_CHANGING_COUNT(FeatureFacts.first("v5.15")
            .commit("a759a909d42d", "userfaultfd: change mmap_changing to atomic")
            .source("a bool in v5.14-rc5, an atomic_t in v5.15.0")
            .mail("posted by Nadav Amit on 7 Aug 2021 (Fixes: df2cc96e7701)")),
    /**
     * munmap calls userfaultfd_unmap_prep after the __split_vma calls succeeded, not before them:
     * a munmap that fails with -ENOMEM no longer queues an UNMAP event for a range it did not
     * unmap. The commit id was not found, so the patch's title stands for it.
     */
    UFFD_UNMAP_PREP_AFTER_SPLIT(FeatureFacts.first("v4.14")
            .commitTitled("userfaultfd: call userfaultfd_unmap_prep only if __split_vma succeeds")
            .until("v6.5")
            .source("do_munmap preps before both __split_vma calls in v4.12.0 and v4.13.4, after them in v4.14.5;"
                    + " v6.1.20 do_mas_align_munmap preps once after the gather loop; v6.6.9 do_vmi_align_munmap preps each"
                    + " VMA inside it, so a later failure still leaves an event queued (UFFD_UNMAP_PREP_PER_VMA)")
            .mail("Andrea Arcangeli's [PATCH 4/6] of 2 Aug 2017; Andrew Morton: \"into 4.14-rc1\"; the v4.14 mm merge shortlog"
                    + " lists it; no copy found names its id; the v6.5 mm pull lists Liam R. Howlett's \"userfaultfd: fix"
                    + " regression in userfaultfd_unmap_prep()\", which moved the prep into the loop")),
    /**
     * Migration batches its TLB flush: try_to_migrate_one clears an accessible PTE with
     * ptep_get_and_clear and set_tlb_ubc_flush_pending when another CPU is in mm_cpumask (as
     * reclaim does), and migrate_pages_batch calls try_to_unmap_flush once the batch is unmapped,
     * before any page is copied.
     */
    MIGRATION_BATCHED_FLUSH(FeatureFacts.first("v6.3")
            .commit("7e12beb8ca2a", "migrate_pages: batch flushing TLB")
            .source("absent in 6.1.20 (try_to_migrate_one: ptep_clear_flush); present in 6.5.0, v6.6.9, 6.12.0 and 6.18.2"
                    + " mm/rmap.c try_to_migrate_one (should_defer_flush, set_tlb_ubc_flush_pending) and mm/migrate.c"
                    + " migrate_pages_batch (try_to_unmap_flush before the move); docs/research/v6.x-numa-migration-under-vma-lock.md")
            .memory("v6.3 itself not read: the first release is inferred from 6.1.20 and 6.5.0")),
    /**
     * handle_userfault runs under the per-VMA lock: a fault that found a registered VMA with
     * lock_vma_under_rcu reaches handle_userfault holding only the VMA's read lock, which
     * release_fault_lock gives back (vma_end_read) before the thread sleeps; the fault returns
     * VM_FAULT_RETRY without VM_FAULT_MAJOR, so do_user_addr_fault retries under mmap_lock
     * without FAULT_FLAG_TRIED. Before it (v6.4, v6.5) lock_vma_under_rcu refused VMAs with a
     * userfaultfd; the model offers no such release.
     */
    USERFAULTS_UNDER_VMA_LOCK(FeatureFacts.first("v6.6")
            .commitTitled("mm: handle userfaults under VMA lock")
            .source("v6.6.9 fs/userfaultfd.c:557, 6.12.0 fs/userfaultfd.c:501 and 6.18.2 fs/userfaultfd.c:499 call"
                    + " release_fault_lock(vmf) before schedule(); v6.6.9 mm/memory.c lock_vma_under_rcu has no"
                    + " userfaultfd_armed check; 6.12.0 arch/x86/mm/fault.c 1338-1361 (VM_FAULT_RETRY: lock_mmap, FAULT_FLAG_TRIED"
                    + " only with VM_FAULT_MAJOR)")
            .mail("[PATCH v5 6/6] of Suren Baghdasaryan's \"Per-VMA lock support for swap and userfaults\", 28 Jun 2023, after"
                    + " v6.4 (25 Jun 2023): linux-next revlists list it; the mainline id and v6.5 not read")),
    /**
     * munmap calls userfaultfd_unmap_prep for each VMA inside its gather loop (deduplicated by
     * ctx and range, so once per munmap here), after the VMA was write-locked, stored in the side
     * tree and marked detached: a munmap that fails afterwards (a later split, the tree store)
     * has still queued the event and raised mmap_changing, and __vm_munmap delivers it with
     * userfaultfd_unmap_complete whatever the result.
     */
    UFFD_UNMAP_PREP_PER_VMA(FeatureFacts.first("v6.5")
            .commitTitled("userfaultfd: fix regression in userfaultfd_unmap_prep()")
            .source("v6.6.9 mm/mmap.c:2521 (inside the do-while of do_vmi_align_munmap); 6.12.0 mm/vma.c 1257-1268"
                    + " and 6.18.2 mm/vma.c 1384-1417 (vms_gather_munmap_vmas, after vma_mark_detached); fs/userfaultfd.c"
                    + " has_unmap_ctx; v6.1.20 preps after the loop")
            .mail("the v6.5 mm pull shortlog (Liam R. Howlett); linux-next revlists put it next to \"mm/mmap: change vma"
                    + " iteration order in do_vmi_align_munmap()\"")),
    /**
     * UFFDIO_COPY runs under a per-VMA read lock (uffd_mfill_lock: lock_vma_under_rcu, with an
     * anon_vma; else mmap_read_lock, find_vma_and_prepare_anon, the VMA's read lock taken under
     * mmap_lock, mmap_read_unlock) and holds ctx->map_changing_lock for read from its
     * mmap_changing check to its end; the event producers (userfaultfd_unmap_prep,
     * userfaultfd_remove) raise mmap_changing under map_changing_lock for write, so an event
     * cannot be prepped between a copy's check and its install.
     */
    UFFD_PER_VMA_LOCKS(FeatureFacts.first("v6.9")
            .commit("867a43a34ff8", "userfaultfd: use per-vma locks in userfaultfd operations")
            .source("absent in 6.6.9 and 6.8.0; 6.12.0 mm/userfaultfd.c 68-145 (uffd_lock_vma, uffd_mfill_lock,"
                    + " uffd_mfill_unlock), 700-860 (mfill_atomic: down_read(map_changing_lock) after the lock, up_read before"
                    + " uffd_mfill_unlock, also on the -ENOENT retry), fs/userfaultfd.c 782-784 and 826-828 (down_write,"
                    + " atomic_inc, up_write); 6.18.2 the same, uffd_lock_vma with vma_start_read_locked")
            .mail("Fixes: tags of later fixes name it")),
    /**
     * PCID/ASIDs and TLB generations: flush_tlb_mm_range increments mm->context.tlb_gen, each
     * CPU keeps ctxs[asid].tlb_gen, flush_tlb_func skips a flush its ASID is already up to date
     * with, and switch_mm_irqs_off flushes on switch-in only when the ASID's generation is behind.
     * Only observable when a scenario enables context switches ({@link CpuContexts}).
     */
    PCID_TLB_GEN(FeatureFacts.first("v4.14")
            .commit("b0579ade7cd8", "x86/mm: Track the TLB's tlb_gen and update the flushing algorithm")
            .commit("94b1b03b519b", "x86/mm: Rework lazy TLB mode and TLB freshness tracking")
            .source("v4.13.4 arch/x86/mm/tlb.c has TLBSTATE_LAZY and no tlb_gen; v4.14.5 has ctxs[].tlb_gen, choose_new_asid, is_lazy")
            .mail("ids and titles in a git-log copy (Andy Lutomirski, 2017-06-29); a bisect report places 94b1b03b519b between"
                    + " v4.13 and v4.14-rc1")),
    /**
     * flush_tlb_func returns at once when the request's generation is one its ASID already has
     * (new_tlb_gen &lt;= local_tlb_gen, the generation valid), before it reads the mm's tlb_gen: a
     * CPU behind the mm but covering this request no longer flushes and catches up on it; the
     * later requests flush. Only observable with context switches ({@link CpuContexts}).
     */
    FLUSH_SKIPS_COVERED_GEN(FeatureFacts.first("v6.0")
            .commit("aa44284960d5", "x86/mm/tlb: Avoid reading mm_tlb_gen when possible")
            .commit("8f1d56f64f8d", "x86/mm/tlb: Ignore f->new_tlb_gen when zero")
            .source("v6.1.20 arch/x86/mm/tlb.c flush_tlb_func: the early return after the lazy check, mm_tlb_gen read after it;"
                    + " v5.19.0 reads mm_tlb_gen first and has no such return")
            .mail("tip x86/mm pushes of June and July 2022 (Nadav Amit; the second reported by Hugh Dickins)")
            .memory("v6.0 itself not read")),
    /**
     * Leaf-only flushes choose their targets with should_flush_tlb: skip lazy CPUs and CPUs of
     * mm_cpumask whose loaded_mm is not the mm, unless the cpumask is being trimmed
     * (should_trim_cpumask: once a second; any flush may in the model). Text as in
     * 6.13.7 arch/x86/mm/tlb.c (a stable tree with the backport; 209954cbc7d0, which updates
     * mm_cpumask lazily, is in v6.14 only and not part of it).
     */
    SHOULD_FLUSH_TLB(FeatureFacts.first("v6.14")
            .commit("6db2526c1d69", "x86/mm/tlb: Only trim the mm_cpumask once a second")
            .backports("5.15.179", "6.6.79", "6.12.16")
            .backportsBy("6.1.141", "6.13.7")
            .source("v6.14.0 has should_flush_tlb; 6.12.16 is the first 6.12.y with it (wishday/linux-6.12.y); 6.1.141 and 6.13.7"
                    + " have it, without 209954cbc7d0")
            .mail("tip x86/mm on 2024-12-06, after v6.13-rc1; rc revlists ending Linux 6.6.79-rc1 and 5.15.179-rc1 contain it")
            .memory("first points 6.1.129 and 6.13.4; that v6.13.0 lacks it (6.13.2 lacks it)")),
    /**
     * x86 frees page tables with tlb_remove_table (RCU table freeing): a page-table page is freed
     * at once when mm_users &lt; 2, before the TLB flush of the gather (the mechanism of B9,
     * which {@link #RCU_TABLE_FREE_INVALIDATES} ends). Every x86 kernel selects it in v4.14-v4.18;
     * from v4.19 only PARAVIRT ones do (48a8b97cfd80; native kernels free through tlb_remove_page);
     * from v6.14 every x86-64 kernel again, through PT_RECLAIM (default y), and unconditionally by
     * v6.18. With the invalidation (v4.19+) the model frees such tables as it frees pages, after
     * the flush, so the later releases behave as their PARAVIRT builds did.
     */
    RCU_TABLE_FREE(FeatureFacts.first("v4.14")
            .commit("9e52fc2b50de", "x86/mm: Enable RCU based page table freeing (CONFIG_HAVE_RCU_TABLE_FREE=y)")
            .requires(Config.PARAVIRT, "v4.19")
            .requiresUntil("v6.14")
            .source("v4.13.4 does not select HAVE_RCU_TABLE_FREE; v4.14.5 arch/x86/Kconfig selects it unconditionally and"
                    + " ___pte_free_tlb calls tlb_remove_table, which frees at once when mm_users < 2; v4.19.0 selects it"
                    + " only if PARAVIRT and native kernels free page tables with tlb_remove_page; 6.13.7 still only if"
                    + " PARAVIRT; 6.14.0 selects ARCH_SUPPORTS_PT_RECLAIM on X86_64 and mm/Kconfig's PT_RECLAIM (default y)"
                    + " selects MMU_GATHER_RCU_TABLE_FREE; 6.18.2 arch/x86/Kconfig selects it unconditionally")
            .memory("the title")),
    /**
     * tlb_remove_table keeps every page-table page for the batch, which is freed only after the
     * TLB (and paging-structure caches) were invalidated.
     */
    RCU_TABLE_FREE_INVALIDATES(FeatureFacts.first("v4.19")
            .commit("d86564a2f085", "mm/tlb, x86/mm: Support invalidating TLB caches for RCU_TABLE_FREE")
            .commitTitled("mm/tlb: Remove tlb_remove_table() non-concurrent condition")
            .commit("48a8b97cfd80", "x86/mm: Only use tlb_remove_table() for paravirt")
            .backportsBy("4.14.170")
            .source("v4.19.0 has tlb_table_invalidate before the RCU batch and the slow path, and no mm_users < 2 shortcut;"
                    + " v4.18.0(-rt) has the shortcut; 4.14.170 has the first two commits (not 48a8b97cfd80)")
            .mail("Linus' \"tlb-fixes\" merge text lists the series")
            .memory("the id a6f572084fbe of the second commit (searched, not found)")),
    /**
     * should_flush_tlb also sends the IPI to a CPU whose loaded_mm is LOADED_MM_SWITCHING ("While
     * switching, the remote CPU could have state from either the prev or next mm. Assume the worst
     * and flush.").
     */
    SHOULD_FLUSH_SWITCHING(FeatureFacts.first("v6.15")
            .commit("fea4e317f9e7", "x86/mm: Eliminate window where TLB flushes may be inadvertently skipped")
            .backports("5.15.183", "6.1.139", "6.6.91", "6.12.29", "6.14.7")
            .source("absent in v6.14.0; present in 6.1.141")
            .mail("mainline shortlog of the v6.15-rc6 window; CVE-2025-37964 ranges (affected below 5.15.183, 6.1.139, 6.6.91,"
                    + " 6.12.29, 6.14.7); the 5.15 review of 2025-05-12")),
    /**
     * mm->tlb_flush_batched is an atomic_t of generations instead of a bool: reclaim's
     * set_tlb_ubc_flush_pending increments the pending generation (bits 0-14; reset to pending 1,
     * flushed 0 when it grows past half its range), and flush_tlb_batched_pending, after its
     * flush_tlb_mm, records the pending generation it read as flushed (bits 16-30) with an
     * atomic_cmpxchg that fails if a new pending generation arrived during the flush. Before,
     * the flusher's "tlb_flush_batched = false" could erase a mark set after its flush had passed
     * a CPU ({@link BatchGenerations}).
     */
    TLB_FLUSH_BATCHED_GENERATIONS(FeatureFacts.first("v5.17")
            .commit("5ee2fa2f0636", "mm/rmap: fix potential batched TLB flush race")
            .source("a bool in v5.15.0 and 5.15.167 (not backported there); generations in v5.17-rc5 (dunli/linux-5.17) and v5.19.0")
            .mail("title; in an akpm batch of early 2022")
            .memory("absent in v5.16 (not read)")),
    /**
     * do_numa_page delays making the PTE accessible: under the PTL it only decides the target
     * node; it restores the protection (out_map) when the page stays or migration fails (after
     * re-locking and a second pte_same), and migrates a page whose PTE is still PROT_NONE.
     * Before, it restored the PTE first, then numa_migrate_prep, unlock, migrate_misplaced_page.
     */
    NUMA_HINT_DELAYED_MAPPING(FeatureFacts.first("v5.13")
            .commit("b99a342d4f11", "NUMA balancing: reduce TLB flush via delaying mapping on hint page fault")
            .source("5.12.9 makes the PTE accessible before migrating; v5.14-rc5 and 5.15.55 remap only at out_map")
            .mail("patch text; tip push log of 2 May 2021")
            .memory("v5.13 itself not read")),
    /**
     * do_numa_page isolates the page (migrate_misplaced_folio_prepare) before it drops the PTL:
     * an isolation failure goes to out_map under the same lock instead of failing
     * migrate_misplaced_page after the unlock and re-locking.
     */
    NUMA_ISOLATE_UNDER_PTL(FeatureFacts.first("v6.11")
            .commit("ee86814b0562", "mm/migrate: move NUMA hinting fault folio isolation + checks under PTL")
            .source("v6.5.0 and 6.6.9 isolate after dropping the PTL; 6.11.11, 6.12.10 and 6.13.7 under it")
            .mail("id in a stable mail; patch text")
            .memory("v6.10 lacks it (not read)")),
    /**
     * try_to_unmap_one defers the flush of a reclaimed page only if it is not PageAnonExclusive:
     * an exclusive anonymous page (every anonymous page of a single-mm model) has its PTE cleared
     * with ptep_clear_flush, an immediate flush under the PTL. Until v6.1, which defers for any
     * page again (088b8aa537c2, page_try_share_anon_rmap after the clear).
     */
    RECLAIM_FLUSHES_EXCLUSIVE_ANON(FeatureFacts.first("v5.19")
            .until("v6.1")
            .commit("6c287605fd56", "mm: remember exclusively mapped anonymous pages with PG_anon_exclusive")
            .source("v5.19.0 mm/rmap.c try_to_unmap_one: should_defer_flush(mm, flags) && !anon_exclusive; do_anonymous_page sets"
                    + " PageAnonExclusive (__page_set_anon_rmap, exclusive); v6.1.20 tests should_defer_flush alone")
            .mail("5.10.y and 5.15.y stable FAILED-patch mails list 6c287605fd56 as a missing dependency; 088b8aa537c2 \"mm: fix"
                    + " PageAnonExclusive clearing racing with concurrent RCU GUP-fast\" in the mm-stable revlist for the 6.1 merge"
                    + " window")
            .memory("v5.18 and v6.0 not read")),
    /**
     * A fault below a VM_GROWSDOWN VMA grows the stack only under the mmap write lock
     * (lock_mm_and_find_vma): it drops the read lock, takes the write lock, finds the VMA again,
     * expands it (expand_stack_locked), and downgrades to the read lock for the fault. x86 has no
     * real upgrade (mmap_upgrade_trylock always fails), so something else may run in between.
     */
    STACK_EXPANSION_WRITE_LOCK(FeatureFacts.first("v6.5")
            .commit("8d7071af8907", "mm: always expand the stack with the mmap write lock held")
            .commit("c2508ec5a58d", "mm: introduce new 'lock_mm_and_find_vma()' page fault helper")
            .backports("6.1.37")
            .source("v6.6.9 mm/memory.c lock_mm_and_find_vma: get_mmap_lock_carefully, find_vma, mmap_upgrade_trylock returns"
                    + " false, upgrade_mmap_lock_carefully (read unlock, write lock killable), find_vma again,"
                    + " expand_stack_locked, mmap_write_downgrade; the same text in 6.12.0 and 6.18.2; v6.4.0 and v6.1.20 expand"
                    + " under the read lock")
            .mail("6.1.36..6.1.37 revlist: d6a5c7a1a6e5 (c2508ec5a58d) and e6bbad75712a (8d7071af8907); the 6.1 stable patch"
                    + " hunks show the same helper in mm/memory.c")
            .memory("6.1.37 itself not read")),
    /**
     * The mm's maple tree is in RCU mode (MM_MT_FLAGS has MT_FLAGS_USE_RCU): a store that
     * rewrites a node's ranges (mas_wr_node_store) builds a new node, publishes it (mas_replace)
     * and frees the old one through call_rcu (mas_free, ma_free_rcu), where 6.1.0 rewrote the node
     * in place. A store that moves one pivot (mas_wr_slot_store) stays in place. With the stack
     * still growing under the mmap read lock, a reader that holds only that lock (find_vma_prev's
     * mas_walk then mas_prev, outside any RCU section) can keep a pointer to the old node past
     * the grace period: StackRot (B18).
     */
    MAPLE_TREE_RCU_MODE(FeatureFacts.first("v6.3")
            .commit("3dd443254941", "mm: enable maple tree RCU mode by default")
            .backports("6.1.24")
            .source("v6.1.20 include/linux/mm_types.h MM_MT_FLAGS without MT_FLAGS_USE_RCU; lib/maple_tree.c: mas_wr_node_store"
                    + " takes a new node and mas_replace in RCU mode, memcpy over the old node otherwise; mas_free calls"
                    + " ma_free_rcu in RCU mode; mas_wr_slot_store writes a pivot and a slot in place; mm/mmap.c find_vma_prev"
                    + " is mas_walk then mas_prev with no rcu_read_lock, expand_downwards starts with mas_prev")
            .mail("\"[PATCH 6.1 164/164] mm: enable maple tree RCU mode by default\" (6.1 stable review, 2023-04-12, so"
                    + " 6.1.24; \"commit 3dd4432549415 upstream\"); mainline: a net-next revlist of 2023-04-21 lists"
                    + " 3dd4432549415 among the 6.3-rc6 merges (after \"Linux 6.3-rc5\"), so in v6.3 (2023-04-23)")
            .memory("6.1.24 and v6.3 themselves not read")),
    /**
     * The mm's VMAs live in one maple tree (mm->mm_mt) and nowhere else: no VMA list, no rbtree,
     * no per-thread vmacache (find_vma walks the tree). munmap gathers the VMAs of the range
     * into a side tree (munmap_sidetree), removes the range from the mm's tree in one store (the
     * point of no return) and walks the side tree to zap and free (do_mas_align_munmap).
     */
    MAPLE_TREE(FeatureFacts.first("v6.1")
            .commit("d4af56c5c7c6", "mm: start tracking VMAs with maple tree")
            .commit("7964cf8caa4d", "mm: remove vmacache")
            .source("v6.1.20 mm/mmap.c: do_mas_munmap, do_mas_align_munmap, munmap_sidetree, remove_mt, find_vma through"
                    + " mt_find, no mm/vmacache.c; v5.19 has mm/vmacache.c, vm_next and the rbtree")
            .mail("both ids in the v6.1 merge log and in Fixes: tags of later maple-tree fixes")),
    /**
     * munmap subtracts the gathered VM_LOCKED pages from locked_vm at the point of no return, so
     * a munmap that fails after gathering (a split or a side-tree store with -ENOMEM) leaves
     * locked_vm as it was (B16). Before it, v6.1's munmap_sidetree subtracts each VMA's pages as
     * it gathers it, and the error path does not add them back.
     */
    MUNMAP_LOCKED_VM_AT_NO_RETURN(FeatureFacts.first("v6.4")
            .commit("606c812eb1d5", "mm/mmap: Fix error path in do_vmi_align_munmap()")
            .backports("6.1.37")
            .source("v6.1.20 munmap_sidetree: locked_vm -= vma_pages while gathering, no restore on the error labels")
            .mail("mainline: between the 6.4-rc6 and 6.4-rc7 merges; 6.1.y: a149174ff8bb follows \"Linux 6.1.36\" in the"
                    + " 6.1.37 revlist, and its 6.1 patch text adds each gathered VM_LOCKED VMA's pages to a local after the"
                    + " side-tree store and subtracts the sum right after the one tree store; Suren Baghdasaryan's 6.1-only"
                    + " follow-up in 6.1.39 tests split's flags instead of next's (equal there, so not modelled)")
            .memory("6.1.37 itself not read")),
    /**
     * munmap returns the error of a failed side-tree store. Before it, from 606c812eb1d5 on, the
     * gather loop's side-tree store jumps to the error label without assigning the returned error
     * (6.4.0: every store; the 6.1.37 backport assigned it at the end split's own store), so after a
     * successful split (which left 0 in it) munmap fails, undoes the gather and returns 0 with
     * nothing unmapped (B16's second fix).
     */
    MUNMAP_STORE_FAILURE_RETURNS_ERROR(FeatureFacts.first("v6.5")
            .commit("6c26bd4384da", "mm/mmap: Fix error return in do_vmi_align_munmap()")
            .backports("6.1.37")
            .source("6.4.0 mm/mmap.c do_vmi_align_munmap (read in julianw1010/WASP-linux-6.4.0, whose 6.4.0 import's mm/mmap.c its own commits leave unchanged): error starts"
                    + " at -ENOMEM, each __split_vma assigns it, the side-tree mas_store_gfp tests its result without assigning;"
                    + " v6.5.0 mm/mmap.c assigns error from mas_store_gfp")
            .mail("mainline: upstream on 29 Jun 2023, after v6.4 (25 Jun), pulled as dwmw2's unmap-fix-20230629 (merge"
                    + " 43ec8a620b38), so first in v6.5; 6.1.y: \"[PATCH 6.1 02/30]\" (42a018a796d1, the commit after a149174ff8bb in"
                    + " the 6.1.37 revlist) assigns error at do_mas_align_munmap's non-split store, while a149174ff8bb's 6.1 text"
                    + " already assigns it at the store of the end split's lower half")
            .memory("6.1.37 itself not read; the fork's 6.4.0 import taken to be the release")),
    /**
     * The rwsem slow paths live in kernel/locking/rwsem.c (rwsem_down_write_slowpath) after
     * rwsem-xadd.c (rwsem_down_write_failed) was merged into it. Nothing the model checks
     * changes: only what the mmap lock's queueing step cites (the lock and unlock entry points
     * were in rwsem.c all along).
     */
    RWSEM_SLOWPATH_IN_RWSEM_C(FeatureFacts.first("v5.3")
            .commitTitled("locking/rwsem: Merge rwsem.h and rwsem-xadd.c into rwsem.c")
            .source("v4.12.0 kernel/locking/rwsem.c has down_read, down_write, down_write_killable, up_read, up_write,"
                    + " downgrade_write and rwsem-xadd.c rwsem_down_write_failed; v6.1.20 and v6.6.9 rwsem.c have"
                    + " rwsem_down_write_slowpath and no rwsem-xadd.c")
            .mail("Ingo Molnar's \"[GIT PULL] locking changes for v5.3\" lists the merge and deletes rwsem-xadd.c")),
    /**
     * A page fault may return VM_FAULT_RETRY any number of times: the x86 fault handler's retry
     * sets FAULT_FLAG_TRIED but no longer clears FAULT_FLAG_ALLOW_RETRY, so handle_userfault
     * (which gives VM_FAULT_SIGBUS only without ALLOW_RETRY) queues a second userfault of the same
     * fault like the first instead of failing it.
     */
    FAULT_RETRY_MULTIPLE(FeatureFacts.first("v5.7")
            .commit("4064b9827063", "mm: allow VM_FAULT_RETRY for multiple times")
            .source("5.6.4 arch/x86/mm/fault.c:1474-1476 clears FAULT_FLAG_ALLOW_RETRY and sets FAULT_FLAG_TRIED on retry;"
                    + " 5.7.14 arch/x86/mm/fault.c:1313 starts from FAULT_FLAG_DEFAULT and 1481-1482 only sets FAULT_FLAG_TRIED;"
                    + " fs/userfaultfd.c handle_userfault: VM_FAULT_SIGBUS only without FAULT_FLAG_ALLOW_RETRY (5.6.4:429,"
                    + " 5.7.14:458)")
            .mail("Peter Xu's series \"mm: Page fault enhancements\" (v6, Feb 2020); the commit is dated 1 Apr 2020, in the"
                    + " 5.7 merge window")),
    /**
     * The x86 page fault enters through exc_page_fault (an IDTENTRY_RAW handler) and
     * handle_page_fault into do_user_addr_fault; __do_page_fault is gone. Nothing the model
     * checks changes: only what the fault's steps cite.
     */
    X86_EXC_PAGE_FAULT(FeatureFacts.first("v5.8")
            .commit("91eeafea1e4b", "x86/entry: Switch page fault exception to IDTENTRY_RAW")
            .source("v6.1.20 and v6.6.9 arch/x86/mm/fault.c: exc_page_fault, handle_page_fault, do_user_addr_fault and no"
                    + " __do_page_fault")
            .mail("Thomas Gleixner's tip x86/entry commit of May 2020, listed in the x86/entry pull for the 5.8 merge window")
            .memory("v5.8 itself not read")),
    /**
     * Per-VMA locks (CONFIG_PER_VMA_LOCK, default on x86-64 SMP): a user page fault first tries
     * lock_vma_under_rcu, which finds the VMA in the maple tree under rcu_read_lock and read-locks
     * it alone (vma_start_read: the vm_lock_seq check, down_read_trylock of vma->vm_lock, the
     * re-check against mm_lock_seq), refusing an anonymous VMA without an anon_vma and retrying
     * a detached one; only when that fails does it take mmap_lock. Every writer that changes a
     * VMA under the mmap write lock write-locks it first (vma_start_write: wait for the VMA's
     * readers, then vm_lock_seq = mm_lock_seq), and mmap_write_unlock / mmap_write_downgrade
     * release every VMA write lock at once (vma_end_write_all: mm_lock_seq++). munmap marks the
     * VMAs it gathers detached (vma_mark_detached), and vm_area_free frees a VMA only after an
     * RCU grace period (call_rcu), so a reader inside rcu_read_lock may reach a removed VMA but
     * never a freed one. The 6.4 to 6.14 form is an rwsem and a detached bool; v6.15 replaced both
     * with vm_refcnt ({@link #VMA_REFCOUNT}) and made the VMA slab type-stable ({@link
     * #VMA_SLAB_TYPESAFE_BY_RCU}).
     */
    PER_VMA_LOCK(FeatureFacts.first("v6.4")
            .commit("5e31275cc997", "mm: add per-VMA lock and helper functions to control it")
            .source("v6.6.9 include/linux/mm.h 653-748 (vma_start_read, vma_end_read, vma_start_write, vma_mark_detached),"
                    + " include/linux/mmap_lock.h 84-140 (vma_end_write_all in mmap_write_unlock and mmap_write_downgrade),"
                    + " kernel/fork.c 455-549 (vm_lock_seq = -1 at allocation; vm_area_free through call_rcu), mm/memory.c"
                    + " 5431-5476 (lock_vma_under_rcu), arch/x86/mm/fault.c 1353-1381; v6.1.20 has none of them")
            .mail("5e31275cc997 is the Fixes: target of Jann Horn's per-VMA-lock fixes and names the v6.4 series; the 6.4"
                    + " mm pull lists \"mm: introduce lock_vma_under_rcu\" and \"mm: introduce vma detached flag\"")
            .memory("6.2 and 6.3 have none; 6.4.0 and 6.5 not read here")),
    /**
     * do_vmi_align_munmap's iteration order: the split at start keeps the original VMA for the
     * unmapped part (new_below = 1: the new VMA gets [vm_start, start)), the split at end keeps it
     * too (new_below = 0: the new VMA gets [end, vm_end)), and prev and next are looked up after
     * the tree store (and, once munmap always downgrades, after the downgrade). So the VMA
     * objects munmap detaches are the ones readers found before the munmap, never fresh copies.
     */
    MUNMAP_ITERATION_ORDER(FeatureFacts.first("v6.6")
            .commitTitled("mm/mmap: Change vma iteration order in do_vmi_align_munmap()")
            .source("v6.6.9 mm/mmap.c 2474-2568: __split_vma(vmi, vma, start, 1), __split_vma(vmi, next, end, 0), prev and"
                    + " next after vma_iter_clear_gfp and the downgrade; v6.1.20 do_mas_align_munmap: __split_vma(mm, vma,"
                    + " start, 0), __split_vma(mm, next, end, 1), next found while gathering; 6.4.0 and v6.5.0"
                    + " do_vmi_align_munmap still __split_vma(vmi, vma, start, 0) (the end split already 0, prev before the"
                    + " loop), so the start half is first in v6.6")
            .mail("Liam R. Howlett, [PATCH 14/14] of 31 May 2023 (start split 0 -> 1, prev/next after the NULL store); a"
                    + " linux-next conflict mail names its mm-tree id 47b1d8de18f5; its context already has the end split with"
                    + " new_below = 0, so that half changed earlier, in v6.2 to v6.4 (not pinned)")
            .memory("the mainline id and the release of the end-split half (v6.2 to v6.4) are not pinned")),
    /**
     * lock_vma_under_rcu no longer refuses an anonymous VMA without an anon_vma: the fault goes
     * on under the VMA lock, and do_anonymous_page's vmf_anon_prepare, finding no anon_vma,
     * try-locks mmap_lock for read to set it up (__anon_vma_prepare looks at the neighbouring
     * VMAs), or, when the trylock fails, ends the VMA read lock and returns VM_FAULT_RETRY, so
     * the fault is retried under mmap_lock (lock_mm_and_find_vma).
     */
    DELAYED_ANON_VMA_CHECK(FeatureFacts.first("v6.10")
            .commitTitled("mm: delay the check for a NULL anon_vma")
            .commitTitled("mm: optimise vmf_anon_prepare() for VMAs without an anon_vma")
            .source("6.12.0 mm/memory.c: lock_vma_under_rcu 6231-6272 has no anon_vma check, __vmf_anon_prepare 3296-3312"
                    + " (mmap_read_trylock under FAULT_FLAG_VMA_LOCK, __anon_vma_prepare, mmap_read_unlock), do_anonymous_page"
                    + " 4735-4781 (pte_alloc, then vmf_anon_prepare before the folio), mm/internal.h:369 vmf_anon_prepare"
                    + " (vma_end_read on VM_FAULT_RETRY); 6.6.9 lock_vma_under_rcu refuses it (goto inval_end_read)")
            .mail("Matthew Wilcox, [PATCH 2/4] and [PATCH 4/4] of 26 Apr 2024; both in the mm-unstable revlist of 26 Apr 2024,"
                    + " after v6.9-rc5, and in the \"MM updates for 6.10-rc1\" pull (docs/research/v6.12-delta.md 3.2-3.3)")
            .memory("the mainline ids and v6.10 itself not read")),
    /**
     * A write fault on a none PTE of a shared page-cache file VMA runs under the VMA lock:
     * do_shared_fault's vmf_can_call_fault returns VM_FAULT_RETRY only for a file without
     * ->map_pages, and the page cache's file has it (filemap_map_pages), so filemap_fault,
     * page_mkwrite and finish_fault run holding the VMA's read lock instead of mmap_lock. Before
     * it (v6.4 to v6.6) the fault gave the VMA lock back with VM_FAULT_RETRY. Read, COW and
     * wp_page_shared faults moved too; the model has none of them.
     */
    FILE_FAULTS_UNDER_VMA_LOCK(FeatureFacts.first("v6.7")
            .commit("12214eba1992", "mm: handle read faults under the VMA lock")
            .commit("4ed4379881aa", "mm: handle shared faults under the VMA lock")
            .source("6.12.0 mm/memory.c: vmf_can_call_fault 3271-3279 (VM_FAULT_RETRY only without ->map_pages),"
                    + " do_read_fault 5277, do_cow_fault 5309, do_shared_fault 5351; 6.6.9 returns VM_FAULT_RETRY in all three")
            .mail("12214eba1992 is the Fixes: target of Suren Baghdasaryan's fault-accounting fixes (Jan 2024); a 0-day"
                    + " report of 23 Nov 2023 shows it on mainline among the 6.7-rc1 merges (docs/research/v6.12-delta.md 4.3)")
            .memory("v6.7 itself not read; 4ed4379881aa from one revlist only")),
    /**
     * lock_vma_under_rcu checks the detached flag (and retries the walk) before it compares the
     * address with the VMA's bounds, which alias vm_rcu once the VMA was queued for freeing.
     * Before it, a locked VMA that was detached and no longer covers the address ends the attempt
     * (the fault takes mmap_lock) instead of retrying the walk.
     */
    LOCK_VMA_DETACHED_BEFORE_RANGE(FeatureFacts.first("v6.12")
            .commit("17fe833b0de0", "mm: fix (harmless) type confusion in lock_vma_under_rcu()")
            .source("6.12.0 mm/memory.c 6247-6262: the detached check and goto retry, then the range check; 6.6.9 5455-5466"
                    + " checks the range first")
            .mail("Jann Horn's patch of 5 Aug 2024 (base v6.11-rc2); the id from the mm-stable revlist of the 6.12 merge"
                    + " window")
            .memory("stable backports not checked")),
    /**
     * munmap in two halves in mm/vma.c (vms_gather_munmap_vmas, then vma_iter_clear_gfp, then
     * vms_complete_munmap_vmas, with reattach_vmas on the error paths), so that mmap(MAP_FIXED)
     * can gather the old VMAs, store the new one and only then complete. For munmap itself the
     * order of the accesses another CPU can observe is the 6.6 one: splits, write-lock and mark
     * detached each VMA, one tree store, map_count and locked_vm, downgrade, zap and free page
     * tables (vms_clear_ptes), remove_vma. prev and next are found in the gather, under the write
     * lock, instead of after the downgrade: the same here, as nothing changes the tree under the
     * read lock from v6.5.
     */
    MUNMAP_GATHER_COMPLETE(FeatureFacts.first("v6.12")
            .commit("6898c9039bc8", "mm/vma: extract the gathering of vmas from do_vmi_align_munmap()")
            .source("6.12.0 mm/vma.c: vms_clear_ptes 1080-1104, vms_complete_munmap_vmas 1129-1169, vms_gather_munmap_vmas"
                    + " 1180-1315, do_vmi_align_munmap 1331-1361, mm/vma.h:218 reattach_vmas; 6.6.9 mm/mmap.c"
                    + " do_vmi_align_munmap 2452-2600 has the same order in one function")
            .mail("Fixes: target of Xiao Yang's vms_gather_munmap_vmas error fix (Sep 2024); Liam R. Howlett, \"Avoid"
                    + " MAP_FIXED gap exposure\" v8, 30 Aug 2024, merged for 6.12")),
    /**
     * mmap's internals live in mm/vma.c: __mmap_region (split into __mmap_prepare, __mmap_new_vma
     * and __mmap_complete) and vms_abort_munmap_vmas moved there from mm/mmap.c and mm/vma.h.
     * Nothing the model checks changes: only what MAP_FIXED's steps cite.
     */
    MMAP_REGION_IN_VMA_C(FeatureFacts.first("v6.13")
            .commitTitled("mm: isolate mmap internal logic to mm/vma.c")
            .source("6.12.0 mm/mmap.c __mmap_region 1361-1578, mm/vma.h:240 vms_abort_munmap_vmas (static inline); 6.13.7"
                    + " mm/vma.c __mmap_prepare 2227, __mmap_new_vma 2333, __mmap_region 2437, vms_abort_munmap_vmas 2195;"
                    + " 6.18.2 mm/vma.c likewise (2341, 2450, 2639, 2304)")
            .mail("Lorenzo Stoakes, \"[PATCH v3 2/5] mm: isolate mmap internal logic to mm/vma.c\" (25 Oct 2024), after"
                    + " \"mm: refactor __mmap_region()\" in the mm-unstable revlists of the 6.13 cycle")
            .memory("the mainline id is not pinned (several mm-unstable ids); v6.13.0 itself not read")),
    /**
     * The per-VMA lock is a reference count, vm_refcnt, instead of an rwsem and a detached bool:
     * 0 detached, 1 attached, one more per reader, and VMA_LOCK_OFFSET added while a writer waits
     * for the readers to leave. vma_start_read takes a reference unless the count is 0 (-EAGAIN:
     * lock_vma_under_rcu walks the tree again) or a writer's offset is in it (fall back to
     * mmap_lock), then re-checks vm_lock_seq; lock_vma_under_rcu checks the address after
     * rcu_read_unlock. vma_start_write adds the offset and waits for the count to drop to
     * attached + offset. vma_mark_detached drops the attached reference and, when a reader's
     * reference is still there, adds the offset and waits for it too.
     */
    VMA_REFCOUNT(FeatureFacts.first("v6.15")
            .commitTitled("mm: replace vm_lock and detached flag with a reference count")
            .source("6.18.2 mm/mmap_lock.c 48-263 (__vma_enter_locked, __vma_exit_locked, __vma_start_write,"
                    + " vma_mark_detached, vma_start_read, lock_vma_under_rcu), include/linux/mmap_lock.h 115-250"
                    + " (vma_refcount_put, vma_end_read, vma_start_write, vma_mark_attached); 6.12.0 and 6.14.0 have the rwsem"
                    + " form; the model has 6.18's vma_start_read, which drops RCU on every failure and lets lock_vma_under_rcu"
                    + " check the address after rcu_read_unlock (0b16f8bed19c, v6.18) and checks vm_mm (9bbffee67ffd): the"
                    + " same for the model, whose RCU sections delay no VMA free from v6.15 and which has one mm;"
                    + " docs/research/v6.18-delta.md section 2")
            .mail("Andrew Morton's \"MM updates for 6.15-rc1\" pull lists the series \"reimplement per-vma lock as a refcount\"")
            .memory("the mainline id of this patch is not pinned (only linux-next ids were seen)")),
    /**
     * The VMA slab is SLAB_TYPESAFE_BY_RCU: vm_area_free frees a VMA at once (no call_rcu), and
     * the object may be reused as another VMA while a reader inside rcu_read_lock still holds a
     * pointer to it. The object stays a VMA, so that reader may read its vm_lock_seq and vm_refcnt
     * (a freed VMA's count is 0) and checks the rest once it holds a reference: vm_mm, then the
     * address.
     */
    VMA_SLAB_TYPESAFE_BY_RCU(FeatureFacts.first("v6.15")
            .commit("3104138517fc", "mm: make vma cache SLAB_TYPESAFE_BY_RCU")
            .source("6.18.2 mm/vma_init.c: vma_state_init creates vm_area_cachep with SLAB_TYPESAFE_BY_RCU, vm_area_free"
                    + " is kmem_cache_free; mm/mmap_lock.c vma_start_read checks vm_mm after taking the reference;"
                    + " 6.12.0 kernel/fork.c vm_area_free goes through call_rcu")
            .mail("Fixes: target of 9bbffee67ffd")),
    /**
     * The flush for a zapped VM_PFNMAP VMA moves from tlb_end_vma to tlb_free_vmas at the start
     * of free_pgtables: once per gather, after every VMA was zapped and before the first is
     * unlinked from the file's i_mmap (on x86, MMU_GATHER_MERGE_VMAS, tlb_end_vma does nothing).
     */
    PFNMAP_FLUSH_IN_FREE_PGTABLES(FeatureFacts.first("v6.15")
            .commitTitled("mmu_gather: move tlb flush for VM_PFNMAP/VM_MIXEDMAP vmas into free_pgtables()")
            .source("6.18.2 include/asm-generic/tlb.h:561-593 (tlb_end_vma returns for MMU_GATHER_MERGE_VMAS, tlb_free_vmas),"
                    + " mm/memory.c:379 (free_pgtables calls tlb_free_vmas first); absent in 6.14.0, present in 6.17.0;"
                    + " arch/x86/Kconfig selects MMU_GATHER_MERGE_VMAS; docs/research/v6.18-delta.md section 3.4")
            .mail("Roman Gushchin's patch in mm-tree revlists of January-February 2025")
            .memory("first release inferred from those dates (no 6.15 or 6.16 tree read)")),
    /**
     * madvise(MADV_DONTNEED) zaps every VMA of its range into one mmu_gather, started after
     * madvise_lock and finished (the flush, the freeing of the zapped pages) after the walk,
     * instead of a gather per VMA (zap_page_range_single_batched).
     */
    MADVISE_BATCHED_GATHER(FeatureFacts.first("v6.16")
            .commitTitled("mm/madvise: batch tlb flushes for MADV_DONTNEED[_LOCKED]")
            .source("6.18.2 mm/madvise.c do_madvise 1962-1985 (madvise_init_tlb, madvise_finish_tlb), mm/memory.c"
                    + " zap_page_range_single_batched 2124-2153; absent in 6.14.0, present in 6.17.0;"
                    + " docs/research/v6.18-delta.md section 5.2")
            .mail("SeongJae Park's series \"mm/madvise: batch tlb flushes for MADV_DONTNEED and MADV_FREE\", v3 of 9 Apr 2025")
            .memory("first release inferred from the postings (no 6.15 or 6.16 tree read)")),
    /**
     * MADV_DONTNEED on a range inside one VMA runs under that VMA's per-VMA read lock
     * (try_vma_read_lock: lock_vma_under_rcu of the range's start) instead of mmap_lock, falling
     * back to mmap_read_lock when the lock cannot be had or the range runs past the VMA. The
     * batched gather starts before any lock and is finished after vma_end_read.
     */
    MADV_DONTNEED_UNDER_VMA_LOCK(FeatureFacts.first("v6.17")
            .commit("a6fde7add78d", "mm: use per_vma lock for MADV_DONTNEED")
            .source("absent in 6.14.0, present in 6.17.0 and 6.18.2 mm/madvise.c: get_lock_mode returns MADVISE_VMA_READ_LOCK"
                    + " for MADV_DONTNEED (1699-1718), try_vma_read_lock 1583-1607, madvise_walk_vmas 1619-1640;"
                    + " docs/research/v6.18-delta.md section 5")
            .mail("Barry Song's patch v4 of June 2025, in linux-next before v6.16 was released; Fixes: target of 366a4532d96f"));

    private final FeatureFacts facts;

    Feature(FeatureFacts facts) {
        this.facts = facts;
    }

    public FeatureFacts facts() {
        return facts;
    }

    /**
     * The main commit's 12-digit id: how variant names cite the feature ({@code v4.20+7a30df49f63a});
     * the feature's name when the id is not known.
     */
    public String commit() {
        String id = facts.commits().get(0).id();
        return id != null ? id : name();
    }

    /** The first mainline release with it. */
    public Release since() {
        return facts.first();
    }

    /** Is the feature in mainline {@code release} built with {@code configs}? See {@link FeatureFacts#in}. */
    public boolean in(Release release, Set<Config> configs) {
        return facts.in(release, configs);
    }
}
