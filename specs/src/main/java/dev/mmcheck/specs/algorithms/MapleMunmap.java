package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

import static dev.mmcheck.specs.algorithms.Munmap.MMAP;

/**
 * munmap on the maple tree, v6.1 ({@link Feature#MAPLE_TREE}; mm/mmap.c: __vm_munmap,
 * do_mas_munmap, do_mas_align_munmap, munmap_sidetree, unmap_region, remove_mt; read in v6.1.20;
 * SEMANTICS.md 2.3). Under the write lock: find the first VMA of the range, split it at start,
 * then for each VMA of the range (splitting the last at end) store it in a side tree; queue the
 * userfaultfd UNMAP event; remove the whole range from the mm's tree in one store (the point of
 * no return); downgrade unless the VMA after the hole is VM_GROWSDOWN; then zap and free page
 * tables over the side tree (unmap_region) and free its VMAs (remove_mt).
 *
 * <p>locked_vm: v6.1's munmap_sidetree subtracts each gathered VM_LOCKED VMA's pages at once,
 * and the error labels (a failed split at end) do not add them back: B16. From 606c812eb1d5
 * ({@link Feature#MUNMAP_LOCKED_VM_AT_NO_RETURN}, 6.1.37 in the stable tree) the pages are
 * added up in a local and subtracted at the point of no return.
 *
 * <p>Steps: every step runs under the mmap write lock until the downgrade, so merging reads of
 * the tree into the step that uses them (mas_prev into the split or find step, mas_next into the
 * point of no return) is invisible to other CPUs: no CPU reads the VMA set without mmap_lock in
 * what the scenarios exercise (stack expansion, which stores into the tree under the read lock,
 * is refused from v6.1). Not modelled: mas_preallocate and the side-tree store failing with
 * -ENOMEM (maple nodes are not modelled; a split fails when no VMA object is free),
 * sysctl_max_map_count, arch_unmap, vm_stat_account and VM_ACCOUNT.
 */
final class MapleMunmap {
    private MapleMunmap() {
    }

