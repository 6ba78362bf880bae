package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.NumaFault;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;

/**
 * The mmu_gather: how munmap and madvise take pages and page tables out of the page tables,
 * flush the TLBs, and only then free them (include/asm-generic/tlb.h: unhook, invalidate, free).
 * Procedures, each instantiated in every thread that calls it; the gather itself is the calling
 * thread's {@code tlb_*} locals ({@link ThreadLocals}), the ranges below are {@link Locals}.
 * <ul>
 *   <li>{@code tlb_gather_mmu}: from v4.13 ({@link Feature#TLB_FLUSH_PENDING_COUNT})
 *       inc_tlb_flush_pending; before, only local initialisation.</li>
 *   <li>{@code zap_pte_range} over [zap_addr, zap_end), one page table at a time
 *       (zap_pmd_range skips a table whose PMD is none): take the PTL, clear one present PTE per
 *       step into the batch; when the batch is full (__tlb_remove_page) force a flush: shoot down
 *       the TLBs still under the PTL, unlock, free the batch, go on (SEMANTICS.md 3.3).</li>
 *   <li>{@code free_pgtables(floor, ceiling)} over the detached VMAs from {@code vma}: clears the
 *       PMD entry of every page table that free_pgd_range may free and puts the page-table page
 *       in the same batch (native x86, SEMANTICS.md 3.5); from v4.20 sets freed_tables; a full
 *       batch flushes at once (tlb_remove_page).</li>
 *   <li>{@code tlb_flush_mmu}: flush if the range is not empty, then free the batch.</li>
 *   <li>{@code tlb_finish_mmu} in the form of the version (SEMANTICS.md 3.4), then
 *       dec_tlb_flush_pending from v4.13.</li>
 * </ul>
 * Pages are freed in three steps, one per kernel call site of the free: {@code
 * zap_pte_range.tlb_flush_mmu_free} (forced flush), {@code tlb_flush_mmu.tlb_flush_mmu_free}
 * (batch filled by page tables) and {@code tlb_finish_mmu.tlb_flush_mmu_free}. The gather's range
 * is tlb-&gt;start/end in pages ({@link ThreadLocals#gatherStart}): every cleared PTE and every
 * freed page table (at its first address, pte_free_tlb) widens it, and x86 tlb_flush flushes
 * exactly that range ({@link TlbFlush}).
 * Calls nest at most munmap → tlb_finish_mmu → flush_tlb_mm_range, so three levels below a
 * syscall.
 */
public final class MmuGather {
    /** Locals of the calling thread that carry the ranges the gather procedures work on. */
    public static final class Locals {
        /** zap_pte_range: the next page to look at (addr). */
        public final Field zapAddr;
        /** zap_pte_range: end of the part of the range in the current page table (next). */
        public final Field zapNext;
        /** zap_pte_range: end of the range to zap; 0 when no zap is in progress. */
        public final Field zapEnd;
        /** free_pgtables: prev->vm_end, or 0 (FIRST_USER_ADDRESS). */
        public final Field floor;
        /** free_pgtables: next->vm_start, or the top of the user address space. */
        public final Field ceiling;
        /** free_pgtables: the first page-table index not yet considered. */
        public final Field pgtable;
        /**
         * The start and end tlb_gather_mmu and tlb_finish_mmu are called with: the range the
         * nested-gather flush of v4.13 to v5.1 covers. Recorded only in those versions
         * ({@link MmuGather#recordRange}).
         */
        public final Field finishStart;
        public final Field finishEnd;
        /**
         * v6.14+ (PT_RECLAIM): the zap's details->reclaim_pt, set by MADV_DONTNEED's caller for
         * the whole zap; null in releases without it.
         */
        public final Field reclaimPt;
        /**
         * v6.14+: what zap_pte_range may do with the current table once it is zapped: 0 nothing
         * (can_reclaim_pt false), 1 clear its PMD under the PTE lock (direct_reclaim), 2 re-check
         * it with try_to_free_pte (a forced flush dropped the PTE lock midway).
         */
        public final Field canReclaimPt;

        private Locals(Code c, MachineConfig cfg, boolean ptReclaim) {
            zapAddr = c.local("zap_addr", 0, cfg.pages());
            zapNext = c.local("zap_next", 0, cfg.pages());
            zapEnd = c.local("zap_end", 0, cfg.pages());
            floor = c.local("floor", 0, cfg.pages());
            ceiling = c.local("ceiling", 0, cfg.pages());
            pgtable = c.local("pgtable", 0, cfg.tables());
            finishStart = c.local("tlb_finish_start", 0, cfg.pages());
            finishEnd = c.local("tlb_finish_end", 0, cfg.pages());
            reclaimPt = ptReclaim ? c.local("reclaim_pt", 0, 1) : null;
            canReclaimPt = ptReclaim ? c.local("can_reclaim_pt", 0, 2) : null;
        }

        public static Locals of(Code c, Kernel k) {
            return new Locals(c, k.config, k.has(Feature.PT_RECLAIM));
        }
    }

