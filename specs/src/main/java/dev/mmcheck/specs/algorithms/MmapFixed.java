package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.TlbEndVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) over a range
 * that may hold mapped VMAs, as v6.12 does it ({@link Feature#MUNMAP_GATHER_COMPLETE}; mm/util.c
 * vm_mmap_pgoff, mm/mmap.c __mmap_region 1361-1578, mm/vma.c; read in 6.12.0 and 6.18.2). Under the
 * mmap write lock: gather the old VMAs as munmap does (vms_gather_munmap_vmas: split the first at
 * addr and the last at end, write-lock each, store it in a side tree and mark it detached, while
 * it stays in the mm's tree), clear their PTEs and page tables (vms_clean_up_area →
 * vms_clear_ptes), then either expand a neighbour over the range (vma_merge_new_range →
 * vma_expand → commit_merge, removing next when both sides merge) or store a new VMA over it
 * (vma_iter_store), in one store either way, so an RCU walker finds the old VMAs or their
 * replacement, never a gap; then complete the old ones (vms_complete_munmap_vmas without the
 * downgrade: remove_vma of each, freed after an RCU grace period), and mmap_write_unlock.
 *
 * <p>The scenario's validation ({@code Op.Kind.MMAP_FIXED}) keeps to what the model can decide:
 * private anonymous VMAs or mappings of the file (shared or VM_PFNMAP) in the range (a file VMA
 * leaves the file's i_mmap in vms_clear_ptes' free_pgtables, before the store), a merge on both sides only with the two parts of one VMA
 * (whose anon_vma is one), no other operation that changes VMA bounds, and a VMA object for each
 * split and each mmap (vm_area_alloc cannot fail). Where the scenario injects -ENOMEM into tree
 * stores, the gather's side-tree store may fail (its error labels give the VMAs back), so may
 * commit_merge's preallocation (no merge: a new VMA instead) and vma_iter_prealloc of the new VMA
 * after the old PTEs were cleared: then vms_abort_munmap_vmas stores NULL over the range and
 * completes the old VMAs (mm/vma.h 240-259 in 6.12.0; mm/vma.c 2304-2323 and __mmap_new_vma in
 * 6.18.2), and mmap returns -ENOMEM with a gap. Before v6.12 mmap_region unmaps with a whole
 * munmap first (the old VMAs leave the tree before the new one is stored); the model does not
 * have that form.
 *
 * <p>Steps: under the write lock only RCU walkers (lock_vma_under_rcu) run beside it, and they
 * see a tree store before or after; a VMA whose bounds change is write-locked, so they fall back
 * before reading them. So vm_area_alloc, vma_start_write of the new VMA (no reader can hold it)
 * and map_count are merged into the store, commit_merge's vma_set_range into its store, and the
 * complete's map_count and locked_vm (read only under the write lock) into its remove_vma step.
 */
public final class MmapFixed {
    private static final String MMAP = "mm/mmap.c:__mmap_region";
    private static final String VMA = "mm/vma.c:";

    /** vm_mmap_pgoff: mmap_write_lock_killable. */
    public static final StepRef DOWN_WRITE = StepRef.in("mmap_fixed", "mmap_write_lock_killable");
    /** __mmap_region: vma = vma_find(&vmi, end), the first old VMA, and prev for the floor. */
    public static final StepRef VMA_FIND = StepRef.in("mmap_fixed", "vma_find(&vmi, end)");
    // vms_gather_munmap_vmas' splits: the steps of munmap's gather (MapleMunmap.gatherSteps), here.
    /** __split_vma(vma, addr, 1): vm_area_dup, -ENOMEM when no VMA object is free. */
    public static final StepRef SPLIT_START_DUP = StepRef.in("mmap_fixed", Munmap.SPLIT_START_DUP.label());
    /** __split_vma(vma, addr, 1): vma_start_write(vma), which waits for its per-VMA readers. */
    public static final StepRef SPLIT_START_WRITE = StepRef.in("mmap_fixed", Munmap.SPLIT_START_WRITE.label());
    /** __split_vma(vma, addr, 1): the lower part [vm_start, addr) is the new VMA, vms->prev. */
    public static final StepRef SPLIT_START = StepRef.in("mmap_fixed", Munmap.SPLIT_START.label());
    /** __split_vma(next, end, 0): vm_area_dup. */
    public static final StepRef SPLIT_END_DUP = StepRef.in("mmap_fixed", Munmap.SPLIT_END_DUP.label());
    /** __split_vma(next, end, 0): vma_start_write(next). */
    public static final StepRef SPLIT_END_WRITE = StepRef.in("mmap_fixed", Munmap.SPLIT_END_WRITE.label());
    /** __split_vma(next, end, 0): the upper part [end, vm_end) is the new VMA, vms->next. */
    public static final StepRef SPLIT_NEXT_END = StepRef.in("mmap_fixed", Munmap.SPLIT_NEXT_END.label());
    /** The wait of {@link #SPLIT_START_WRITE}. */
    public static final StepRef SPLIT_START_WRITE_WAIT = StepRef.in("mmap_fixed", Munmap.SPLIT_START_WRITE_WAIT.label());
    /** The wait of {@link #SPLIT_END_WRITE}. */
    public static final StepRef SPLIT_END_WRITE_WAIT = StepRef.in("mmap_fixed", Munmap.SPLIT_END_WRITE_WAIT.label());
    /** {@link #SPLIT_START_WRITE}'s wait from v6.15. */
    public static final StepRef SPLIT_START_WRITE_REFCOUNT_WAIT = StepRef.in("mmap_fixed", Munmap.SPLIT_START_WRITE_REFCOUNT_WAIT.label());
    /** {@link #SPLIT_END_WRITE}'s wait from v6.15. */
    public static final StepRef SPLIT_END_WRITE_REFCOUNT_WAIT = StepRef.in("mmap_fixed", Munmap.SPLIT_END_WRITE_REFCOUNT_WAIT.label());
    /** vms_gather_munmap_vmas: userfaultfd_unmap_prep(next, start, end, uf) of a registered VMA, queued for vm_mmap_pgoff's userfaultfd_unmap_complete. */
    public static final StepRef UNMAP_PREP = StepRef.in("mmap_fixed", Munmap.UNMAP_PREP.label());
    /** {@link #UNMAP_PREP}'s down_write(map_changing_lock) (v6.9+). */
    public static final StepRef UNMAP_PREP_DOWN_WRITE = StepRef.in("mmap_fixed", Munmap.UNMAP_PREP_DOWN_WRITE.label());
    /** vms_gather_munmap_vmas: vma_start_write(next), which waits for the VMA's per-VMA readers. */
    public static final StepRef GATHER_START_WRITE = StepRef.in("mmap_fixed", "vma_start_write(next)");
    /** vms_gather_munmap_vmas: mas_store_gfp(mas_detach, next), vma_mark_detached(next, true). */
    public static final StepRef GATHER = StepRef.in("mmap_fixed", "mas_store_gfp(mas_detach, next)");
    /** vms_gather_munmap_vmas from v6.15: vma_mark_detached(next) waits for a reader's reference ({@link Munmap#DETACH_ENTER_LOCKED}). */
    public static final StepRef DETACH_ENTER_LOCKED = StepRef.in("mmap_fixed", Munmap.DETACH_ENTER_LOCKED.label());
    /** The wait of {@link #DETACH_ENTER_LOCKED}. */
    public static final StepRef DETACH_WAIT = StepRef.in("mmap_fixed", Munmap.DETACH_WAIT.label());
    /** The next VMA of the side tree in vms_clear_ptes' unmap_vmas. */
    public static final StepRef NEXT_VMA = StepRef.in("mmap_fixed", "unmap_vmas: vma = mas_find(mas_detach)");
    /** __mmap_region: vm_area_alloc, vma_start_write(vma), vma_iter_store(&vmi, vma), map_count++. */
    public static final StepRef STORE = StepRef.in("mmap_fixed", "vma_iter_store(&vmi, vma)");
    /**
     * vma_merge_new_range: can the new range merge with prev (can_vma_merge_left) or next
     * (can_vma_merge_right)? The VMA to expand (vmg->target) and the one to remove with it.
     */
    public static final StepRef MERGE_NEW_RANGE = StepRef.in("mmap_fixed", "vma_merge_new_range");
    /** vma_expand: vma_start_write(target), which waits for its per-VMA readers. */
    public static final StepRef EXPAND_START_WRITE = StepRef.in("mmap_fixed", "vma_expand: vma_start_write(target)");
    /** vma_expand: vma_start_write(next), the VMA that merging on both sides removes. */
    public static final StepRef EXPAND_START_WRITE_NEXT = StepRef.in("mmap_fixed", "vma_expand: vma_start_write(next)");
    /**
     * commit_merge: vma_iter_prealloc, vma_set_range(target), vma_iter_store over the merged
     * range (the old VMAs and a removed next leave the tree in it); vma_complete's
     * vma_mark_detached(next); dup_anon_vma.
     */
    public static final StepRef COMMIT_MERGE = StepRef.in("mmap_fixed", "commit_merge: vma_iter_store");
    /** {@link #COMMIT_MERGE}: vma_iter_prealloc failed (-ENOMEM, injected): no merge, a new VMA is allocated. */
    public static final StepRef COMMIT_MERGE_ENOMEM = COMMIT_MERGE.choice(Munmap.SIDETREE_ENOMEM.choice());
    /** {@link #COMMIT_MERGE}: the merged range is stored. */
    public static final StepRef COMMIT_MERGE_STORED = COMMIT_MERGE.choice(Munmap.SIDETREE_STORED.choice());
    /** vma_complete from v6.15: vma_mark_detached(next) waits for a reader's reference. */
    public static final StepRef REMOVE_NEXT_DETACH_ENTER = StepRef.in("mmap_fixed", "vma_complete: vma_mark_detached(next): __vma_enter_locked");
    /** The wait of {@link #REMOVE_NEXT_DETACH_ENTER}. */
    public static final StepRef REMOVE_NEXT_DETACH_WAIT = StepRef.in("mmap_fixed", VmaLock.detachWaitLabel(REMOVE_NEXT_DETACH_ENTER.label()));
    /** vma_complete: map_count--, vm_area_free(next). */
    public static final StepRef REMOVE_NEXT = StepRef.in("mmap_fixed", "vma_complete: vm_area_free(next)");
    /** The down_write of {@link #EXPAND_START_WRITE} that waits for the target's readers. */
    public static final StepRef EXPAND_START_WRITE_WAIT = StepRef.in("mmap_fixed", VmaLock.waitLabel(EXPAND_START_WRITE.label()));
    /** The down_write of {@link #EXPAND_START_WRITE_NEXT} that waits for next's readers. */
    public static final StepRef EXPAND_START_WRITE_NEXT_WAIT = StepRef.in("mmap_fixed", VmaLock.waitLabel(EXPAND_START_WRITE_NEXT.label()));
    /** {@link #EXPAND_START_WRITE}'s wait from v6.15. */
    public static final StepRef EXPAND_START_WRITE_REFCOUNT_WAIT = StepRef.in("mmap_fixed", VmaLock.refcountWaitLabel(EXPAND_START_WRITE.label()));
    /** {@link #EXPAND_START_WRITE_NEXT}'s wait from v6.15. */
    public static final StepRef EXPAND_START_WRITE_NEXT_REFCOUNT_WAIT = StepRef.in("mmap_fixed",
            VmaLock.refcountWaitLabel(EXPAND_START_WRITE_NEXT.label()));
    /** vms_complete_munmap_vmas: map_count, locked_vm, remove_vma of each old VMA. */
    public static final StepRef COMPLETE = StepRef.in("mmap_fixed", "vms_complete_munmap_vmas");
    /** vm_mmap_pgoff: mmap_write_unlock. */
    public static final StepRef UP_WRITE = StepRef.in("mmap_fixed", "mmap_write_unlock");
    /** {@link #GATHER}'s side-tree store failed (-ENOMEM, injected): munmap_gather_failed, reattach_vmas. */
    public static final StepRef GATHER_ENOMEM = GATHER.choice(Munmap.SIDETREE_ENOMEM.choice());
    /** {@link #GATHER}'s side-tree store succeeded. */
    public static final StepRef GATHER_STORED = GATHER.choice(Munmap.SIDETREE_STORED.choice());
    /** {@link #STORE}: vma_iter_prealloc failed (-ENOMEM, injected) after the old PTEs were cleared. */
    public static final StepRef STORE_ENOMEM = STORE.choice(Munmap.SIDETREE_ENOMEM.choice());
    /** {@link #STORE}: the new VMA is stored. */
    public static final StepRef STORE_STORED = STORE.choice(Munmap.SIDETREE_STORED.choice());
    /**
     * vms_abort_munmap_vmas after {@link #STORE_ENOMEM}: the old PTEs are gone, so the old VMAs
     * cannot come back: mas_store_gfp(NULL) over the range leaves a gap, then the old VMAs are
     * completed as by munmap.
     */
    public static final StepRef ABORT_STORE_NULL = StepRef.in("mmap_fixed", "vms_abort_munmap_vmas: mas_store_gfp(mas, NULL)");
    /** mmap_write_lock_killable queues as a waiting writer. */
    public static final StepRef DOWN_WRITE_QUEUE = StepRef.in("mmap_fixed", Rwsem.queueLabel(DOWN_WRITE.label()));
    /** The down_write of {@link #GATHER_START_WRITE} that waits for the old VMA's readers. */
    public static final StepRef GATHER_START_WRITE_WAIT = StepRef.in("mmap_fixed", VmaLock.waitLabel(GATHER_START_WRITE.label()));
    /** {@link #GATHER_START_WRITE}'s wait from v6.15 (__vma_enter_locked on vm_refcnt). */
    public static final StepRef GATHER_START_WRITE_REFCOUNT_WAIT = StepRef.in("mmap_fixed",
            VmaLock.refcountWaitLabel(GATHER_START_WRITE.label()));
    // vms_clean_up_area → vms_clear_ptes: the steps of Munmap.unmapRegion, in this procedure.
    /** vms_clear_ptes: tlb_gather_mmu. */
    public static final StepRef TLB_GATHER = StepRef.in("mmap_fixed", Munmap.GATHER.label());
    /** vms_clear_ptes: unmap_vmas → unmap_single_vma of an old VMA. */
    public static final StepRef UNMAP_VMAS = StepRef.in("mmap_fixed", Munmap.UNMAP_VMAS.label());
    /** vms_clear_ptes: free_pgtables between prev and next. */
    public static final StepRef FREE_PGTABLES = StepRef.in("mmap_fixed", Munmap.FREE_PGTABLES.label());
    /** vms_clear_ptes: tlb_finish_mmu. */
    public static final StepRef FINISH = StepRef.in("mmap_fixed", Munmap.FINISH.label());
    /** unmap_vmas: tlb_end_vma's check of the gather. */
    public static final StepRef TLB_END_VMA = StepRef.in("mmap_fixed", TlbEndVma.CHECK);
    /** unmap_vmas: tlb_end_vma's flush. */
    public static final StepRef TLB_END_VMA_FLUSH = StepRef.in("mmap_fixed", TlbEndVma.FLUSH);
    /** unmap_vmas: tlb_end_vma's __tlb_reset_range. */
    public static final StepRef TLB_END_VMA_RESET = StepRef.in("mmap_fixed", TlbEndVma.RESET);

    private MmapFixed() {
    }

    /** The procedure {@code mmap_fixed}; build it once per kernel. */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("mmap_fixed", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        Mm mm = k.mm;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Field next = c.local("next", Mm.NONE, k.config.vmaSlots());
        Field lockedVm = c.local("locked_vm", 0, k.config.pages());
        // vma_merge_new_range's vmg->target (the VMA expanded over the range) and the next it removes.
        Field target = c.local("merge_target", Mm.NONE, k.config.vmaSlots());
        Field remove = c.local("merge_remove", Mm.NONE, k.config.vmaSlots());
        // From v6.13 __mmap_region and its parts live in mm/vma.c (MMAP_REGION_IN_VMA_C).
        boolean inVmaC = k.has(Feature.MMAP_REGION_IN_VMA_C);
        String prepare = inVmaC ? VMA + "__mmap_prepare" : MMAP;
        String newVma = inVmaC ? VMA + "__mmap_new_vma" : MMAP;
        String abort = (inVmaC ? VMA : "mm/vma.h:") + "vms_abort_munmap_vmas";

        Rwsem.downWrite(k, c, self, DOWN_WRITE.label());

        // vma_find(&vmi, end): the first VMA that ends above addr, if it starts below end; prev
        // (vma_prev in the gather) bounds free_pgtables' floor. No old VMA: nothing to gather.
        c.step(VMA_FIND.label(), k.src(prepare + ", vma_find"), s -> {
            int v = mm.findInTree(s, l.start.get(s));
            if (v == Mm.NONE || mm.vmStart(s, v) >= l.end.get(s)) {
                l.prev.set(s, mm.lastBelow(s, l.start.get(s))); // vma_iter_next_rewind(&vmi, &vmg.prev)
                next.set(s, v);
                return;
            }
            l.vma.set(s, v);
            l.cursor.set(s, v);
            l.prev.set(s, mm.prevInTree(s, v - 1));
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, MERGE_NEW_RANGE.label());

        // vms_gather_munmap_vmas, as munmap's gather: split the first VMA at addr and the last at
        // end, then for each VMA of the range vma_start_write(next), mas_store_gfp into the side
        // tree, vma_mark_detached(next, true), locked pages added up; the VMAs stay in the mm's
        // tree. An error (a split without a VMA object, or an injected -ENOMEM of the side-tree
        // store) gives the gathered VMAs back (reattach_vmas) and mmap returns it: gather_failed.
        // With a userfaultfd, each gathered VMA that is registered preps an UNMAP event (do_mmap
        // passes vm_mmap_pgoff's uf list), which vm_mmap_pgoff delivers after mmap_write_unlock.
        boolean prepEach = k.userfaultfd.present() && k.has(Feature.UFFD_UNMAP_PREP_PER_VMA);
        MapleMunmap.gatherSteps(k, c, l, new MapleMunmap.Gathering(GATHER.label(), UP_WRITE.label(), TLB_GATHER.label(),
                next, lockedVm, null, prepEach));

        // vms_clean_up_area → vms_clear_ptes(vms, mas_detach, true): while the old VMAs are still
        // in the tree, so rmap cannot race with their freeing later.
        Munmap.unmapRegion(k, c, next, self, NEXT_VMA, s -> { });

        // vma_merge_new_range(&vmg), after vms_clean_up_area: expand prev over the range when it
        // ends at addr and the new VMA could be its continuation (can_vma_merge_left), or next when
        // it starts at end (can_vma_merge_right); with both, prev takes next's range too and next
        // is removed. Private anonymous read-write VMAs of one mm are mergeable unless mlocked, a
        // stack, a file's or registered with userfaultfd: the model's VMAs keep vm_pgoff = vm_start
        // (none is moved beside mmap) and merge on both sides only as the parts of one VMA, whose
        // anon_vma is one (the scenario's validation: one mmap, nothing else changes VMA bounds;
        // no fault sets one up under the mmap write lock), so the anon_vma checks pass (6.12.0
        // is_mergeable_anon_vma, are_anon_vmas_compatible; 6.18.2 mm/vma.c 75-130, 452-455).
        c.step(MERGE_NEW_RANGE.label(), k.src(VMA + "vma_merge_new_range, can_vma_merge_left, can_vma_merge_right"), s -> {
            int prev = l.prev.get(s);
            int after = next.get(s);
            boolean left = mergeable(k, s, prev) && mm.vmEnd(s, prev) == l.start.get(s);
            boolean right = mergeable(k, s, after) && mm.vmStart(s, after) == l.end.get(s);
            target.set(s, left ? prev : right ? after : Mm.NONE);
            remove.set(s, left && right ? after : Mm.NONE);
        }).ifGoTo(s -> target.get(s) == Mm.NONE, STORE.label());
        // vma_expand: vma_start_write(target); with a next to remove, vma_start_write(next) and
        // dup_anon_vma(target, next). Each waits for the VMA's per-VMA readers (a part that the
        // gather split is write-locked already).
        String expand = VMA + "vma_expand";
        VmaLock.startWrite(k, c, EXPAND_START_WRITE.label(), expand, s -> target.get(s) - 1, s -> remove.get(s) == Mm.NONE,
                COMMIT_MERGE.label(), EXPAND_START_WRITE_NEXT.label());
        VmaLock.startWrite(k, c, EXPAND_START_WRITE_NEXT.label(), expand, s -> remove.get(s) - 1, COMMIT_MERGE.label());
        // commit_merge: vma_iter_prealloc (may fail where the scenario injects -ENOMEM: nothing
        // changed, vma_merge_new_range returns NULL and mmap allocates a new VMA), then
        // vma_set_range(target) and one store of the merged range, which takes the old VMAs and
        // a removed next out of the tree; their map_count goes with it (vms_complete_munmap_vmas
        // and vma_complete). vma_complete marks next detached, then frees it.
        boolean refcount = k.has(Feature.VMA_REFCOUNT);
        MapleMunmap.storeMayFail(k, c, COMMIT_MERGE.label(), k.src(VMA + "commit_merge, vma_set_range, vma_iter_store, vma_complete"), s -> {
            int t = target.get(s) - 1;
            int r = remove.get(s);
            int merged = MapleMunmap.clearGatheredFromTree(mm, s);
            int start = Math.min(mm.vmaStart.get(s, t), l.start.get(s));
            int end = Math.max(mm.vmaEnd.get(s, t), l.end.get(s));
            if (r != Mm.NONE) {
                end = mm.vmEnd(s, r);
                mm.vmaInTree.set(s, r - 1, 0);
                mm.vmaAnonVma.set(s, t, mm.vmaAnonVma.get(s, t) | mm.vmaAnonVma.get(s, r - 1)); // dup_anon_vma
                VmaLock.markDetached(mm, s, r - 1);
            }
            mm.vmaStart.set(s, t, start);
            mm.vmaEnd.set(s, t, end);
            mm.mapCount.set(s, mm.mapCount.get(s) - merged);
        }, s -> {
            target.set(s, Mm.NONE);
            remove.set(s, Mm.NONE);
        }, STORE.label());
        c.ifGoTo(s -> remove.get(s) == Mm.NONE, COMPLETE.label());
        // From v6.15 vma_mark_detached(next) waits for a reader's reference. The scenarios' next
        // is always the upper part the gather split off, write-locked from its creation, so no
        // reader's increment gets past vma_start_read's early check and this wait never runs there.
        if (refcount) {
            c.ifGoTo(s -> removing(mm, s, remove) < 0, REMOVE_NEXT.label());
            VmaLock.markDetachedWait(k, c, REMOVE_NEXT_DETACH_ENTER.label(), VMA + "vma_complete", s -> removing(mm, s, remove));
        }
        c.step(REMOVE_NEXT.label(), k.src(VMA + "vma_complete, vm_area_free"), s -> {
            mm.mapCount.set(s, mm.mapCount.get(s) - 1);
            mm.vmAreaFree(s, remove.get(s) - 1);
            remove.set(s, Mm.NONE);
        }).goTo(COMPLETE.label());

        // vm_area_alloc, vma_set_range, vma_set_anonymous; vma_start_write(vma);
        // vma_iter_store(&vmi, vma) over [addr, end); mm->map_count++. The store replaces the old
        // VMAs in the tree at once; their map_count is subtracted here too (vms_complete_munmap_vmas).
        // vma_iter_prealloc may fail where the scenario injects -ENOMEM: free_vma, then
        // vms_abort_munmap_vmas (below). It allocates before anything shared changes.
        MapleMunmap.storeMayFail(k, c, STORE.label(), k.src(newVma + ", vm_area_alloc, vma_iter_prealloc, vma_start_write, vma_iter_store"), s -> {
            int v = mm.freeVmaSlot(s);
            if (v == Mm.NONE) {
                throw new IllegalStateException("mmap_fixed: no free VMA object; the scenario's validation keeps one free");
            }
            int replaced = MapleMunmap.clearGatheredFromTree(mm, s);
            mm.newAnonymousVma(s, v - 1, l.start.get(s), l.end.get(s));
            if (mm.perVmaLocks()) {
                mm.vmaWriteLocked.set(s, v - 1, 1);
            }
            mm.vmaInTree.set(s, v - 1, 1);
            mm.mapCount.set(s, mm.mapCount.get(s) + 1 - replaced);
        }, s -> l.failed.set(s, 1), code -> code.ifGoTo(s -> l.vma.get(s) == Mm.NONE, UP_WRITE.label()).goTo(ABORT_STORE_NULL.label()));

        // vms_complete_munmap_vmas(&vms, &mas_detach), unlock = false: locked_vm -= the gathered
        // VM_LOCKED pages; vms_clear_ptes has nothing left to do; remove_vma of each old VMA.
        c.step(COMPLETE.label(), k.src(VMA + "vms_complete_munmap_vmas, remove_vma"), s -> {
            mm.lockedVm.set(s, mm.lockedVm.get(s) - lockedVm.get(s));
            lockedVm.set(s, 0);
            for (int v = 0; v < k.config.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1) {
                    mm.vmaInSideTree.set(s, v, 0);
                    mm.vmAreaFree(s, v);
                }
            }
            Munmap.clear(l, s);
            next.set(s, Mm.NONE);
            target.set(s, Mm.NONE);
        });

        // Every exit ends with the call's locals as they began (gather_failed leaves the gathered
        // pages' sum behind; a failed store into a gap, prev and next of the gap).
        Rwsem.upWrite(k, c, self, UP_WRITE.label(), s -> {
            lockedVm.set(s, 0);
            next.set(s, Mm.NONE);
            target.set(s, Mm.NONE);
            remove.set(s, Mm.NONE);
            l.prev.set(s, Mm.NONE);
        });
        c.ret();

        // vms_abort_munmap_vmas (not when nothing was gathered: it returns at once, 6.12.0
        // mm/vma.h 244, 6.18.2 mm/vma.c 2309): vms->clear_ptes is false (vms_clean_up_area cleared them), so
        // mas_store_gfp(mas, NULL, __GFP_NOFAIL) over [addr, end) removes the old VMAs from the
        // tree (the "unfortunate gap"), and vms_complete_munmap_vmas finishes them. The caller
        // gets -ENOMEM with the range unmapped; the flush was done, so I2 still holds for it.
        c.step(ABORT_STORE_NULL.label(), k.src(abort + ", mas_store_gfp"), s -> {
            mm.mapCount.set(s, mm.mapCount.get(s) - MapleMunmap.clearGatheredFromTree(mm, s));
        }).goTo(COMPLETE.label());
    }

    /**
     * Could the new private anonymous read-write VMA continue {@code vma} (+ 1; NONE: no)?
     * is_mergeable_vma: the same vm_flags (not VM_LOCKED, not VM_GROWSDOWN), no file, no
     * userfaultfd context.
     */
    private static boolean mergeable(Kernel k, long[] s, int vma) {
        Mm mm = k.mm;
        return vma != Mm.NONE && mm.vmaLocked.get(s, vma - 1) == 0 && mm.vmaGrowsDown.get(s, vma - 1) == 0
                && !mm.isFileVma(s, vma - 1) && mm.vmaUffdMissing.get(s, vma - 1) == 0;
    }

    /** The removed next (a slot) while a reader's reference or the detaching offset is in its count (v6.15+), or -1. */
    private static int removing(Mm mm, long[] s, Field remove) {
        int r = remove.get(s) - 1;
        return r >= 0 && (VmaLock.hasReaders(mm, s, r) || mm.vmaLockWriter.get(s, r) == 1) ? r : -1;
    }
}
