package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.TlbEndVma;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED [| MREMAP_DONTUNMAP], new) of one whole VMA
 * into a hole (mm/mremap.c, v4.12; the flush placement of v4.19 and MREMAP_DONTUNMAP of v5.7 as
 * features), all under mmap_sem held for write:
 * <ol>
 *   <li>vma_to_resize: the VMA at old (the range must be exactly one VMA); MREMAP_DONTUNMAP
 *       needs the feature ({@link Feature#MREMAP_DONTUNMAP}, else -EINVAL) and, in v5.7, a
 *       private anonymous VMA.</li>
 *   <li>move_vma → copy_vma: a new VMA object with the old one's flags, linked into tree and
 *       list (and, for a file VMA, into the file's i_mmap under i_mmap_rwsem).</li>
 *   <li>move_page_tables, one page-table extent at a time: skip an extent whose old PMD is none;
 *       pte_alloc the new page table; move_ptes takes the old PTL and then the new one, moves
 *       each present PTE (one step per PTE: ptep_get_and_clear + set_pte_at), and
 *       <ul>
 *         <li>before {@link Feature#MREMAP_FLUSH_UNDER_PTL} (v4.12-v4.18): with no dirty PTE
 *             moved (the model has no dirty bits) move_ptes sets need_flush after releasing the
 *             new PTL, whether or not it moved anything, and move_page_tables flushes the old
 *             range after the whole loop;</li>
 *         <li>from eb66ae030829 (v4.19): flush_tlb_range of the old range while both PTLs are
 *             still held, whenever a present PTE moved.</li>
 *       </ul></li>
 *   <li>MREMAP_DONTUNMAP: clear VM_LOCKED on the old VMA, leave locked_vm alone (the new VMA
 *       inherited VM_LOCKED and the same number of pages), keep the old VMA.</li>
 *   <li>Otherwise do_munmap of the old VMA (munlock: locked_vm -= old_len; detach;
 *       unmap_region: zap, free_pgtables with unlink_file_vma, tlb_finish_mmu; remove_vma),
 *       then, if the VMA was VM_LOCKED, locked_vm += new_len.</li>
 * </ol>
 * <p>From v6.4 ({@link Feature#PER_VMA_LOCK}; mm/mremap.c move_vma and mm/mmap.c vma_link read in
 * 6.6.9, mm/vma.c in 6.12.0, the v6.15 rewrite in 6.18.2; docs/research/v6.6-delta.md 2.6,
 * v6.12-delta.md 6.8, v6.18-delta.md 6.1) the VMAs are write-locked so that no per-VMA-lock
 * fault sees the move half done: move_vma write-locks the old VMA before copy_vma ("mm/mremap:
 * write-lock VMA while remapping it to a new address range"), vma_link write-locks the new one
 * before its tree store, and the internal munmap is do_vmi_munmap(unlock = false): the old VMA
 * (already write-locked) is marked detached (v6.15: waiting for a reader's transient reference),
 * the tree clear is the point of no return and takes its locked_vm then (606c812eb1d5), the zap
 * runs with mm_wr_locked (free_pgtables' vma_start_write finds it locked), and remove_vma frees
 * it after an RCU grace period (v6.15+: into a type-stable slab, at once). The gather's own
 * vma_start_write of the old VMA finds it locked by move_vma and does nothing: no step (its wait
 * for readers is the gather step's guard, true unless a mutant skipped move_vma's). I9 watches the
 * old range whose PTEs moved ({@code Ghost.recordMoved}) until the call ends. MREMAP_DONTUNMAP also unlinks the old VMA's anon_vma (its next
 * fault prepares a new one). From v6.15 ({@link Feature#MREMAP_LOCKED_VM_BEFORE_UNMAP}) the
 * locked_vm addition comes before the unmap or dontunmap_complete.
 *
 * <p>vma_link's tree store and its i_mmap link are one step here, though from v6.4 the store
 * comes first and i_mmap_rwsem is taken only for the link: the new VMA is write-locked, so a
 * lockless fault that finds it in the tree falls back to mmap_lock exactly as one that does not
 * find it, and the rmap walker (unmap_mapping_range) sees only the i_mmap link.
 *
 * Arguments: the caller's {@code start}/{@code end} (old range) and {@link Locals#newAddr},
 * {@link Locals#dontunmap}. Not modelled: growing or shrinking (old_len == new_len always),
 * vma_merge in copy_vma (the scenarios leave no mergeable neighbour), MREMAP_FIXED over an
 * existing mapping (the target must be a hole), the move-back on failure (the scenarios give
 * enough frames and VMA objects, and the tree stores of the internal munmap do not fail), VM_ACCOUNT,
 * hiwater and userfaultfd events (a scenario may not combine mremap with a userfaultfd monitor).
 */
public final class Mremap {
    /** The mremap arguments and the locals of move_vma. */
    public static final class Locals {
        /** new_addr (a page). */
        public final Field newAddr;
        /** flags & MREMAP_DONTUNMAP. */
        public final Field dontunmap;
        /** new_vma + 1 from copy_vma. */
        public final Field newVma;
        /** vm_flags & VM_LOCKED of the old VMA, read at the start of move_vma. */
        public final Field wasLocked;
        /** move_page_tables' need_flush (v4.12-v4.18). */
        public final Field needFlush;
        /** unmap_region's next + 1 (ceiling for free_pgtables). */
        public final Field next;

        private Locals(Code c, MachineConfig cfg) {
            newAddr = c.local("new_addr", 0, cfg.pages());
            dontunmap = c.local("dontunmap", 0, 1);
            newVma = c.local("new_vma", Mm.NONE, cfg.vmaSlots());
            wasLocked = c.local("was_locked", 0, 1);
            needFlush = c.local("need_flush", 0, 1);
            next = c.local("next", Mm.NONE, cfg.vmaSlots());
        }

        public static Locals of(Code c, Kernel k) {
            return new Locals(c, k.config);
        }
    }

    public static final String MOVE_PTE = "ptep_get_and_clear, set_pte_at";

    private static final String MREMAP = "mm/mremap.c:";
    /** move_ptes: spin_unlock(new_ptl), after the flush_tlb_range when a PTE was moved. */
    public static final StepRef MREMAP_UNLOCK_NEW = StepRef.in("mremap", "spin_unlock(new_ptl)");
    /** move_vma: locked_vm += new_len for a VM_LOCKED VMA. */
    public static final StepRef MREMAP_ACCOUNT = StepRef.in("mremap", "locked_vm += new_len");
    /** move_vma, MREMAP_DONTUNMAP: the old VMA loses VM_LOCKED. */
    public static final StepRef MREMAP_CLEAR_LOCKED = StepRef.in("mremap", "MREMAP_DONTUNMAP: vm_flags &= VM_LOCKED_CLEAR_MASK");
    /** mremap: down_write_killable(mmap_sem), taking it. */
    public static final StepRef MREMAP_DOWN_WRITE = StepRef.in("mremap", "down_write_killable");
    /** mremap: down_write_killable(mmap_sem), queueing as a writer. */
    public static final StepRef MREMAP_DOWN_WRITE_QUEUE = StepRef.in("mremap", Rwsem.queueLabel(MREMAP_DOWN_WRITE.label()));
    /** mremap_to: vma_to_resize finds the VMA and checks the range and flags. */
    public static final StepRef MREMAP_VMA_TO_RESIZE = StepRef.in("mremap", "vma_to_resize");
    /** move_vma: copy_vma links the new VMA (vma_link). */
    public static final StepRef MREMAP_COPY_VMA = StepRef.in("mremap", "copy_vma");
    /** move_page_tables: get_old_pmd, alloc_new_pmd and pte_alloc of one extent. */
    public static final StepRef MREMAP_EXTENT = StepRef.in("mremap", "get_old_pmd, alloc_new_pmd, pte_alloc");
    /** move_ptes: pte_offset_map_lock of the old table, then spin_lock(new_ptl). */
    public static final StepRef MREMAP_PTE_LOCK = StepRef.in("mremap", "pte_offset_map_lock");
    /** move_ptes: ptep_get_and_clear of the old PTE, set_pte_at of the new one. */
    public static final StepRef MREMAP_MOVE_PTE = StepRef.in("mremap", MOVE_PTE);
    /** move_ptes (v4.19+): flush_tlb_range of the old range under both PTLs. */
    public static final StepRef MREMAP_FLUSH_UNDER_PTL = StepRef.in("mremap", "flush_tlb_range (under both PTLs)");
    /** move_ptes: pte_unmap_unlock(old_pte - 1, old_ptl). */
    public static final StepRef MREMAP_UNLOCK_OLD = StepRef.in("mremap", "pte_unmap_unlock(old_ptl)");
    /** move_page_tables: the loop over the extents ends. */
    public static final StepRef MREMAP_MOVED = StepRef.in("mremap", "move_page_tables done");
    /** move_page_tables (v4.12-v4.18): if (need_flush) flush_tlb_range of the old range. */
    public static final StepRef MREMAP_FLUSH_NEED_FLUSH = StepRef.in("mremap", "flush_tlb_range (need_flush)");
    /** move_vma: after move_page_tables, MREMAP_DONTUNMAP or do_munmap of the old range. */
    public static final StepRef MREMAP_AFTER_MOVE = StepRef.in("mremap", "move_vma: after the move");
    /** move_vma, do_munmap: munlock_vma_pages_all of a VM_LOCKED old VMA. */
    public static final StepRef MREMAP_MUNLOCK = StepRef.in("mremap", "munlock_vma_pages_all");
    /** move_vma, do_munmap: detach_vmas_to_be_unmapped of the old VMA. */
    public static final StepRef MREMAP_DETACH = StepRef.in("mremap", "detach_vmas_to_be_unmapped");
    /** move_vma, do_munmap, unmap_region: tlb_gather_mmu. */
    public static final StepRef MREMAP_GATHER = StepRef.in("mremap", "tlb_gather_mmu");
    /** move_vma, do_munmap, unmap_region: unmap_vmas, unmap_single_vma. */
    public static final StepRef MREMAP_UNMAP_VMAS = StepRef.in("mremap", "unmap_single_vma");
    /** move_vma, do_munmap, unmap_region: free_pgtables. */
    public static final StepRef MREMAP_FREE_PGTABLES = StepRef.in("mremap", "free_pgtables");
    /** move_vma, do_munmap, unmap_region: tlb_finish_mmu. */
    public static final StepRef MREMAP_FINISH_MMU = StepRef.in("mremap", "tlb_finish_mmu");
    /** move_vma, do_munmap: remove_vma_list, remove_vma of the old VMA. */
    public static final StepRef MREMAP_REMOVE_VMA = StepRef.in("mremap", "remove_vma");
    // The same three steps from v6.1 (Feature.MAPLE_TREE), named as do_mas_align_munmap names them.
    /** move_vma, do_munmap, do_mas_align_munmap: munmap_sidetree of the old VMA (its locked_vm). */
    public static final StepRef MREMAP_SIDETREE = StepRef.in("mremap", "munmap_sidetree");
    /** move_vma, do_munmap, do_mas_align_munmap: the store of NULL over the old range. */
    public static final StepRef MREMAP_STORE_NULL = StepRef.in("mremap", "mas_store_prealloc(mas, NULL)");
    /** move_vma, do_munmap, do_mas_align_munmap: remove_mt, remove_vma of the old VMA. */
    public static final StepRef MREMAP_REMOVE_MT = StepRef.in("mremap", "remove_mt");
    // From v6.4 (Feature.PER_VMA_LOCK).
    /** move_vma: vma_start_write(vma) of the old VMA, before copy_vma. */
    public static final StepRef MREMAP_START_WRITE = StepRef.in("mremap", "vma_start_write(vma)");
    /** The down_write of {@link #MREMAP_START_WRITE} that waits for the old VMA's readers (v6.4 to v6.14). */
    public static final StepRef MREMAP_START_WRITE_WAIT = StepRef.in("mremap", VmaLock.waitLabel(MREMAP_START_WRITE.label()));
    /** {@link #MREMAP_START_WRITE}'s wait from v6.15. */
    public static final StepRef MREMAP_START_WRITE_REFCOUNT_WAIT = StepRef.in("mremap", VmaLock.refcountWaitLabel(MREMAP_START_WRITE.label()));
    /** The internal munmap's gather: the side-tree store and vma_mark_detached of the old VMA. */
    public static final StepRef MREMAP_MARK_DETACHED = StepRef.in("mremap", "mas_store_gfp(mas_detach), vma_mark_detached");
    /** v6.15+: vma_mark_detached finds a reader's reference left and adds VMA_LOCK_OFFSET. */
    public static final StepRef MREMAP_DETACH_ENTER_LOCKED = StepRef.in("mremap", "vma_mark_detached: __vma_enter_locked");
    /** The wait of {@link #MREMAP_DETACH_ENTER_LOCKED} for the reader's reference to go. */
    public static final StepRef MREMAP_DETACH_WAIT = StepRef.in("mremap", VmaLock.detachWaitLabel(MREMAP_DETACH_ENTER_LOCKED.label()));
    /** The internal munmap's point of no return: vma_iter_clear_gfp, map_count and locked_vm. */
    public static final StepRef MREMAP_CLEAR_TREE = StepRef.in("mremap", "vma_iter_clear_gfp");
    /** MREMAP_DONTUNMAP from v6.4: the old VMA loses VM_LOCKED and its anon_vma. */
    public static final StepRef MREMAP_DONTUNMAP_COMPLETE = StepRef.in("mremap", "vm_flags_clear(vma, VM_LOCKED_MASK), unlink_anon_vmas");
    /** v6.15+: vrm_stat_account adds the moved pages to locked_vm before the unmap. */
    public static final StepRef MREMAP_STAT_ACCOUNT = StepRef.in("mremap", "vrm_stat_account");
    /** mremap: up_write(mmap_sem). */
    public static final StepRef MREMAP_UP_WRITE = StepRef.in("mremap", "up_write");

    private Mremap() {
    }

    public static Procedure procedure(Kernel k) {
        k.require(KernelParts.NONE.withMoves(), "mremap");
        return k.program.procedure("mremap", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        Mm mm = k.mm;
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals r = Locals.of(c, k);
        MmuGather.Locals g = MmuGather.Locals.of(c, k);
        MmuGather gather = MmuGather.of(k);
        TlbFlush flush = TlbFlush.of(k);
        Ghost ghost = k.ghost;
        boolean underPtl = k.has(Feature.MREMAP_FLUSH_UNDER_PTL);
        boolean dontunmapKnown = k.has(Feature.MREMAP_DONTUNMAP);
        boolean maple = mm.maple();
        boolean perVma = mm.perVmaLocks();
        boolean lockedAtNoReturn = k.has(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN);
        boolean statBeforeUnmap = k.has(Feature.MREMAP_LOCKED_VM_BEFORE_UNMAP);
        // From v6.12 copy_vma, vma_link and the internal munmap's halves are in mm/vma.c.
        String vmaC = k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/vma.c:" : "mm/mmap.c:";

        Rwsem.downWrite(k, c, self, MREMAP_DOWN_WRITE.label());

        String resize = MREMAP_VMA_TO_RESIZE.label();
        // From v6.15 the same checks are check_prep_vma and remap_is_valid (vma_to_resize is gone).
        c.step(resize, k.src(MREMAP + (statBeforeUnmap ? "mremap_to, check_prep_vma, remap_is_valid" : "mremap_to, vma_to_resize")), s -> {
            int v = FindVma.find(k, s, self, l.start.get(s));
            boolean whole = v != Mm.NONE && mm.vmStart(s, v) == l.start.get(s) && mm.vmEnd(s, v) == l.end.get(s);
            boolean file = whole && mm.filesEnabled() && mm.vmaPfnmap.get(s, v - 1) == 1;
            boolean badFlags = r.dontunmap.get(s) == 1 && (!dontunmapKnown || file);
            if (!whole || badFlags || !hole(mm, s, r.newAddr.get(s), r.newAddr.get(s) + l.end.get(s) - l.start.get(s))) {
                fail(ghost, l, r, s);
                return;
            }
            l.vma.set(s, v);
            r.wasLocked.set(s, mm.vmaLocked.get(s, v - 1));
        }).ifGoTo(s -> l.failed.get(s) == 1, MREMAP_UP_WRITE.label());

        String copy = MREMAP_COPY_VMA.label();
        if (perVma) {
            // move_vma: vma_start_write(vma) before copy_vma ("We don't want racing faults"):
            // waits for the per-VMA-lock faults in the old VMA, and makes new ones fall back.
            VmaLock.startWrite(k, c, MREMAP_START_WRITE.label(), MREMAP + "move_vma", l.vma::slot, copy);
        }
        c.await(copy, k.src(MREMAP + "move_vma, " + vmaC + "copy_vma, vma_link"),
                s -> !mm.filesEnabled() || mm.iMmapFree(s),
                s -> {
                    int n = mm.freeVmaSlot(s);
                    if (n == Mm.NONE) {
                        fail(ghost, l, r, s);
                        return;
                    }
                    mm.copyVma(s, l.vma.deref(s), n - 1);
                    mm.vmaStart.set(s, n - 1, r.newAddr.get(s));
                    mm.vmaEnd.set(s, n - 1, r.newAddr.get(s) + l.end.get(s) - l.start.get(s));
                    if (perVma) {
                        mm.vmaWriteLocked.set(s, n - 1, 1); // vma_link: vma_start_write(vma) before the tree store
                    }
                    mm.link(s, n - 1);
                    r.newVma.set(s, n);
                    l.cursor.set(s, 0);
                }).ifGoTo(s -> l.failed.get(s) == 1, MREMAP_UP_WRITE.label());

        // move_page_tables: extent = up to the end of the old and of the new page table.
        String extent = MREMAP_EXTENT.label();
        c.step(extent, k.src(MREMAP + "move_page_tables, mm/memory.c:__pte_alloc"), s -> {
            int old = l.start.get(s) + l.cursor.get(s);
            int nw = r.newAddr.get(s) + l.cursor.get(s);
            l.page.set(s, old); // this extent's first old page, until its PTLs are dropped
            if (m.pmd.get(s, cfg.tableOf(old)) == Machine.NONE) {
                extentDone(ghost, cfg, l, r, s); // nothing mapped in this old page table: it counts as moved
                return;
            }
            int nt = cfg.tableOf(nw);
            if (m.pmd.get(s, nt) == Machine.NONE) {
                int f = m.firstFreeFrame(s);
                if (f == Machine.NONE) {
                    fail(ghost, l, r, s); // -ENOMEM; the move-back is not modelled (scenarios have frames)
                    return;
                }
                m.allocate(s, f, Machine.PAGE_TABLE, nt);
                m.pmd.set(s, nt, f);
                for (int p = nt * cfg.pagesPerTable(); p < (nt + 1) * cfg.pagesPerTable(); p++) {
                    m.pte.set(s, p, Machine.NONE);
                }
            }
        })
                .ifGoTo(s -> l.failed.get(s) == 1, MREMAP_UP_WRITE.label())
                .ifGoTo(s -> skipped(l, s) && l.start.get(s) + l.cursor.get(s) < l.end.get(s), extent)
                .ifGoTo(s -> skipped(l, s), MREMAP_MOVED.label());

        // move_ptes: old PTL, then the new one nested (the same lock when both share a table).
        String lock = MREMAP_PTE_LOCK.label();
        c.await(lock, k.src(MREMAP + "move_ptes"), s -> {
            int ot = cfg.tableOf(l.page.get(s));
            int nt = cfg.tableOf(r.newAddr.get(s) + l.page.get(s) - l.start.get(s));
            return m.ptl.get(s, ot) == 0 && m.ptl.get(s, nt) == 0;
        }, s -> {
            int old = l.page.get(s);
            m.ptl.set(s, cfg.tableOf(old), self + 1);
            m.ptl.set(s, cfg.tableOf(r.newAddr.get(s) + old - l.start.get(s)), self + 1);
            l.tableFrame.mapTableOf(s, old);
            l.cursor.set(s, nextPresent(m, s, old, extentEnd(cfg, l, r, s)) - l.start.get(s));
        });
        // From v4.13 (3ea277194daa) move_ptes calls flush_tlb_batched_pending under both PTLs, before
        // it looks at any PTE: a PTE that reclaim cleared without flushing moves nothing, so its
        // stale entry for the old address would otherwise outlive mremap.
        boolean batchedPending = k.has(Feature.FLUSH_TLB_BATCHED_PENDING);
        if (batchedPending) {
            MmuGather.checkBatchedPending(k, c);
        }
        c.ifGoTo(s -> l.start.get(s) + l.cursor.get(s) >= extentEnd(cfg, l, r, s), MREMAP_UNLOCK_NEW.label());

        c.step(MREMAP_MOVE_PTE.label(), k.src(MREMAP + "move_ptes"), s -> {
            int old = l.start.get(s) + l.cursor.get(s);
            int nw = r.newAddr.get(s) + l.cursor.get(s);
            l.tableFrame.useTable(s, old); // ptep_get_and_clear(old_pte) through the old table's pointer
            int frame = m.pte.get(s, old);
            m.pte.set(s, nw, frame);
            m.pte.set(s, old, Machine.NONE);
            if (m.frameKind.get(s, frame - 1) == Machine.ANON) {
                // The model names an anonymous page by its address: it is now the page at nw.
                m.frameOwner.set(s, frame - 1, nw);
                m.frameMovedFrom.set(s, frame - 1, old + 1);
            }
            if (underPtl) {
                l.forceFlush.set(s, 1); // pte_present: flush before either PTL is dropped
            }
            l.cursor.set(s, nextPresent(m, s, old + 1, extentEnd(cfg, l, r, s)) - l.start.get(s));
        }).ifGoTo(s -> l.start.get(s) + l.cursor.get(s) < extentEnd(cfg, l, r, s), MREMAP_MOVE_PTE.label());
        if (underPtl) {
            c.ifGoTo(s -> l.forceFlush.get(s) == 0, MREMAP_UNLOCK_NEW.label());
            // flush_tlb_range(vma, old_end - len, old_end): the old addresses of this extent.
            c.call(MREMAP_FLUSH_UNDER_PTL.label(), k.src(MREMAP + "move_ptes, flush_tlb_range"), flush.flushTlbMmRange,
                    s -> l.flushRange(s, l.page.get(s), extentEnd(cfg, l, r, s)));
        }
        String unlockNew = MREMAP_UNLOCK_NEW.label();
        c.step(unlockNew, k.src(MREMAP + "move_ptes"), s -> {
            int old = l.page.get(s);
            int nt = cfg.tableOf(r.newAddr.get(s) + old - l.start.get(s));
            if (nt != cfg.tableOf(old)) {
                m.ptl.set(s, nt, 0);
            }
            l.forceFlush.set(s, 0);
            if (!underPtl) {
                // v4.9-v4.18 (5d1904204c99): no dirty PTE forced a flush (the model has no dirty
                // bits), so *need_flush = true, whether or not a PTE moved.
                r.needFlush.set(s, 1);
            }
        });
        String unlockOld = MREMAP_UNLOCK_OLD.label();
        c.step(unlockOld, k.src(MREMAP + "move_ptes"), s -> {
            m.ptl.set(s, cfg.tableOf(l.page.get(s)), 0);
            l.tableFrame.clear(s);
            extentDone(ghost, cfg, l, r, s);
        }).ifGoTo(s -> l.start.get(s) + l.cursor.get(s) < l.end.get(s), extent);

        String moved = MREMAP_MOVED.label();
        // move_vma after move_page_tables: from v6.15 vrm_stat_account, else nothing to do there.
        String after = (statBeforeUnmap ? MREMAP_STAT_ACCOUNT : MREMAP_AFTER_MOVE).label();
        c.step(moved, k.src(MREMAP + "move_page_tables"), s -> {
            l.cursor.set(s, 0);
            l.page.set(s, 0);
        });
        if (!underPtl) {
            c.ifGoTo(s -> r.needFlush.get(s) == 0, after);
            // flush_tlb_range(vma, old_end - len, old_addr): the old range moved.
            c.call(MREMAP_FLUSH_NEED_FLUSH.label(), k.src(MREMAP + "move_page_tables, flush_tlb_range"), flush.flushTlbMmRange,
                    s -> {
                        r.needFlush.set(s, 0);
                        l.flushRange(s, l.start.get(s), l.end.get(s));
                    });
        }
        String gatherLabel = (perVma ? MREMAP_MARK_DETACHED : maple ? MREMAP_SIDETREE : MREMAP_MUNLOCK).label();
        c.step(after, k.src(MREMAP + (statBeforeUnmap ? "move_vma, vrm_stat_account" : "move_vma")), s -> {
            if (statBeforeUnmap && r.wasLocked.get(s) == 1) {
                // v6.15+: the source is still VM_LOCKED here, with or without MREMAP_DONTUNMAP.
                mm.lockedVm.set(s, mm.lockedVm.get(s) + l.end.get(s) - l.start.get(s));
            }
        }).ifGoTo(s -> r.dontunmap.get(s) == 0, gatherLabel);
        if (dontunmapKnown) {
            String clearLocked = (perVma ? MREMAP_DONTUNMAP_COMPLETE : MREMAP_CLEAR_LOCKED).label();
            c.step(clearLocked, k.src(MREMAP + (statBeforeUnmap ? "dontunmap_complete" : "move_vma")), s -> {
                int v = l.vma.deref(s);
                mm.vmaLocked.set(s, v, 0); // locked_vm is not touched (before v6.15): nothing is unmapped
                if (perVma) {
                    mm.vmaAnonVma.set(s, v, 0); // unlink_anon_vmas: the whole VMA moved, vma->anon_vma = NULL
                }
                clear(ghost, l, r, s);
            }).goTo(MREMAP_UP_WRITE.label());
        }

        // do_munmap(mm, old_addr, old_len): the whole old VMA, so no split. From v6.1 it is
        // do_mas_align_munmap: munmap_sidetree subtracts locked_vm (this step), one tree store
        // removes the VMA (the next), remove_mt frees it; under the write lock the same effects.
        // From 606c812eb1d5 the gather only adds the pages to a local and the store subtracts
        // them; the model reads them off the VMA there, which the write locks keep unchanged.
        // From v6.4 do_vmi_munmap(unlock = false): the gather's vma_start_write finds the VMA
        // write-locked (move_vma did it) and marks it detached.
        String gathering = perVma ? vmaC + (k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "vms_gather_munmap_vmas" : "do_vmi_align_munmap")
                + ", mas_store_gfp, vma_mark_detached"
                : "mm/mmap.c:do_munmap, " + (maple ? "do_mas_align_munmap, munmap_sidetree" : "munlock_vma_pages_all");
        // From v6.4 the gather's own vma_start_write finds the old VMA write-locked by move_vma and
        // returns at once, so it has no step; the guard is the wait it would make for the VMA's
        // readers if move_vma had not locked it (only a mutant gets there), so that the mark is
        // never made under a reader.
        c.await(gatherLabel, k.src(MREMAP + "move_vma, " + gathering),
                s -> !perVma || writeLockedOrUnread(mm, l, s), s -> {
            int v = l.vma.deref(s);
            if (perVma) {
                mm.vmaWriteLocked.set(s, v, 1);
                VmaLock.markDetached(mm, s, v);
            }
            if (!lockedAtNoReturn && mm.lockedVm.get(s) != 0 && mm.vmaLocked.get(s, v) == 1) {
                mm.lockedVm.set(s, mm.lockedVm.get(s) - mm.pages(s, v));
                mm.vmaLocked.set(s, v, 0);
            }
        });
        String clearLabel = (perVma ? MREMAP_CLEAR_TREE : maple ? MREMAP_STORE_NULL : MREMAP_DETACH).label();
        if (k.has(Feature.VMA_REFCOUNT)) {
            // v6.15: vma_mark_detached waits for a reader's transient reference (one that passed
            // vma_start_read's early check before move_vma's vma_start_write).
            c.ifGoTo(s -> !detaching(mm, l, s), clearLabel);
            VmaLock.markDetachedWait(k, c, MREMAP_DETACH_ENTER_LOCKED.label(), vmaC + "vms_gather_munmap_vmas",
                    s -> detaching(mm, l, s) ? l.vma.deref(s) : -1);
        }
        String clearTree = perVma ? vmaC + "do_vmi_align_munmap, vma_iter_clear_gfp"
                : "mm/mmap.c:" + (maple ? "do_mas_align_munmap, mas_store_prealloc" : "do_munmap, detach_vmas_to_be_unmapped");
        c.step(clearLabel, k.src(clearTree), s -> {
            int v = l.vma.deref(s);
            l.prev.set(s, mm.prevInTree(s, v));
            r.next.set(s, mm.unlink(s, v));
            if (lockedAtNoReturn && mm.vmaLocked.get(s, v) == 1) {
                mm.lockedVm.set(s, mm.lockedVm.get(s) - mm.pages(s, v)); // mm->locked_vm -= locked_vm
            }
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) + 1);
        });
        String region = k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/vma.c:vms_clear_ptes" : "mm/mmap.c:unmap_region";
        c.call(MREMAP_GATHER.label(), k.src(region), gather.tlbGatherMmu,
                s -> gather.recordRange(g, s, l.start.get(s), l.end.get(s)));
        String unmap = MREMAP_UNMAP_VMAS.label();
        c.call(unmap, k.src("mm/memory.c:unmap_vmas, unmap_single_vma"), gather.zapPteRange, s -> {
            g.zapAddr.set(s, l.start.get(s));
            g.zapEnd.set(s, l.end.get(s));
            l.cursor.set(s, l.vma.get(s));
        });
        TlbEndVma.steps(k, c, l.cursor, MREMAP_FREE_PGTABLES.label());
        String free = MREMAP_FREE_PGTABLES.label();
        c.call(free, k.src(region), gather.freePgtables, s -> {
            int n = r.next.get(s);
            l.cursor.set(s, 0);
            g.floor.set(s, l.prev.get(s) != Mm.NONE ? mm.vmaEnd.get(s, l.prev.deref(s)) : 0);
            g.ceiling.set(s, n != Mm.NONE ? mm.vmStart(s, n) : cfg.pages());
        });
        c.call(MREMAP_FINISH_MMU.label(), k.src(region), gather.tlbFinishMmu);
        // v6.12+ has no remove_mt: vms_complete_munmap_vmas calls remove_vma itself.
        String remove = (maple && !k.has(Feature.MUNMAP_GATHER_COMPLETE) ? MREMAP_REMOVE_MT : MREMAP_REMOVE_VMA).label();
        String removeSource = k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/vma.c:vms_complete_munmap_vmas"
                : "mm/mmap.c:" + (maple ? "remove_mt" : "remove_vma_list");
        c.step(remove, k.src(removeSource + ", remove_vma"), s -> {
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) - 1);
            mm.vmAreaFree(s, l.vma.deref(s)); // v6.4 to v6.14 after an RCU grace period; v6.15+ type-stable, at once
            if (statBeforeUnmap) {
                clear(ghost, l, r, s); // locked_vm was added before the unmap
            }
        });
        if (!statBeforeUnmap) {
            String account = MREMAP_ACCOUNT.label();
            c.step(account, k.src(MREMAP + "move_vma"), s -> {
                if (r.wasLocked.get(s) == 1) {
                    mm.lockedVm.set(s, mm.lockedVm.get(s) + l.end.get(s) - l.start.get(s));
                }
                clear(ghost, l, r, s);
            });
        }

        Rwsem.upWrite(k, c, self, MREMAP_UP_WRITE.label()).ret();

        if (batchedPending) {
            MmuGather.flushBatchedPending(k, c, flush);
            c.ifGoTo(s -> l.start.get(s) + l.cursor.get(s) >= extentEnd(cfg, l, r, s), MREMAP_UNLOCK_NEW.label())
                    .goTo(MREMAP_MOVE_PTE.label());
        }
    }

    /** v6.15+: the old VMA's count still holds a reader's reference or the detaching writer's offset. */
    private static boolean detaching(Mm mm, ThreadLocals l, long[] s) {
        int v = l.vma.deref(s);
        return VmaLock.hasReaders(mm, s, v) || mm.vmaLockWriter.get(s, v) == 1;
    }

    /** The extent is moved (or skipped): the cursor goes to its end, and I9 watches it from now on. */
    private static void extentDone(Ghost ghost, MachineConfig cfg, ThreadLocals l, Locals r, long[] s) {
        int end = extentEnd(cfg, l, r, s);
        l.cursor.set(s, end - l.start.get(s));
        ghost.recordMoved(s, l.start.get(s), end);
    }

    /** vma_start_write of the old VMA would not wait: it is write-locked already, or has no readers. */
    private static boolean writeLockedOrUnread(Mm mm, ThreadLocals l, long[] s) {
        int v = l.vma.slot(s);
        return mm.vmaWriteLocked.get(s, v) == 1 || !VmaLock.hasReaders(mm, s, v);
    }

    /** The extent step skipped an old page table with no PMD (the cursor moved past page). */
    private static boolean skipped(ThreadLocals l, long[] s) {
        return l.start.get(s) + l.cursor.get(s) != l.page.get(s);
    }

    /** No in-tree VMA overlaps [lo, hi) and it lies inside the address space. */
    private static boolean hole(Mm mm, long[] s, int lo, int hi) {
        if (hi > mm.config.pages()) {
            return false;
        }
        int v = mm.findInTree(s, lo);
        return v == Mm.NONE || mm.vmStart(s, v) >= hi;
    }

    /** The end (an old page) of the extent being moved: the end of the old and the new page table, or of the range. */
    private static int extentEnd(MachineConfig cfg, ThreadLocals l, Locals r, long[] s) {
        int off = l.page.get(s) - l.start.get(s);
        int old = l.page.get(s);
        int nw = r.newAddr.get(s) + off;
        int oldLeft = (cfg.tableOf(old) + 1) * cfg.pagesPerTable() - old;
        int newLeft = (cfg.tableOf(nw) + 1) * cfg.pagesPerTable() - nw;
        return Math.min(l.end.get(s), old + Math.min(oldLeft, newLeft));
    }

    private static int nextPresent(Machine m, long[] s, int from, int to) {
        for (int p = from; p < to; p++) {
            if (m.pte.get(s, p) != Machine.NONE) {
                return p;
            }
        }
        return to;
    }

    /** An error before anything moved: nothing changed, so the return promises nothing (empty range for I2). */
    private static void fail(Ghost ghost, ThreadLocals l, Locals r, long[] s) {
        l.failed.set(s, 1);
        l.end.set(s, l.start.get(s));
        clear(ghost, l, r, s);
    }

    /** The end of the call: its locals and the ghost's moved range (I9) are reset. */
    private static void clear(Ghost ghost, ThreadLocals l, Locals r, long[] s) {
        ghost.clearMoved(s);
        l.vma.set(s, Mm.NONE);
        l.prev.set(s, Mm.NONE);
        l.cursor.set(s, 0);
        l.page.set(s, 0);
        r.newVma.set(s, Mm.NONE);
        r.wasLocked.set(s, 0);
        r.needFlush.set(s, 0);
        r.next.set(s, Mm.NONE);
    }
}