    public static final String CLEAR_PTE = "ptep_get_and_clear_full";
    public static final String FREE = "tlb_flush_mmu_free";

    // Steps a change may target (Patch, Variant.replaceEffect and the other edits).
    /** zap_pte_range: the PTE is cleared and the page batched. */
    public static final StepRef ZAP_PTE_CLEAR = StepRef.in("zap_pte_range", CLEAR_PTE);
    /** zap_pmd_range, zap_pte_range: pte_offset_map_lock (and, v4.13+, flush_tlb_batched_pending). */
    public static final StepRef ZAP_PTE_LOCK = StepRef.in("zap_pte_range", "pte_offset_map_lock");
    /** tlb_finish_mmu: the batched pages are freed after the flush. */
    public static final StepRef FINISH_FREE = StepRef.in("tlb_finish_mmu", FREE);
    /** tlb_finish_mmu: the mm_tlb_flush_nested check (v4.16+, 99baac21e458). */
    public static final StepRef FINISH_NESTED = StepRef.in("tlb_finish_mmu", "mm_tlb_flush_nested");
    /** tlb_gather_mmu: inc_tlb_flush_pending (v4.13+). */
    public static final StepRef GATHER_INC_PENDING = StepRef.in("tlb_gather_mmu", "inc_tlb_flush_pending");
    /** zap_pte_range: pte_unmap_unlock at the end of a table. */
    public static final StepRef ZAP_PTE_UNLOCK = StepRef.in("zap_pte_range", "pte_unmap_unlock");
    /** zap_pte_range (v6.14+, PT_RECLAIM): try_to_free_pte of a table whose PTE lock was dropped midway. */
    public static final StepRef ZAP_TRY_TO_FREE_PTE = StepRef.in("zap_pte_range", "try_to_free_pte");
    /** zap_pte_range: the forced flush under the PTL (tlb_flush_mmu_tlbonly). */
    public static final StepRef ZAP_FLUSH_TLBONLY = StepRef.in("zap_pte_range", "tlb_flush_mmu_tlbonly");
    /** free_pgtables: free_pte_range clears a PMD and batches its page table. */
    public static final StepRef FREE_PTE_RANGE = StepRef.in("free_pgtables", "free_pte_range");
    /** tlb_finish_mmu: the TLB flush of the gathered range (tlb_flush_mmu_tlbonly). */
    public static final StepRef FINISH_FLUSH_TLBONLY = StepRef.in("tlb_finish_mmu", "tlb_flush_mmu_tlbonly");
    /** tlb_finish_mmu: dec_tlb_flush_pending (v4.13+). */
    public static final StepRef FINISH_DEC_PENDING = StepRef.in("tlb_finish_mmu", "dec_tlb_flush_pending");
    /** tlb_finish_mmu: tlb_flush_mmu_tlbonly's call of x86 tlb_flush (flush_tlb_mm_range). */
    public static final StepRef FINISH_TLB_FLUSH = StepRef.in("tlb_finish_mmu", "tlb_flush");
    /** tlb_gather_mmu (v4.12): only the on-stack gather is initialised. */
    public static final StepRef GATHER_INIT = StepRef.in("tlb_gather_mmu", "tlb_gather_mmu");
    /** zap_pte_range, force_flush: pte_unmap_unlock after the flush under the PTL (__tlb_reset_range with it). */
    public static final StepRef ZAP_FORCE_UNLOCK = StepRef.in("zap_pte_range", "force_flush: pte_unmap_unlock");
    /** zap_pte_range, force_flush: tlb_flush_mmu_free frees the full batch. */
    public static final StepRef ZAP_FORCE_FREE = StepRef.in("zap_pte_range", FREE);
    /** free_pgtables: unlink_file_vma of each detached file VMA, under i_mmap_rwsem. */
    public static final StepRef FREE_UNLINK_FILE_VMA = StepRef.in("free_pgtables", "unlink_file_vma");
    /** free_pgtables: tlb_remove_page found the batch full and calls tlb_flush_mmu. */
    public static final StepRef FREE_BATCH_FULL = StepRef.in("free_pgtables", "tlb_remove_page: batch full");
    /** tlb_flush_mmu: tlb_flush_mmu_tlbonly, nothing when the gathered range is empty. */
    public static final StepRef FLUSH_MMU_TLBONLY = StepRef.in("tlb_flush_mmu", "tlb_flush_mmu_tlbonly");
    /** tlb_flush_mmu: tlb_flush_mmu_tlbonly's call of x86 tlb_flush (flush_tlb_mm_range). */
    public static final StepRef FLUSH_MMU_TLB_FLUSH = StepRef.in("tlb_flush_mmu", "tlb_flush");
    /** tlb_flush_mmu: tlb_flush_mmu_free frees the batch. */
    public static final StepRef FLUSH_MMU_FREE = StepRef.in("tlb_flush_mmu", FREE);

