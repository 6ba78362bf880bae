package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

import java.util.function.Consumer;

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
 * <p>From v6.4 ({@link Feature#PER_VMA_LOCK}; do_vmi_align_munmap, read in v6.6.9 mm/mmap.c
 * 2452-2600) each VMA is write-locked before it is changed: __split_vma write-locks the VMA it
 * splits (after allocating the copy, so a failed allocation waits for nobody) and the new one;
 * the gather loop write-locks each VMA before storing it in the side tree and marks it detached;
 * the error labels mark the gathered VMAs attached again; the downgrade (always, from v6.5) and
 * mmap_write_unlock end every VMA write lock; remove_mt's vm_area_free waits for an RCU grace
 * period. From v6.6 ({@link Feature#MUNMAP_ITERATION_ORDER}; 6.4.0 and v6.5.0 still split at start
 * with new_below = 0) both splits keep the original VMA for the part that is unmapped. Computing
 * prev and next in the gather (v6.1) rather than after the downgrade (v6.6) is the same here:
 * nothing changes the tree under the read lock from v6.5 (stacks grow under the write lock;
 * per-VMA-lock faults change no VMA).
 *
 * <p>From v6.12 ({@link Feature#MUNMAP_GATHER_COMPLETE}; mm/vma.c, read in 6.12.0) the same
 * accesses come in two halves: vms_gather_munmap_vmas (splits, write-lock, side-tree store and
 * vma_mark_detached of each VMA, reattach_vmas on its errors), vma_iter_clear_gfp in
 * do_vmi_align_munmap, and vms_complete_munmap_vmas (map_count and locked_vm, the downgrade,
 * vms_clear_ptes, remove_vma of each VMA); prev and next are found in the gather under the write
 * lock, which is the same here for the reason above. The steps keep their labels and cite the
 * 6.12 functions.
 *
 * <p>Steps: every step runs under the mmap write lock until the downgrade, so merging reads of
 * the tree into the step that uses them (mas_prev into the split or find step, mas_next into the
 * point of no return) is invisible to other CPUs: munmap holds the write lock, so the only
 * readers beside it are RCU walkers (lock_vma_under_rcu, v6.4+), which see the tree before or
 * after a store. A split fails when no VMA object is free; where the scenario injects -ENOMEM
 * into the tree's allocations, v6.1's mas_preallocate, the side-tree store and (v6.4+)
 * vma_iter_clear_gfp may fail too. Not modelled: sysctl_max_map_count, arch_unmap,
 * vm_stat_account and VM_ACCOUNT.
 */
final class MapleMunmap {
    /** From v6.12 munmap's halves and __split_vma live in mm/vma.c. */
    private static final String VMA = "mm/vma.c:";

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
        boolean perVma = mm.perVmaLocks();
        // From 606c812eb1d5 until 6c26bd4384da a failed side-tree store returns `error` as the last
        // split left it: 0 (6.4.0: any store after a split; the 6.1.37 backport assigns the error
        // at the end split's own store). 1 while the next store's failure would return 0 (only
        // where a store can fail; B16's second fix).
        boolean storeDropsError = lockedAtNoReturn && !k.has(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR)
                && k.parts.treeStoreFailures();
        Field storeFailureReturnsZero = storeDropsError ? c.local("store_failure_returns_0", 0, 1) : null;
        // v6.12 (MUNMAP_GATHER_COMPLETE): the same steps, in mm/vma.c's two halves.
        boolean halves = k.has(Feature.MUNMAP_GATHER_COMPLETE);
        String align = alignMunmap(k);
        String find = halves ? VMA + "do_vmi_munmap, vma_find" : MMAP + "do_mas_munmap, mas_find";

        Rwsem.downWrite(k, c, self, Munmap.DOWN_WRITE.label());

        // After the loop: userfaultfd_unmap_prep when the model has a userfaultfd (v6.1), else the
        // store; from v6.5 the prep is in the loop, after each VMA is gathered.
        boolean prepEach = k.userfaultfd.present() && k.has(Feature.UFFD_UNMAP_PREP_PER_VMA);
        boolean prepAfter = k.userfaultfd.present() && !prepEach;
        String afterLoop = prepAfter ? Munmap.UNMAP_PREP.label() : Munmap.STORE_NULL.label();

        // vma = mas_find(mas, end - 1): the first VMA that ends above start; none below end → return 0.
        // prev = mas_prev(mas, 0) when no split at start follows (merged: under the write lock).
        // The loop mas_for_each(mas, next, end - 1) starts at vma: its VMA is `cursor`.
        c.step(Munmap.MAS_FIND.label(), k.src(find), s -> {
            int v = mm.findInTree(s, l.start.get(s));
            if (v == Mm.NONE || mm.vmStart(s, v) >= l.end.get(s)) {
                return;
            }
            l.vma.set(s, v);
            l.prev.set(s, mm.prevInTree(s, v - 1));
            l.cursor.set(s, v);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, Munmap.UP_WRITE.label());
        if (!perVma && k.parts.treeStoreFailures()) {
            // v6.1 do_mas_align_munmap starts with mas_preallocate(mas, vma, GFP_KERNEL): -ENOMEM
            // returns before anything changed (6.6's do_vmi_align_munmap has no such step).
            c.either(Munmap.MAS_PREALLOCATE.label(), k.src(align + ", mas_preallocate"))
                    .or(Munmap.MAS_PREALLOCATE_ENOMEM.choice(), s -> Munmap.fail(l, s)).goTo(Munmap.UP_WRITE.label())
                    .or(Munmap.MAS_PREALLOCATE_DONE.choice(), s -> { });
        }
        gatherSteps(k, c, l, new Gathering(Munmap.SIDETREE.label(), Munmap.UP_WRITE.label(), afterLoop, next, lockedVm,
                storeFailureReturnsZero, prepEach));

        // userfaultfd_unmap_prep(mm, start, end, uf), after the whole range is gathered (v6.1).
        if (prepAfter) {
            Munmap.unmapPrep(k, c, l, self);
        }

        // Point of no return: mas_store_prealloc(mas, NULL) over [start, end - 1], one store that
        // removes every gathered VMA from the mm's tree; map_count -= count; from 606c812eb1d5
        // locked_vm -= the gathered VM_LOCKED pages. Then the downgrade decision: not next to a
        // VM_GROWSDOWN VMA (the model has no VM_GROWSUP).
        // v6.1 stores into nodes it preallocated; from v6.4 vma_iter_clear_gfp allocates and may
        // fail: clear_tree_failed marks the gathered VMAs attached again and returns -ENOMEM.
        Effect clearFails = perVma ? s -> {
            destroySideTree(mm, s);
            Munmap.fail(l, s);
            next.set(s, Mm.NONE);
            if (lockedVm != null) {
                lockedVm.set(s, 0);
            }
        } : null;
        storeMayFail(k, c, Munmap.STORE_NULL.label(), k.src(align + (perVma ? ", vma_iter_clear_gfp" : ", mas_store_prealloc")), s -> {
            mm.mapCount.set(s, mm.mapCount.get(s) - clearGatheredFromTree(mm, s));
            if (lockedVm != null) {
                mm.lockedVm.set(s, mm.lockedVm.get(s) - lockedVm.get(s));
                lockedVm.set(s, 0);
            }
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) + 1);
            int n = next.get(s);
            boolean stackNext = n != Mm.NONE && mm.vmaGrowsDown.get(s, n - 1) == 1;
            downgrade.set(s, stackNext && k.has(Feature.NO_DOWNGRADE_NEXT_TO_STACK) ? 0 : 1);
        }, clearFails);
        // I10 is checked where munmap lets go of its write lock: under it nothing else maps the range.
        // Every exit passes here, so the call's locals end as they began.
        Effect returning = s -> {
            k.ghost.checkMunmapReturn(mm, s, self, l.start.get(s), l.end.get(s), l.failed.get(s) == 1);
            if (storeFailureReturnsZero != null) {
                storeFailureReturnsZero.set(s, 0);
            }
            if (lockedVm != null) {
                lockedVm.set(s, 0); // the error labels leave the gathered pages' sum behind
            }
        };
        c.ifGoTo(s -> downgrade.get(s) == 0, Munmap.GATHER.label());
        Rwsem.downgrade(k, c, self, Munmap.DOWNGRADE.label(), returning);

        // unmap_region(mm, &mt_detach, vma, prev, next, start, end): over the side tree.
        Munmap.unmapRegion(k, c, next, self, Munmap.NEXT_VMA_IN_SIDETREE, s -> { });

        // remove_mt(mm, &mas_detach): remove_vma → vm_area_free of each VMA of the side tree,
        // then __mt_destroy(&mt_detach).
        String remove = halves ? VMA + "vms_complete_munmap_vmas, remove_vma" : MMAP + "remove_mt, remove_vma";
        c.step(Munmap.REMOVE_MT.label(), k.src(remove), s -> {
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) - 1);
            for (int v = 0; v < k.config.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1) {
                    mm.vmaInSideTree.set(s, v, 0);
                    mm.vmAreaFree(s, v); // remove_vma → vm_area_free
                }
            }
            Munmap.clear(l, s);
            next.set(s, Mm.NONE);
        }).ifGoTo(s -> downgrade.get(s) == 1, Munmap.UP_READ.label());

        Rwsem.upWrite(k, c, self, Munmap.UP_WRITE.label(), returning);
        c.ret();
        // __vm_munmap: do_mas_munmap returned 1, the lock was downgraded.
        c.step(Munmap.UP_READ.label(), k.src("kernel/locking/rwsem.c:up_read"), s -> {
            Rwsem.releaseRead(k, s, self);
            downgrade.set(s, 0);
        });
    }

    /**
     * What differs between munmap's gather and mmap(MAP_FIXED)'s (from v6.12 both are
     * vms_gather_munmap_vmas): the side-tree store's label, where an error goes (the caller's
     * unlock), where the loop ends, the caller's locals, and munmap's userfaultfd and B16 shapes.
     */
    record Gathering(String sidetree, String exit, String afterLoop, Field next, Field lockedVm,
                     Field storeFailureReturnsZero, boolean prepEach) {
    }

    /**
     * The gather after the first VMA of the range was found ({@code l.vma}, {@code l.cursor},
     * {@code l.prev}): split it at start, then for each VMA of the range (splitting the last at
     * end) write-lock it (v6.4+) and store it in the side tree; on an error the side tree is
     * destroyed and the caller's exit follows. v6.1 do_mas_align_munmap, v6.4 to v6.11
     * do_vmi_align_munmap, from v6.12 vms_gather_munmap_vmas (mm/vma.c).
     */
    static void gatherSteps(Kernel k, Code c, ThreadLocals l, Gathering g) {
        Mm mm = k.mm;
        boolean perVma = mm.perVmaLocks();
        boolean keepOriginal = k.has(Feature.MUNMAP_ITERATION_ORDER);
        boolean halves = k.has(Feature.MUNMAP_GATHER_COMPLETE);
        String gathering = halves ? VMA + "vms_gather_munmap_vmas" : alignMunmap(k);
        String splitVma = (halves ? VMA : MMAP) + "__split_vma";
        // With per-VMA locks, a split starts by allocating the copy and the gather by write-locking.
        String splitStart = perVma ? Munmap.SPLIT_START_DUP.label() : Munmap.SPLIT_START.label();
        String splitEnd = perVma ? Munmap.SPLIT_END_DUP.label() : Munmap.SPLIT_NEXT_END.label();
        String gatherNext = perVma ? Munmap.GATHER_START_WRITE.label() : g.sidetree();
        Guard crossesEnd = s -> mm.vmEnd(s, l.cursor.get(s)) > l.end.get(s);
        boolean lockedAtNoReturn = k.has(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN);
        int self = k.threadOf(c.process());

        c.ifGoTo(s -> l.start.get(s) > mm.vmaStart.get(s, l.vma.slot(s)), splitStart)
                .ifGoTo(crossesEnd, splitEnd)
                .goTo(gatherNext);

        if (perVma) {
            // __split_vma: new = vm_area_dup(vma), or -ENOMEM before anything is locked; then
            // vma_start_write(vma), which waits for the VMA's per-VMA readers.
            splitAllocation(k, c, Munmap.SPLIT_START_DUP.label(), splitVma, l.vma::slot, l, g.exit());
            VmaLock.startWrite(k, c, Munmap.SPLIT_START_WRITE.label(), splitVma, l.vma::slot, Munmap.SPLIT_START.label());
        }

        // if (start > vma->vm_start) { __split_vma(mm, vma, start, 0); vma = mas_walk(mas); }
        // The new VMA is the upper part [start, vm_end); prev = mas_prev is the lower part.
        // From v6.5 __split_vma(vmi, vma, start, 1): the new VMA is the lower part and prev,
        // and vma keeps [start, vm_end).
        c.await(Munmap.SPLIT_START.label(), k.src(gathering + ", __split_vma"), s -> mm.splitMayRun(s, l.vma.slot(s)), s -> {
            int made = mm.split(s, l.vma.deref(s), l.start.get(s), keepOriginal);
            if (made == Mm.NONE) {
                Munmap.fail(l, s); // start_split_failed: nothing gathered yet
                return;
            }
            if (perVma) {
                mm.vmaWriteLocked.set(s, made - 1, 1); // vma_start_write(new)
            }
            if (g.storeFailureReturnsZero() != null) {
                g.storeFailureReturnsZero().set(s, 1); // error = __split_vma(...) == 0
            }
            if (keepOriginal) {
                l.prev.set(s, made);
            } else {
                l.prev.set(s, l.vma.get(s));
                l.vma.set(s, made);
                l.cursor.set(s, made);
            }
        }).ifGoTo(s -> l.failed.get(s) == 1, g.exit())
                .ifGoTo(crossesEnd, splitEnd)
                .goTo(gatherNext);

        if (perVma) {
            // vma_start_write(next); mas_store_gfp(&mas_detach, next); vma_mark_detached(next, true).
            VmaLock.startWrite(k, c, Munmap.GATHER_START_WRITE.label(), gathering, s -> l.cursor.get(s) - 1, g.sidetree());
        }

        // munmap_sidetree(next, &mas_detach) (6.1.37 inlines it: mas_store_gfp and the locked_vm
        // sum); count++; then the loop's next VMA, while it starts
        // below end; after the last, if (!next) next = mas_next(mas, ULONG_MAX).
        // mas_store_gfp into the side tree may fail with -ENOMEM where the scenario injects it:
        // 6.1 munmap_sidetree_failed / 6.6 munmap_gather_failed, then the error labels.
        storeMayFail(k, c, g.sidetree(), k.src(gathering + (perVma ? ", mas_store_gfp, vma_mark_detached" : lockedAtNoReturn ? ", mas_store_gfp" : ", munmap_sidetree")), s -> {
            int v = l.cursor.get(s);
            gather(k, s, v - 1, g.lockedVm());
            int after = mm.vmNext(s, v); // v is still in the mm's tree: its neighbour there
            boolean more = after != Mm.NONE && mm.vmStart(s, after) < l.end.get(s);
            l.cursor.set(s, more ? after : Mm.NONE);
            if (!more) {
                g.next().set(s, after);
            }
        }, s -> {
            destroySideTree(mm, s);
            if (g.storeFailureReturnsZero() != null && g.storeFailureReturnsZero().get(s) == 1) {
                Munmap.clear(l, s); // munmap_gather_failed, then return error: still the split's 0
                return;
            }
            Munmap.fail(l, s);
        }, g.exit());
        Consumer<Code> loop = code -> code.ifGoTo(s -> l.cursor.get(s) == Mm.NONE, g.afterLoop())
                .ifGoTo(s -> !crossesEnd.test(s), gatherNext)
                .goTo(splitEnd);
        if (g.prepEach()) {
            String prep = Munmap.UNMAP_PREP.label();
            detachWait(k, c, Munmap.DETACH_ENTER_LOCKED.label(), gathering, code -> code.goTo(prep));
            Munmap.unmapPrepEach(k, c, self, gathering, loop);
        } else {
            detachWait(k, c, Munmap.DETACH_ENTER_LOCKED.label(), gathering, loop);
        }

        if (perVma) {
            splitAllocation(k, c, Munmap.SPLIT_END_DUP.label(), splitVma, s -> l.cursor.get(s) - 1, l, g.exit());
            VmaLock.startWrite(k, c, Munmap.SPLIT_END_WRITE.label(), splitVma, s -> l.cursor.get(s) - 1,
                    Munmap.SPLIT_NEXT_END.label());
        }

        // if (next->vm_end > end) { __split_vma(mm, next, end, 1); split = mas_prev(mas, 0); ... }
        // The new VMA is the lower part [vm_start, end): it goes to the side tree next, and the
        // loop ends there. On -ENOMEM, end_split_failed: __mt_destroy(&mt_detach), return.
        // From v6.5 __split_vma(vmi, next, end, 0): next keeps [vm_start, end) and is gathered.
        c.await(Munmap.SPLIT_NEXT_END.label(), k.src(gathering + ", __split_vma"), s -> mm.splitMayRun(s, l.cursor.get(s) - 1), s -> {
            int made = mm.split(s, l.cursor.get(s) - 1, l.end.get(s), !keepOriginal);
            if (made == Mm.NONE) {
                destroySideTree(mm, s);
                Munmap.fail(l, s);
                return;
            }
            if (perVma) {
                mm.vmaWriteLocked.set(s, made - 1, 1); // vma_start_write(new)
            }
            if (g.storeFailureReturnsZero() != null) {
                // error = __split_vma(...) == 0; but v6.1 (the 6.1.37 backport) stores the lower
                // half in the split branch with error = mas_store_gfp(...), which a failure sets.
                g.storeFailureReturnsZero().set(s, perVma ? 1 : 0);
            }
            if (!keepOriginal) {
                if (l.vma.get(s) == l.cursor.get(s)) {
                    l.vma.set(s, made); // if (vma == next) vma = split;
                }
                l.cursor.set(s, made);
            }
        }).ifGoTo(s -> l.failed.get(s) == 1, g.exit()).goTo(gatherNext);
    }

    /** The function that unmaps an aligned range: v6.1 do_mas_align_munmap, v6.4+ do_vmi_align_munmap (mm/vma.c from v6.12). */
    private static String alignMunmap(Kernel k) {
        if (k.has(Feature.MUNMAP_GATHER_COMPLETE)) {
            return VMA + "do_vmi_align_munmap";
        }
        return MMAP + (k.mm.perVmaLocks() ? "do_vmi_align_munmap" : "do_mas_align_munmap");
    }

    /**
     * munmap_sidetree(vma, &mas_detach): store the VMA in the side tree; v6.1 subtracts a
     * VM_LOCKED VMA's pages from locked_vm here, from 606c812eb1d5 they are added to the local.
     */
    static void gather(Kernel k, long[] s, int vma, Field lockedVm) {
        Mm mm = k.mm;
        mm.vmaInSideTree.set(s, vma, 1);
        if (mm.perVmaLocks()) {
            VmaLock.markDetached(mm, s, vma); // vma_mark_detached(next, true); v6.15: its refcount_dec_and_test
        }
        if (mm.vmaLocked.get(s, vma) == 0) {
            return;
        }
        if (lockedVm != null) {
            lockedVm.set(s, lockedVm.get(s) + mm.pages(s, vma));
        } else {
            mm.lockedVm.set(s, mm.lockedVm.get(s) - mm.pages(s, vma));
        }
    }

    /**
     * After the step that gathered a VMA into the side tree, {@code loop} adds the gather loop's
     * jumps (ending in a goTo). From v6.15 ({@link Feature#VMA_REFCOUNT}) vma_mark_detached first
     * waits for a reader's reference left in the VMA's count ({@code enter}, {@link
     * VmaLock#markDetachedWait}), then the loop goes on.
     */
    static void detachWait(Kernel k, Code c, String enter, String site, Consumer<Code> loop) {
        if (!k.has(Feature.VMA_REFCOUNT)) {
            loop.accept(c);
            return;
        }
        Mm mm = k.mm;
        c.ifGoTo(s -> detaching(mm, s) != Mm.NONE, enter);
        loop.accept(c);
        loop.accept(VmaLock.markDetachedWait(k, c, enter, site, s -> detaching(mm, s) - 1));
    }

    /**
     * The gathered VMA (+ 1) whose count still holds a reader's reference or the detaching
     * writer's offset, or NONE: at most one, the VMA just detached, since a detached VMA whose
     * count reached 0 takes no new reference.
     */
    static int detaching(Mm mm, long[] s) {
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            if (mm.vmaInSideTree.get(s, v) == 1 && (VmaLock.hasReaders(mm, s, v) || mm.vmaLockWriter.get(s, v) == 1)) {
                return v + 1;
            }
        }
        return Mm.NONE;
    }

    /**
     * The error labels: the gathered VMAs stay in the mm's tree; from v6.4 each is marked
     * attached again (vma_mark_detached(next, false)), then __mt_destroy(&mt_detach).
     */
    static void destroySideTree(Mm mm, long[] s) {
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            if (mm.perVmaLocks() && mm.vmaInSideTree.get(s, v) == 1) {
                mm.vmaDetached.set(s, v, 0);
            }
            mm.vmaInSideTree.set(s, v, 0);
        }
    }

    /**
     * One store of NULL (or of a new VMA) over the gathered range: every VMA of the side tree leaves
     * the mm's tree. Returns how many left (for map_count).
     */
    static int clearGatheredFromTree(Mm mm, long[] s) {
        int cleared = 0;
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            if (mm.vmaInSideTree.get(s, v) == 1) {
                mm.vmaInTree.set(s, v, 0);
                cleared++;
            }
        }
        return cleared;
    }

    /**
     * A tree store as one step, or, when the scenario injects -ENOMEM into tree stores and
     * {@code fails} is not null, a choice between its failure ({@code [-ENOMEM]}, which returns
     * through up_write) and the store ({@code [stored]}); the caller's jumps that follow apply
     * to the store.
     */
    private static void storeMayFail(Kernel k, Code c, String label, String source, Effect stored, Effect fails) {
        storeMayFail(k, c, label, source, stored, fails, Munmap.UP_WRITE.label());
    }

    /**
     * {@link #storeMayFail(Kernel, Code, String, String, Effect, Effect)} whose failure goes on
     * at {@code failed} (another procedure's error path: MAP_FIXED's).
     */
    static void storeMayFail(Kernel k, Code c, String label, String source, Effect stored, Effect fails, String failed) {
        storeMayFail(k, c, label, source, stored, fails, code -> code.goTo(failed));
    }

    /** {@link #storeMayFail(Kernel, Code, String, String, Effect, Effect, String)} whose failure takes {@code failedJumps}. */
    static void storeMayFail(Kernel k, Code c, String label, String source, Effect stored, Effect fails, Consumer<Code> failedJumps) {
        if (fails == null || !k.parts.treeStoreFailures()) {
            c.step(label, source, stored);
            return;
        }
        failedJumps.accept(c.either(label, source).or(Munmap.SIDETREE_ENOMEM.choice(), fails));
        c.or(Munmap.SIDETREE_STORED.choice(), stored);
    }

    /**
     * __split_vma's first step from v6.4: new = vm_area_dup(vma), -ENOMEM when no VMA object is
     * free, before the VMA is write-locked (the error labels then run as for a failed split).
     * Only the mmap write lock holder allocates VMAs, so the object found stays free until the
     * split takes it.
     */
    private static void splitAllocation(Kernel k, Code c, String label, String splitVma, java.util.function.ToIntFunction<long[]> vma,
                                        ThreadLocals l, String exit) {
        Mm mm = k.mm;
        c.step(label, k.src(splitVma + ", vm_area_dup"), s -> {
            if (mm.freeVmaSlot(s) == Mm.NONE) {
                destroySideTree(mm, s);
                Munmap.fail(l, s);
            }
        }).ifGoTo(s -> l.failed.get(s) == 1, exit);
    }
}
