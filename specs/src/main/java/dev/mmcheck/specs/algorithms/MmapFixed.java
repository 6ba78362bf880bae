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
 * mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) over mapped
 * VMAs, as v6.12 does it ({@link Feature#MUNMAP_GATHER_COMPLETE}; mm/util.c vm_mmap_pgoff,
 * mm/mmap.c __mmap_region 1361-1578, mm/vma.c; read in 6.12.0). Under the mmap write lock: gather
 * the old VMAs (vms_gather_munmap_vmas: write-lock each, store it in a side tree and mark it
 * detached, while it stays in the mm's tree), clear their PTEs and page tables
 * (vms_clean_up_area → vms_clear_ptes), store the new VMA over the range (vma_iter_store: one
 * store that replaces the old VMAs, so an RCU walker finds the old VMAs or the new one, never a
 * gap), then complete the old ones (vms_complete_munmap_vmas without the downgrade: remove_vma of
 * each, freed after an RCU grace period), and mmap_write_unlock.
 *
 * <p>The model's mmap maps whole VMAs and never merges: the range must start and end at VMA
 * boundaries with no VMA adjacent outside it, and no other operation of the scenario may change
 * VMA bounds ({@code Op.Kind.MMAP_FIXED}'s validation), so no split and no vma_merge_new_range
 * happen; the new VMA object is always free (vm_area_alloc cannot fail). Where the scenario
 * injects -ENOMEM into tree stores, the gather's side-tree store may fail (its error labels give
 * the VMAs back) and so may vma_iter_prealloc after the old PTEs were cleared: then
 * vms_abort_munmap_vmas stores NULL over the range and completes the old VMAs (mm/vma.h 240-259 in
 * 6.12.0; mm/vma.c 2304-2323 and __mmap_new_vma in 6.18.2), and mmap returns -ENOMEM with a gap.
 * Before v6.12 mmap_region unmaps with a whole munmap first (the old VMAs leave the tree before
 * the new one is stored); the model does not have that form.
 *
 * <p>Steps: under the write lock only RCU walkers (lock_vma_under_rcu) run beside it, and they
 * see a tree store before or after. So vm_area_alloc, vma_start_write of the new VMA (no reader
 * can hold it) and map_count are merged into the store, and the complete's map_count and
 * locked_vm (read only under the write lock) into its remove_vma step.
 */
public final class MmapFixed {
    private static final String MMAP = "mm/mmap.c:__mmap_region";
    private static final String VMA = "mm/vma.c:";

    /** vm_mmap_pgoff: mmap_write_lock_killable. */
    public static final StepRef DOWN_WRITE = StepRef.in("mmap_fixed", "mmap_write_lock_killable");
    /** __mmap_region: vma = vma_find(&vmi, end), the first old VMA, and prev for the floor. */
    public static final StepRef VMA_FIND = StepRef.in("mmap_fixed", "vma_find(&vmi, end)");
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
        Field count = c.local("vma_count", 0, k.config.vmaSlots());
        Field lockedVm = c.local("locked_vm", 0, k.config.pages());
        String gathering = VMA + "vms_gather_munmap_vmas";
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
                return;
            }
            l.vma.set(s, v);
            l.cursor.set(s, v);
            l.prev.set(s, mm.prevInTree(s, v - 1));
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, STORE.label());

        // for_each_vma_range(vmi, next, end): vma_start_write(next); mas_store_gfp into the side
        // tree; vma_mark_detached(next, true); locked pages added up. The VMA stays in the mm's tree.
        VmaLock.startWrite(k, c, GATHER_START_WRITE.label(), gathering, s -> l.cursor.get(s) - 1, GATHER.label());
        // Where the scenario injects -ENOMEM, the side-tree store may fail: munmap_gather_failed
        // marks the gathered VMAs attached again (reattach_vmas) and mmap returns the error.
        MapleMunmap.storeMayFail(k, c, GATHER.label(), k.src(gathering + ", mas_store_gfp, vma_mark_detached"), s -> {
            int v = l.cursor.get(s);
            if (mm.vmEnd(s, v) > l.end.get(s)) {
                throw new IllegalStateException("mmap_fixed: VMA [" + mm.vmStart(s, v) + ", " + mm.vmEnd(s, v)
                        + ") crosses the end of the range, which the model's mmap does not split");
            }
            MapleMunmap.gather(k, s, v - 1, lockedVm);
            count.set(s, count.get(s) + 1);
            int after = mm.vmNext(s, v);
            boolean more = after != Mm.NONE && mm.vmStart(s, after) < l.end.get(s);
            l.cursor.set(s, more ? after : Mm.NONE);
            if (!more) {
                next.set(s, after); // vms->next = vma_next(vmi): the ceiling of free_pgtables
            }
        }, s -> {
            MapleMunmap.destroySideTree(mm, s);
            Munmap.fail(l, s); // nothing was unmapped
            lockedVm.set(s, 0);
            count.set(s, 0);
        }, UP_WRITE.label());
        MapleMunmap.detachWait(k, c, DETACH_ENTER_LOCKED.label(), gathering,
                code -> code.ifGoTo(s -> l.cursor.get(s) != Mm.NONE, GATHER_START_WRITE.label()).goTo(TLB_GATHER.label()));

        // vms_clean_up_area → vms_clear_ptes(vms, mas_detach, true): while the old VMAs are still
        // in the tree, so rmap cannot race with their freeing later.
        Munmap.unmapRegion(k, c, next, self, NEXT_VMA, s -> { });

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
            MapleMunmap.clearGatheredFromTree(mm, s);
            mm.newAnonymousVma(s, v - 1, l.start.get(s), l.end.get(s));
            if (mm.perVmaLocks()) {
                mm.vmaWriteLocked.set(s, v - 1, 1);
            }
            mm.vmaInTree.set(s, v - 1, 1);
            mm.mapCount.set(s, mm.mapCount.get(s) + 1 - count.get(s));
            count.set(s, 0);
        }, s -> l.failed.set(s, 1), ABORT_STORE_NULL.label());

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
        });

        Rwsem.upWrite(k, c, self, UP_WRITE.label());
        c.ret();

        // vms_abort_munmap_vmas: vms->clear_ptes is false (vms_clean_up_area cleared them), so
        // mas_store_gfp(mas, NULL, __GFP_NOFAIL) over [addr, end) removes the old VMAs from the
        // tree (the "unfortunate gap"), and vms_complete_munmap_vmas finishes them. The caller
        // gets -ENOMEM with the range unmapped; the flush was done, so I2 still holds for it.
        c.step(ABORT_STORE_NULL.label(), k.src(abort + ", mas_store_gfp"), s -> {
            MapleMunmap.clearGatheredFromTree(mm, s);
            mm.mapCount.set(s, mm.mapCount.get(s) - count.get(s));
            count.set(s, 0);
        }).goTo(COMPLETE.label());
    }
}