    /** Label of the flush_tlb_batched_pending call in zap_pte_range, change_pte_range and move_ptes. */
    public static final String BATCHED_PENDING = "flush_tlb_batched_pending";
    /** Label of the step that clears mm->tlb_flush_batched after that flush. */
    public static final String BATCHED_CLEARED = "tlb_flush_batched = false";
    // flushBatchedPending writes the same two labels into each caller's procedure.
    /** zap_pte_range: flush_tlb_batched_pending's flush_tlb_mm (v4.13+). */
    public static final StepRef ZAP_BATCHED_PENDING = StepRef.in("zap_pte_range", BATCHED_PENDING);
    /** zap_pte_range: flush_tlb_batched_pending's mm->tlb_flush_batched = false (v4.13 to v5.16). */
    public static final StepRef ZAP_BATCHED_CLEARED = StepRef.in("zap_pte_range", BATCHED_CLEARED);
    /** change_pte_range (change_protection_range here): flush_tlb_batched_pending's flush_tlb_mm (v4.13+). */
    public static final StepRef CHANGE_PROT_BATCHED_PENDING = StepRef.in("change_protection_range", BATCHED_PENDING);
    /** change_pte_range: flush_tlb_batched_pending's mm->tlb_flush_batched = false (v4.13 to v5.16). */
    public static final StepRef CHANGE_PROT_BATCHED_CLEARED = StepRef.in("change_protection_range", BATCHED_CLEARED);
    /** mremap, move_ptes: flush_tlb_batched_pending's flush_tlb_mm (v4.13+). */
    public static final StepRef MREMAP_BATCHED_PENDING = StepRef.in("mremap", BATCHED_PENDING);
    /** mremap, move_ptes: flush_tlb_batched_pending's mm->tlb_flush_batched = false (v4.13 to v5.16). */
    public static final StepRef MREMAP_BATCHED_CLEARED = StepRef.in("mremap", BATCHED_CLEARED);

    public final Procedure tlbGatherMmu;
    public final Procedure zapPteRange;
    public final Procedure freePgtables;
    public final Procedure tlbFlushMmu;
    public final Procedure tlbFinishMmu;

    private final Kernel k;
    private final TlbFlush flush;
    /** The NUMA hinting fault's migration entries, if the model has them. */
    private final NumaFault numa;

    private MmuGather(Kernel k) {
        this.k = k;
        this.numa = k.numa;
        this.flush = TlbFlush.of(k);
        tlbGatherMmu = k.program.procedure("tlb_gather_mmu", this::tlbGatherMmu);
        tlbFlushMmu = k.program.procedure("tlb_flush_mmu", this::tlbFlushMmu);
        zapPteRange = k.program.procedure("zap_pte_range", this::zapPteRange);
        freePgtables = k.program.procedure("free_pgtables", this::freePgtables);
        tlbFinishMmu = k.program.procedure("tlb_finish_mmu", this::tlbFinishMmu);
    }

    /** The mmu_gather procedures of {@code k}'s model (declared on first use). */
    public static MmuGather of(Kernel k) {
        return k.shared(MmuGather.class, MmuGather::new);
    }

    // ---- sources ---------------------------------------------------------------------------------

    /** Where the generic mmu_gather lives: mm/memory.c until v4.20 moved it to mm/mmu_gather.c. */
    private String gatherSrc(String function) {
        return k.src((atLeast(KernelVersion.V4_20) ? "mm/mmu_gather.c:" : "mm/memory.c:") + function);
    }

    private boolean atLeast(KernelVersion v) {
        return k.variant.base().compareTo(v) >= 0;
    }

    /** The nested-gather flush covers the caller's range (v4.13 to v5.1, arch_tlb_finish_mmu). */
    private boolean nestedFlushCoversCallRange() {
        return k.has(Feature.TLB_FLUSH_PENDING_COUNT) && !k.has(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES);
    }

    /**
     * tlb_gather_mmu(tlb, mm, start, end): the range tlb_finish_mmu will be called with again.
     * Only the versions whose nested flush covers it keep it in the state.
     */
    public void recordRange(Locals g, long[] s, int start, int end) {
        if (nestedFlushCoversCallRange()) {
            g.finishStart.set(s, start);
            g.finishEnd.set(s, end);
        }
    }

    /**
     * tlb_remove_tlb_entry(tlb, pte, page): the gather's range covers the page and, with
     * per-level tracking (v4.20+, {@link Feature#TLB_FLUSH_STRIDE}), records that a PTE was cleared.
     */
    public void removeTlbEntry(ThreadLocals l, long[] s, int page) {
        l.gatherAdjust(s, page);
        if (k.has(Feature.TLB_FLUSH_STRIDE)) {
            l.gatherClearedPtes.set(s, 1);
        }
    }

    // ---- tlb_gather_mmu --------------------------------------------------------------------------