    static void body(Kernel k, Code c) {
        Mm mm = k.mm;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        // unmap_region's next (the VMA after the hole), do_mas_align_munmap's downgrade, and from
        // 606c812eb1d5 its locked_vm (pages of the gathered VM_LOCKED VMAs).
        Field next = c.local("next", Mm.NONE, k.config.vmaSlots());
        Field downgrade = c.local("downgrade", 0, 1);
        boolean lockedAtNoReturn = k.has(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN);
        Field lockedVm = lockedAtNoReturn ? c.local("locked_vm", 0, k.config.pages()) : null;
        String align = MMAP + "do_mas_align_munmap";

        Rwsem.downWrite(k, c, self, Munmap.DOWN_WRITE.label());

        // After the loop: userfaultfd_unmap_prep when the model has a userfaultfd, else the store.
        String afterLoop = k.userfaultfd.present() ? Munmap.UNMAP_PREP.label() : Munmap.STORE_NULL.label();
        Guard crossesEnd = s -> mm.vmEnd(s, l.cursor.get(s)) > l.end.get(s);

        // vma = mas_find(mas, end - 1): the first VMA that ends above start; none below end → return 0.
        // prev = mas_prev(mas, 0) when no split at start follows (merged: under the write lock).
        // The loop mas_for_each(mas, next, end - 1) starts at vma: its VMA is `cursor`.
        c.step(Munmap.MAS_FIND.label(), k.src(MMAP + "do_mas_munmap, mas_find"), s -> {
            int v = mm.findInTree(s, l.start.get(s));
            if (v == Mm.NONE || mm.vmStart(s, v) >= l.end.get(s)) {
                return;
            }
            l.vma.set(s, v);
            l.prev.set(s, mm.prevInTree(s, v - 1));
            l.cursor.set(s, v);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, Munmap.UP_WRITE.label())
                .ifGoTo(s -> l.start.get(s) > mm.vmaStart.get(s, l.vma.slot(s)), Munmap.SPLIT_START.label())
                .ifGoTo(crossesEnd, Munmap.SPLIT_NEXT_END.label())
                .goTo(Munmap.SIDETREE.label());

        // if (start > vma->vm_start) { __split_vma(mm, vma, start, 0); vma = mas_walk(mas); }
        // The new VMA is the upper part [start, vm_end); prev = mas_prev is the lower part.
        c.await(Munmap.SPLIT_START.label(), k.src(align + ", __split_vma"), s -> mm.splitMayRun(s, l.vma.slot(s)), s -> {
            int upper = mm.split(s, l.vma.deref(s), l.start.get(s), false);
            if (upper == Mm.NONE) {
                Munmap.fail(l, s); // start_split_failed: nothing gathered yet
                return;
            }
            l.prev.set(s, l.vma.get(s));
            l.vma.set(s, upper);
            l.cursor.set(s, upper);
        }).ifGoTo(s -> l.failed.get(s) == 1, Munmap.UP_WRITE.label())
                .ifGoTo(crossesEnd, Munmap.SPLIT_NEXT_END.label());

        // munmap_sidetree(next, &mas_detach); count++; then the loop's next VMA, while it starts
        // below end; after the last, if (!next) next = mas_next(mas, ULONG_MAX).
        c.step(Munmap.SIDETREE.label(), k.src(align + ", munmap_sidetree"), s -> {
            int v = l.cursor.get(s);
            gather(k, s, v - 1, lockedVm);
            int after = mm.vmNext(s, v); // v is still in the mm's tree: its neighbour there
            boolean more = after != Mm.NONE && mm.vmStart(s, after) < l.end.get(s);
            l.cursor.set(s, more ? after : Mm.NONE);
            if (!more) {
                next.set(s, after);
            }
        }).ifGoTo(s -> l.cursor.get(s) == Mm.NONE, afterLoop)
                .ifGoTo(s -> !crossesEnd.test(s), Munmap.SIDETREE.label());

        // if (next->vm_end > end) { __split_vma(mm, next, end, 1); split = mas_prev(mas, 0); ... }
        // The new VMA is the lower part [vm_start, end): it goes to the side tree next, and the
        // loop ends there. On -ENOMEM, end_split_failed: __mt_destroy(&mt_detach), return.
        c.await(Munmap.SPLIT_NEXT_END.label(), k.src(align + ", __split_vma"), s -> mm.splitMayRun(s, l.cursor.get(s) - 1), s -> {
            int lower = mm.split(s, l.cursor.get(s) - 1, l.end.get(s), true);
            if (lower == Mm.NONE) {
                destroySideTree(mm, s);
                Munmap.fail(l, s);
                return;
            }
            if (l.vma.get(s) == l.cursor.get(s)) {
                l.vma.set(s, lower); // if (vma == next) vma = split;
            }
            l.cursor.set(s, lower);
        }).ifGoTo(s -> l.failed.get(s) == 1, Munmap.UP_WRITE.label()).goTo(Munmap.SIDETREE.label());

        // userfaultfd_unmap_prep(mm, start, end, uf), after the whole range is gathered.
        Munmap.unmapPrep(k, c, l, self);

        // Point of no return: mas_store_prealloc(mas, NULL) over [start, end - 1], one store that
        // removes every gathered VMA from the mm's tree; map_count -= count; from 606c812eb1d5
        // locked_vm -= the gathered VM_LOCKED pages. Then the downgrade decision: not next to a
        // VM_GROWSDOWN VMA (the model has no VM_GROWSUP).
        c.step(Munmap.STORE_NULL.label(), k.src(align + ", mas_store_prealloc"), s -> {
            for (int v = 0; v < k.config.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1) {
                    mm.vmaInTree.set(s, v, 0);
                    mm.mapCount.set(s, mm.mapCount.get(s) - 1);
                }
            }
            if (lockedVm != null) {
                mm.lockedVm.set(s, mm.lockedVm.get(s) - lockedVm.get(s));
                lockedVm.set(s, 0);
            }
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) + 1);
            int n = next.get(s);
            boolean stackNext = n != Mm.NONE && mm.vmaGrowsDown.get(s, n - 1) == 1;
            downgrade.set(s, stackNext ? 0 : 1);
        }).ifGoTo(s -> downgrade.get(s) == 0, Munmap.GATHER.label());
        Rwsem.downgrade(k, c, self, Munmap.DOWNGRADE.label());

        // unmap_region(mm, &mt_detach, vma, prev, next, start, end): over the side tree.
        Munmap.unmapRegion(k, c, next, self, Munmap.NEXT_VMA_IN_SIDETREE, s -> { });

        // remove_mt(mm, &mas_detach): remove_vma → vm_area_free of each VMA of the side tree,
        // then __mt_destroy(&mt_detach).
        c.step(Munmap.REMOVE_MT.label(), k.src(MMAP + "remove_mt, remove_vma"), s -> {
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) - 1);
            for (int v = 0; v < k.config.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1) {
                    mm.vmaInSideTree.set(s, v, 0);
                    mm.vmaAllocated.set(s, v, 0); // the object keeps its contents: a stale pointer reads them (I7)
                }
            }
            Munmap.clear(l, s);
            next.set(s, Mm.NONE);
        }).ifGoTo(s -> downgrade.get(s) == 1, Munmap.UP_READ.label());

        Rwsem.upWrite(k, c, self, Munmap.UP_WRITE.label());
        c.ret();
        // __vm_munmap: do_mas_munmap returned 1, the lock was downgraded.
        c.step(Munmap.UP_READ.label(), k.src("kernel/locking/rwsem.c:up_read"), s -> {
            Rwsem.releaseRead(k, s, self);
            downgrade.set(s, 0);
        });
    }

    /**
     * munmap_sidetree(vma, &mas_detach): store the VMA in the side tree; v6.1 subtracts a
     * VM_LOCKED VMA's pages from locked_vm here, from 606c812eb1d5 they are added to the local.
     */
    private static void gather(Kernel k, long[] s, int vma, Field lockedVm) {
        Mm mm = k.mm;
        mm.vmaInSideTree.set(s, vma, 1);
        if (mm.vmaLocked.get(s, vma) == 0) {
            return;
        }
        if (lockedVm != null) {
            lockedVm.set(s, lockedVm.get(s) + mm.pages(s, vma));
        } else {
            mm.lockedVm.set(s, mm.lockedVm.get(s) - mm.pages(s, vma));
        }
    }

    /** __mt_destroy(&mt_detach) on an error label: the gathered VMAs stay in the mm's tree. */
    private static void destroySideTree(Mm mm, long[] s) {
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            mm.vmaInSideTree.set(s, v, 0);
        }
    }
}