    private void tlbGatherMmu(Code c) {
        Mm mm = k.mm;
        if (k.has(Feature.TLB_FLUSH_PENDING_COUNT)) {
            String label = GATHER_INC_PENDING.label();
            c.step(label, gatherSrc("tlb_gather_mmu, inc_tlb_flush_pending"), s -> mm.tlbFlushPending.set(s, mm.tlbFlushPending.get(s) + 1));
        } else {
            // v4.12 only initialises the on-stack gather, which the model keeps empty between uses.
            c.step(GATHER_INIT.label(), gatherSrc("tlb_gather_mmu"), s -> { });
        }
    }

    // ---- zap_pte_range -----------------------------------------------------------------------------

    private void zapPteRange(Code c) {
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals g = Locals.of(c, k);
        String src = k.src("mm/memory.c:zap_pte_range");
        boolean ptReclaim = k.has(Feature.PT_RECLAIM);
        String tryToFree = ZAP_TRY_TO_FREE_PTE.label();
        Guard slowReclaim = s -> ptReclaim && g.canReclaimPt.get(s) == 2;

        // zap_pmd_range skips a table whose PMD is none (pmd_none_or_trans_huge_or_clear_bad),
        // else zap_pte_range locks it (pte_offset_map_lock): one step here. The kernel reads the
        // PMD twice; what happens between the reads matters only if the table is freed under
        // the zapper, which free_pgtables' floor and ceiling exclude while a VMA covers it.
        // tableFrame is the page-table pointer pte_offset_map_lock keeps.
        String lock = ZAP_PTE_LOCK.label();
        c.await(lock, k.src("mm/memory.c:zap_pmd_range, zap_pte_range"),
                s -> {
                    int t = cfg.tableOf(g.zapAddr.get(s));
                    return m.pmd.get(s, t) == Machine.NONE || m.ptl.get(s, t) == 0;
                },
                s -> {
                    int addr = g.zapAddr.get(s);
                    int t = cfg.tableOf(addr);
                    int next = Math.min((t + 1) * cfg.pagesPerTable(), g.zapEnd.get(s));
                    g.zapNext.set(s, next);
                    int table = m.pmd.get(s, t);
                    if (table == Machine.NONE) {
                        if (ptReclaim) {
                            g.canReclaimPt.set(s, 0); // a retry found the table reclaimed: return addr
                        }
                        advance(g, s, next);
                        return;
                    }
                    m.ptl.set(s, t, self + 1);
                    l.tableFrame.set(s, table);
                    if (ptReclaim && g.canReclaimPt.get(s) == 0) {
                        // reclaim_pt_is_enabled: details->reclaim_pt and end - start >= PMD_SIZE,
                        // this table's slice of the zap covers the whole table.
                        boolean whole = addr == t * cfg.pagesPerTable() && next == (t + 1) * cfg.pagesPerTable();
                        g.canReclaimPt.set(s, g.reclaimPt.get(s) == 1 && whole ? 1 : 0);
                    }
                    g.zapAddr.set(s, nextPresent(s, addr, next));
                })
                .ifGoTo(s -> l.tableFrame.isNull(s) && g.zapEnd.get(s) == 0, Code.RETURN)
                .ifGoTo(s -> l.tableFrame.isNull(s), lock);
        boolean batchedPending = k.has(Feature.FLUSH_TLB_BATCHED_PENDING);
        if (batchedPending) {
            // flush_tlb_batched_pending(mm) right after taking the PTL (v4.13+).
            checkBatchedPending(k, c);
        }
        String unlock = ZAP_PTE_UNLOCK.label();
        String clear = ZAP_PTE_CLEAR.label();
        c.ifGoTo(s -> g.zapAddr.get(s) == g.zapNext.get(s), unlock);

        // One present PTE per step: each clear is visible to the other CPUs' page walkers.
        c.step(clear, src, s -> {
            int page = g.zapAddr.get(s);
            int frame = m.pte.get(s, page);
            m.pte.set(s, page, Machine.NONE);
            l.tableFrame.useTable(s, page); // I7 if the table was freed
            if (numa.present()) {
                // pte_none: no protection bits are left (a NUMA-hinting PTE is PROT_NONE). A
                // migration entry is cleared (pte_clear_not_present_full); its page belongs to
                // the migration, nothing is batched.
                m.pteProt.set(s, page, Machine.PROT_RW);
                if (numa.migrating(s, page)) {
                    numa.migrationEntry.set(s, page, 0);
                    g.zapAddr.set(s, nextPresent(s, page + 1, g.zapNext.get(s)));
                    return;
                }
            }
            removeTlbEntry(l, s, page);
            if (m.isLivePfn(s, frame)) {
                // VM_PFNMAP: vm_normal_page is NULL, so only tlb_remove_tlb_entry grows the range;
                // nothing is batched and nothing forces a flush under the PTL.
                g.zapAddr.set(s, nextPresent(s, page + 1, g.zapNext.get(s)));
                return;
            }
            batch(l, s, frame);
            if (l.gatherCount.get(s) == cfg.gatherBatch()) {
                // __tlb_remove_page: the batch is full; force_flush, addr += PAGE_SIZE, break.
                l.forceFlush.set(s, 1);
                g.zapAddr.set(s, page + 1);
            } else {
                g.zapAddr.set(s, nextPresent(s, page + 1, g.zapNext.get(s)));
            }
        })
                .ifGoTo(s -> l.forceFlush.get(s) == 1, ZAP_FLUSH_TLBONLY.label())
                .ifGoTo(s -> g.zapAddr.get(s) < g.zapNext.get(s), clear);

        c.step(unlock, ptReclaim ? k.src("mm/memory.c:zap_pte_range, mm/pt_reclaim.c:try_get_and_clear_pmd, free_pte") : src, s -> {
            if (ptReclaim && g.canReclaimPt.get(s) == 1) {
                // Fast path, under the PTE lock: try_get_and_clear_pmd (the PMD lock is only ever
                // held inside one step, so the trylock succeeds), then free_pte after the unlock
                // (into this thread's gather: nothing another CPU sees).
                int t = k.config.tableOf(g.zapNext.get(s) - 1);
                int table = m.pmd.get(s, t);
                m.pmd.set(s, t, Machine.NONE);
                freePte(l, s, t, table);
                g.canReclaimPt.set(s, 0);
            }
            unlockTable(l, g, s);
            if (!slowReclaim.test(s)) {
                advance(g, s, g.zapNext.get(s));
            }
        });
        if (ptReclaim) {
            c.ifGoTo(slowReclaim, tryToFree);
        }
        c.ifGoTo(s -> g.zapEnd.get(s) == 0, Code.RETURN).goTo(lock);

        // force_flush: the batch only fills with pages this gather cleared, so its range is never
        // empty here and tlb_flush_mmu_tlbonly always flushes.
        c.call(ZAP_FLUSH_TLBONLY.label(), k.src("mm/memory.c:zap_pte_range, tlb_flush_mmu_tlbonly (under the PTL)"),
                flush.flushTlbMmRange, l::flushGatheredRange);
        c.step(ZAP_FORCE_UNLOCK.label(), src, s -> {
            l.gatherReset(s);
            unlockTable(l, g, s);
            if (ptReclaim && g.canReclaimPt.get(s) == 1) {
                g.canReclaimPt.set(s, 2); // force_break: direct_reclaim = false
            }
        });
        c.step(ZAP_FORCE_FREE.label(), src, s -> {
            freeBatch(k, l, s, self);
            l.forceFlush.set(s, 0);
            boolean tableDone = g.zapAddr.get(s) >= g.zapNext.get(s);
            if (g.zapAddr.get(s) >= g.zapEnd.get(s) && !(tableDone && slowReclaim.test(s))) {
                advance(g, s, g.zapEnd.get(s));
            }
        });
        if (ptReclaim) {
            c.ifGoTo(s -> slowReclaim.test(s) && g.zapAddr.get(s) >= g.zapNext.get(s), tryToFree);
        }
        c.ifGoTo(s -> g.zapEnd.get(s) == 0, Code.RETURN).goTo(lock);
        if (ptReclaim) {
            // try_to_free_pte, after the table's whole range (the PTE lock was dropped midway):
            // pmd_lock, map the table the PMD holds now, its PTE lock nested, every PTE none ->
            // pmd_clear, unlock both, free_pte. Both locks are held only inside this step: a
            // walker that needs the PTE lock sees the table before or after.
            c.await(tryToFree, k.src("mm/pt_reclaim.c:try_to_free_pte"),
                    s -> m.ptl.get(s, k.config.tableOf(g.zapNext.get(s) - 1)) == 0,
                    s -> {
                        int t = k.config.tableOf(g.zapNext.get(s) - 1);
                        int table = m.pmd.get(s, t);
                        if (table != Machine.NONE && tableEmpty(s, t)) {
                            m.pmd.set(s, t, Machine.NONE);
                            freePte(l, s, t, table);
                        }
                        g.canReclaimPt.set(s, 0);
                        advance(g, s, Math.max(g.zapAddr.get(s), g.zapNext.get(s)));
                    })
                    .ifGoTo(s -> g.zapEnd.get(s) == 0, Code.RETURN).goTo(lock);
        }

        if (batchedPending) {
            flushBatchedPending(k, c, flush);
            c.ifGoTo(s -> g.zapAddr.get(s) == g.zapNext.get(s), unlock).goTo(clear);
        }
    }


    /**
     * flush_tlb_batched_pending(mm) (mm/rmap.c, v4.13; called with the PTL held): reclaim
     * deferred a flush for this mm, so flush_tlb_mm now (a full shootdown), then clear
     * mm->tlb_flush_batched (bool form), or cmpxchg the flushed generation (v5.17+,
     * {@link BatchGenerations#cmpxchg}). The caller jumps to {@link #BATCHED_PENDING} when
     * {@link #checkBatchedPending} finds a deferred flush and continues after the last step.
     */
    public static Code flushBatchedPending(Kernel k, Code c, TlbFlush flush) {
        ThreadLocals l = ThreadLocals.of(c, k);
        int pages = k.config.pages();
        c.call(BATCHED_PENDING, k.src("mm/rmap.c:flush_tlb_batched_pending, flush_tlb_mm"), flush.flushTlbMmRange,
                s -> l.flushRange(s, 0, pages)); // flush_tlb_mm: TLB_FLUSH_ALL
        BatchGenerations gen = k.batchGenerations;
        if (gen.present()) {
            // v5.17+ (5ee2fa2f0636): record the generation read as flushed, unless a new one came.
            return gen.cmpxchg(c);
        }
        return c.step(BATCHED_CLEARED, k.src("mm/rmap.c:flush_tlb_batched_pending"),
                s -> k.mm.tlbFlushBatched.set(s, 0));
    }

    /**
     * The test of flush_tlb_batched_pending, right after the caller's PTL step. The bool form
     * (v4.13 to v5.16) reads mm->tlb_flush_batched under the PTL, in the same step as the lock
     * (taking one PTL commutes with everything reclaim does under another), and jumps to
     * {@link #BATCHED_PENDING} when it is set; its flush and its clear are later steps, so a mark
     * set in between is lost (the race 5ee2fa2f0636 fixed). The generation form (v5.17+) reads
     * the word in a step of its own ({@link BatchGenerations#read}), in models that have
     * generations; in the others nothing ever marks the word, so no test is needed.
     */
    public static void checkBatchedPending(Kernel k, Code c) {
        BatchGenerations gen = k.batchGenerations;
        if (gen.present()) {
            gen.read(c, BATCHED_PENDING);
        } else if (!k.has(Feature.TLB_FLUSH_BATCHED_GENERATIONS)) {
            c.ifGoTo(s -> k.mm.tlbFlushBatched.get(s) == 1, BATCHED_PENDING);
        }
    }

    /** The first page in [from, to) with a present PTE, or {@code to}. */
    private int nextPresent(long[] s, int from, int to) {
        for (int p = from; p < to; p++) {
            if (k.machine.pte.get(s, p) != Machine.NONE || numa.migrating(s, p)) {
                return p; // present, or (with NUMA hinting faults) a migration entry
            }
        }
        return to;
    }

    /**
     * free_pte → pte_free_tlb (v6.14+): the gather's range grows to the table's first page, with
     * cleared_pmds and freed_tables, and the table goes to tlb_remove_table's own batch (it does
     * not count towards the page batch that forces a flush), freed after the flush and an RCU
     * grace period ({@link RcuTableFree}).
     */
    private void freePte(ThreadLocals l, long[] s, int t, int table) {
        l.gatherAdjust(s, t * k.config.pagesPerTable());
        l.gatherClearedPmds.set(s, 1);
        l.gatherFreedTables.set(s, 1);
        l.gatherFrames.set(s, l.gatherFrames.get(s) | 1 << (table - 1));
    }

    /** Every PTE of table {@code t} is none (try_to_free_pte's check of all PTRS_PER_PTE entries). */
    private boolean tableEmpty(long[] s, int t) {
        int per = k.config.pagesPerTable();
        return nextPresent(s, t * per, (t + 1) * per) == (t + 1) * per;
    }

    /** Moves the zap to {@code addr}; at the end of the range clears the zap locals. */
    private static void advance(Locals g, long[] s, int addr) {
        if (addr >= g.zapEnd.get(s)) {
            g.zapAddr.set(s, 0);
            g.zapNext.set(s, 0);
            g.zapEnd.set(s, 0);
            if (g.reclaimPt != null) {
                g.reclaimPt.set(s, 0); // the zap is over: the next caller passes its own details
            }
        } else {
            g.zapAddr.set(s, addr);
        }
    }

    private void unlockTable(ThreadLocals l, Locals g, long[] s) {
        k.machine.ptl.set(s, k.config.tableOf(g.zapNext.get(s) - 1), 0);
        l.tableFrame.clear(s);
    }

    // ---- free_pgtables -----------------------------------------------------------------------------

    private void freePgtables(Code c) {
        Machine m = k.machine;
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals g = Locals.of(c, k);
        boolean freedTables = k.has(Feature.FREED_TABLES_LAZY_SKIP);
        boolean levels = k.has(Feature.TLB_FLUSH_STRIDE);
        int per = k.config.pagesPerTable();
        TlbFreeVmas.steps(k, c, FREE_UNLINK_FILE_VMA.label());
        if (k.mm.filesEnabled()) {
            // unlink_file_vma for each detached file VMA, under i_mmap_rwsem: from here on rmap
            // walkers (unmap_mapping_range) no longer see it (SEMANTICS.md 3.2 step 6).
            String unlink = FREE_UNLINK_FILE_VMA.label();
            Mm mm = k.mm;
            c.await(unlink, k.src("mm/memory.c:free_pgtables, mm/mmap.c:unlink_file_vma"), mm::iMmapFree,
                    s -> {
                        for (int v = l.vma.deref(s) + 1; v != Mm.NONE; v = mm.nextUnmapped(s, v)) {
                            mm.vmaInIMmap.set(s, v - 1, 0);
                        }
                    });
        }
        // B9: x86 PV tlb_remove_table (4.14-4.18) frees at once when mm_users < 2.
        boolean pvFreeAtOnce = k.has(Feature.RCU_TABLE_FREE) && !k.has(Feature.RCU_TABLE_FREE_INVALIDATES);
        String label = FREE_PTE_RANGE.label();
        // free_pgd_range → ... → free_pte_range: pmd_clear, then pte_free_tlb widens the gather's
        // range to the table's first address, hands the page-table page to the gather (and sets
        // tlb->freed_tables and cleared_pmds from v4.20). One table per step: the cleared PMD
        // entry is what other CPUs' walkers see.
        c.step(label, k.src("mm/memory.c:free_pgtables, free_pgd_range, free_pte_range"), s -> {
            int t = nextTableToFree(s, l.vma.get(s), g.floor.get(s), g.ceiling.get(s), g.pgtable.get(s));
            if (t < 0) {
                g.floor.set(s, 0);
                g.ceiling.set(s, 0);
                g.pgtable.set(s, 0);
                return;
            }
            int table = m.pmd.get(s, t);
            m.pmd.set(s, t, Machine.NONE);
            l.gatherAdjust(s, t * per);
            if (levels) {
                l.gatherClearedPmds.set(s, 1);
            }
            if (pvFreeAtOnce && k.mm.mmUsers.get(s) < 2) {
                m.free(s, table);
            } else {
                batch(l, s, table);
            }
            if (freedTables) {
                l.gatherFreedTables.set(s, 1);
            }
            g.pgtable.set(s, t + 1);
        })
                .ifGoTo(s -> g.pgtable.get(s) == 0, Code.RETURN)
                .ifGoTo(s -> l.gatherCount.get(s) < k.config.gatherBatch(), label);
        // tlb_remove_page: __tlb_remove_page found the batch full, so tlb_flush_mmu now.
        c.call(FREE_BATCH_FULL.label(), k.src("include/asm-generic/tlb.h:tlb_remove_page"), tlbFlushMmu)
                .goTo(label);
    }

    /**
     * The lowest page-table index at or above {@code from} whose PMD entry free_pgtables clears for
     * the detached VMAs starting at {@code vma} (vma + 1) with this floor and ceiling, or -1.
     * free_pgtables merges VMAs less than a table apart into one free_pgd_range call, whose
     * ceiling is the next VMA's start (or {@code ceiling}); free_pgd_range frees the tables of
     * [addr, end) rounded to whole tables, minus the first if it starts below the floor and
     * minus the last if it reaches above the ceiling (mm/memory.c, v4.12; unchanged to v6.0).
     */
    int nextTableToFree(long[] s, int vma, int floor, int ceiling, int from) {
        Mm mm = k.mm;
        Machine m = k.machine;
        int per = k.config.pagesPerTable();
        for (int v = vma; v != Mm.NONE; ) {
            int addr = mm.vmStart(s, v);
            int last = v;
            int next = mm.nextUnmapped(s, v);
            while (next != Mm.NONE && mm.vmStart(s, next) <= mm.vmEnd(s, last) + per) {
                last = next;
                next = mm.nextUnmapped(s, next);
            }
            int top = next != Mm.NONE ? mm.vmStart(s, next) : ceiling;
            int a = addr - addr % per;
            if (a < floor) {
                a += per;
            }
            int c = top - top % per;
            int end = mm.vmEnd(s, last);
            if (end > c) {
                end -= per;
            }
            if (c > 0 && a < end) {
                for (int t = Math.max(a / per, from); t <= (end - 1) / per; t++) {
                    if (m.pmd.get(s, t) != Machine.NONE) {
                        return t;
                    }
                }
            }
            v = next;
        }
        return -1;
    }

    // ---- tlb_flush_mmu and tlb_finish_mmu ----------------------------------------------------------

    private void tlbFlushMmu(Code c) {
        flushSteps(c, FLUSH_MMU_TLBONLY, FLUSH_MMU_TLB_FLUSH, FLUSH_MMU_FREE);
    }

    /**
     * The steps of tlb_flush_mmu: tlb_flush_mmu_tlbonly (nothing if the range is empty, else the
     * shootdown, then __tlb_reset_range) and tlb_flush_mmu_free, named by the caller's procedure's
     * constants (tlb_flush_mmu or tlb_finish_mmu).
     */
    private void flushSteps(Code c, StepRef tlbonly, StepRef tlbFlush, StepRef free) {
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        c.step(tlbonly.label(), atLeast(KernelVersion.V4_20)
                ? k.src("include/asm-generic/tlb.h:tlb_flush_mmu_tlbonly") : gatherSrc("tlb_flush_mmu_tlbonly"),
                s -> { })
                .ifGoTo(s -> l.gatherEmpty(s), free.label());
        c.call(tlbFlush.label(), k.src("arch/x86/include/asm/tlb.h:tlb_flush"), flush.flushTlbMmRange, l::flushGatheredRange);
        c.step(free.label(), gatherSrc("tlb_flush_mmu_free"), s -> {
            l.gatherReset(s);
            freeBatch(k, l, s, self);
        });
    }

    private void tlbFinishMmu(Code c) {
        Mm mm = k.mm;
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals g = Locals.of(c, k);
        boolean pending = k.has(Feature.TLB_FLUSH_PENDING_COUNT);
        if (pending) {
            // mm_tlb_flush_nested: another gather is active on this mm, so a PTE this one found
            // already clear may still be cached elsewhere: flush the whole range (99baac21e458).
            String nested = FINISH_NESTED.label();
            String src;
            Feature keep = Feature.NESTED_FLUSH_KEEPS_FREED_TABLES;
            if (k.has(keep)) {
                src = gatherSrc("tlb_finish_mmu (fullmm, freed_tables = 1)");
            } else if (k.has(Feature.FREED_TABLES_LAZY_SKIP) || k.has(Feature.MUNMAP_DOWNGRADE)) {
                src = gatherSrc("arch_tlb_finish_mmu (__tlb_reset_range, __tlb_adjust_range)");
            } else {
                src = gatherSrc("arch_tlb_finish_mmu (__tlb_adjust_range)");
            }
            boolean resetsFreedTables = !k.has(keep)
                    && (k.has(Feature.FREED_TABLES_LAZY_SKIP) || k.has(Feature.MUNMAP_DOWNGRADE));
            boolean keepsFreedTables = k.has(keep);
            c.step(nested, src, s -> {
                if (mm.tlbFlushPending.get(s) <= 1) {
                    return;
                }
                if (keepsFreedTables) {
                    // v5.2+: tlb->fullmm = 1, __tlb_reset_range, freed_tables = 1: a flush of
                    // the whole mm that counts as freeing page tables (7a30df49f63a).
                    l.gatherWholeMm(s);
                    l.gatherFreedTables.set(s, 1);
                    return;
                }
                if (resetsFreedTables) {
                    // v4.20-v5.1: __tlb_reset_range first, which also forgets freed_tables (bug B3).
                    l.gatherReset(s);
                }
                // __tlb_adjust_range(tlb, start, end - start): the caller's whole range.
                l.gatherAdjust(s, g.finishStart.get(s));
                l.gatherAdjust(s, g.finishEnd.get(s) - 1);
            });
        }
        flushSteps(c, FINISH_FLUSH_TLBONLY, FINISH_TLB_FLUSH, FINISH_FREE);
        if (pending) {
            String dec = FINISH_DEC_PENDING.label();
            c.step(dec, gatherSrc("tlb_finish_mmu, dec_tlb_flush_pending"), s -> {
                mm.tlbFlushPending.set(s, mm.tlbFlushPending.get(s) - 1);
                g.finishStart.set(s, 0);
                g.finishEnd.set(s, 0);
            });
        }
    }

    // ---- the batch -----------------------------------------------------------------------------------

    /** __tlb_remove_page: frame + 1 joins the batch, to be freed after the flush. */
    private static void batch(ThreadLocals l, long[] s, int framePlusOne) {
        l.gatherFrames.set(s, l.gatherFrames.get(s) | 1 << (framePlusOne - 1));
        l.gatherCount.set(s, l.gatherCount.get(s) + 1);
    }

    /**
     * tlb_flush_mmu_free → free_pages_and_swap_cache: frees every batched frame of
     * {@code thread}'s gather and empties the batch; freeing a frame that is already free is
     * recorded (I7).
     */
    public static void freeBatch(Kernel k, ThreadLocals l, long[] s, int thread) {
        Machine m = k.machine;
        int frames = l.gatherFrames.get(s);
        int filePages = 0;
        for (int f = 0; frames >> f != 0; f++) {
            if ((frames >> f & 1) == 0) {
                continue;
            }
            if (m.frameKind.get(s, f) == Machine.FREE) {
                k.ghost.record(s, Ghost.DOUBLE_FREE, f, thread);
            } else if (m.frameKind.get(s, f) == Machine.FILE) {
                filePages |= 1 << f; // a page-cache page: put_page, freed only if nothing else holds it
            } else if (m.frameKind.get(s, f) == Machine.PAGE_TABLE && k.rcuTables.present()) {
                k.rcuTables.free(s, f); // tlb_remove_table: after the flush, call_rcu (v6.14+)
            } else {
                m.free(s, f + 1);
            }
        }
        l.gatherFrames.set(s, 0);
        l.gatherCount.set(s, 0);
        for (int f = 0; filePages >> f != 0; f++) {
            if ((filePages >> f & 1) == 1) {
                k.pageCache.put(s, f + 1, thread);
            }
        }
    }
}
