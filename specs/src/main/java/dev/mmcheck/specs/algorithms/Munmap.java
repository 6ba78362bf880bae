package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.TlbEndVma;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * munmap(start, len) as the kernel implements it, one procedure whose shape follows the
 * variant's features:
 * <ul>
 *   <li>v4.12 (mm/mmap.c:vm_munmap, do_munmap, SEMANTICS.md 2.1): everything under mmap_sem
 *       held for write.</li>
 *   <li>v4.20 to v6.0 (__vm_munmap, __do_munmap; {@link Feature#MUNMAP_DOWNGRADE}, dd2283f2605e,
 *       SEMANTICS.md 2.2): the VMAs are detached under the write lock, which is then downgraded,
 *       so unmap_region and remove_vma_list run under the read lock; from v5.8
 *       ({@link Feature#NO_DOWNGRADE_NEXT_TO_STACK}, 246c320a8cfe) not when the VMA after the hole
 *       is VM_GROWSDOWN (the model has no VM_GROWSUP).</li>
 * </ul>
 * Arguments: the caller's {@code start} and {@code end} (pages); {@code failed} is set on
 * -ENOMEM (no VMA object for a split; like the kernel, a first split is not undone when the
 * second fails), and then the range is made empty, as nothing was unmapped. Not modelled: argument validation (page arguments are always valid),
 * sysctl_max_map_count,
 * lru_add_drain, update_hiwater_*, vm_stat_account and VM_ACCOUNT, and arch_unmap: it only
 * cleans up x86 MPX bounds tables, which the model does not have, so its place (after
 * unmap_region in v4.12, between detach and downgrade in v4.20 to v5.1, first thing from v5.2)
 * does not matter. With a userfaultfd, userfaultfd_unmap_prep runs under the write lock and
 * the caller runs userfaultfd_unmap_complete after munmap returns (see ScenarioModel).
 */
public final class Munmap {
    static final String MMAP = "mm/mmap.c:";

    // Steps a change may target.
    /** vm_munmap: down_write_killable(mmap_sem) takes the lock once no reader or writer holds it. */
    public static final StepRef DOWN_WRITE = StepRef.in("munmap", "down_write_killable");
    /** do_munmap: __split_vma at the start of the range. */
    public static final StepRef SPLIT_START = StepRef.in("munmap", "__split_vma(vma, start)");
    /** do_munmap: detach_vmas_to_be_unmapped (rb-erase, list unlink, vmacache_invalidate). */
    public static final StepRef DETACH = StepRef.in("munmap", "detach_vmas_to_be_unmapped");
    /** vm_munmap: up_write(mmap_sem) (or up_read after a downgrade). */
    public static final StepRef UP_WRITE = StepRef.in("munmap", "up_write");
    /** do_munmap: find_vma(mm, start). */
    public static final StepRef FIND_VMA_START = StepRef.in("munmap", "find_vma(start)");
    /** __do_munmap (v4.20+): downgrade_write before unmap_region. */
    public static final StepRef DOWNGRADE = StepRef.in("munmap", "downgrade_write");
    /** unmap_region: tlb_gather_mmu. */
    public static final StepRef GATHER = StepRef.in("munmap", "tlb_gather_mmu");
    /** unmap_region: unmap_vmas, one call of zap_pte_range per VMA. */
    public static final StepRef UNMAP_VMAS = StepRef.in("munmap", "unmap_single_vma");
    /** unmap_region: free_pgtables. */
    public static final StepRef FREE_PGTABLES = StepRef.in("munmap", "free_pgtables");
    /** unmap_region: tlb_finish_mmu. */
    public static final StepRef FINISH = StepRef.in("munmap", "tlb_finish_mmu");
    /** do_munmap: remove_vma_list frees the detached VMAs. */
    public static final StepRef REMOVE_VMA_LIST = StepRef.in("munmap", "remove_vma_list");
    /** vm_munmap: down_write_killable(mmap_sem) queues as a waiting writer. */
    public static final StepRef DOWN_WRITE_QUEUE = StepRef.in("munmap", Rwsem.queueLabel(DOWN_WRITE.label()));
    /** do_munmap: last = find_vma(mm, end). */
    public static final StepRef FIND_VMA_END = StepRef.in("munmap", "find_vma(end)");
    /** do_munmap: __split_vma(mm, last, end, 1) at the end of the range. */
    public static final StepRef SPLIT_END = StepRef.in("munmap", "__split_vma(last, end)");
    /** do_munmap: munlock_vma_pages_all of each VM_LOCKED VMA in the range (locked_vm -= its pages). */
    public static final StepRef MUNLOCK = StepRef.in("munmap", "munlock_vma_pages_all");
    /** do_munmap: userfaultfd_unmap_prep (before the splits in v4.12/v4.13, after them from v4.14). */
    public static final StepRef UNMAP_PREP = StepRef.in("munmap", "userfaultfd_unmap_prep");
    /** userfaultfd_unmap_prep from v6.9: down_write(map_changing_lock), atomic_inc, up_write. */
    public static final StepRef UNMAP_PREP_DOWN_WRITE = StepRef.in("munmap", Userfaultfd.downWriteLabel(UNMAP_PREP.label()));
    /** unmap_vmas: vma = vma->vm_next, back to unmap_single_vma while there is one. */
    public static final StepRef NEXT_VMA = StepRef.in("munmap", "unmap_vmas: vma = vma->vm_next");
    /** __vm_munmap (v4.20+): up_read(mmap_sem) after a downgrade. */
    public static final StepRef UP_READ = StepRef.in("munmap", "up_read");

    // v6.1 (the maple tree, do_mas_align_munmap); the lock, split, gather, zap, free and unlock
    // steps keep the constants above.
    /** do_mas_munmap (v6.1): vma = mas_find(mas, end - 1), the first VMA of the range. */
    public static final StepRef MAS_FIND = StepRef.in("munmap", "mas_find(mas, end - 1)");
    /** do_mas_align_munmap (v6.1): __split_vma(mm, next, end, 1) of the VMA that crosses end. */
    public static final StepRef SPLIT_NEXT_END = StepRef.in("munmap", "__split_vma(next, end)");
    /**
     * do_mas_align_munmap (v6.1): munmap_sidetree(next), which stores the VMA in the side tree and,
     * before 606c812eb1d5, subtracts its VM_LOCKED pages from locked_vm.
     */
    public static final StepRef SIDETREE = StepRef.in("munmap", "munmap_sidetree(next)");
    /** do_mas_align_munmap (v6.1): the point of no return, mas_store_prealloc(mas, NULL) over the range. */
    public static final StepRef STORE_NULL = StepRef.in("munmap", "mas_store_prealloc(mas, NULL)");
    /** unmap_vmas (v6.1): the next VMA of the side tree, back to unmap_single_vma while there is one. */
    public static final StepRef NEXT_VMA_IN_SIDETREE = StepRef.in("munmap", "unmap_vmas: vma = mas_find(&mas, end - 1)");
    /** do_mas_align_munmap (v6.1): remove_mt frees the VMAs of the side tree. */
    public static final StepRef REMOVE_MT = StepRef.in("munmap", "remove_mt");

    /**
     * do_mas_align_munmap (v6.1): mas_preallocate(mas, vma, GFP_KERNEL), the nodes of the later
     * stores; a step only where the scenario injects -ENOMEM into the tree's allocations.
     */
    public static final StepRef MAS_PREALLOCATE = StepRef.in("munmap", "mas_preallocate(mas, vma)");
    /** mas_preallocate fails: return -ENOMEM before anything changed. */
    public static final StepRef MAS_PREALLOCATE_ENOMEM = MAS_PREALLOCATE.choice("-ENOMEM");
    /** mas_preallocate succeeds. */
    public static final StepRef MAS_PREALLOCATE_DONE = MAS_PREALLOCATE.choice("allocated");
    /** The side-tree store where the scenario injects -ENOMEM into tree stores: it fails. */
    public static final StepRef SIDETREE_ENOMEM = SIDETREE.choice("-ENOMEM");
    /** The side-tree store where the scenario injects -ENOMEM into tree stores: it succeeds. */
    public static final StepRef SIDETREE_STORED = SIDETREE.choice("stored");
    /** From v6.4, vma_iter_clear_gfp where the scenario injects -ENOMEM: it fails (clear_tree_failed). */
    public static final StepRef STORE_NULL_ENOMEM = STORE_NULL.choice("-ENOMEM");
    /** From v6.4, vma_iter_clear_gfp where the scenario injects -ENOMEM: it succeeds (the point of no return). */
    public static final StepRef STORE_NULL_STORED = STORE_NULL.choice("stored");

    // v6.4+ (per-VMA locks, do_vmi_align_munmap): the steps that write-lock VMAs.
    /** __split_vma(vma, start) from v6.4: vm_area_dup, before the VMA is write-locked. */
    public static final StepRef SPLIT_START_DUP = StepRef.in("munmap", "__split_vma(vma, start): vm_area_dup");
    /** __split_vma(vma, start) from v6.4: vma_start_write(vma). */
    public static final StepRef SPLIT_START_WRITE = StepRef.in("munmap", "__split_vma(vma, start): vma_start_write");
    /** __split_vma(next, end) from v6.4: vm_area_dup. */
    public static final StepRef SPLIT_END_DUP = StepRef.in("munmap", "__split_vma(next, end): vm_area_dup");
    /** __split_vma(next, end) from v6.4: vma_start_write(next). */
    public static final StepRef SPLIT_END_WRITE = StepRef.in("munmap", "__split_vma(next, end): vma_start_write");
    /** do_vmi_align_munmap's gather loop from v6.4: vma_start_write(next) before the side-tree store. */
    public static final StepRef GATHER_START_WRITE = StepRef.in("munmap", "vma_start_write(next)");
    /**
     * vma_mark_detached(next) from v6.15 when a reader's reference is left after the attached
     * one is dropped: __vma_enter_locked adds VMA_LOCK_OFFSET (then its wait, {@link VmaLock#markDetachedWait}).
     */
    public static final StepRef DETACH_ENTER_LOCKED = StepRef.in("munmap", "vma_mark_detached(next): __vma_enter_locked");
    /** The wait of {@link #DETACH_ENTER_LOCKED} for the reader's reference to go, then __vma_exit_locked. */
    public static final StepRef DETACH_WAIT = StepRef.in("munmap", VmaLock.detachWaitLabel(DETACH_ENTER_LOCKED.label()));
    /** The down_write of {@link #SPLIT_START_WRITE} that waits for the VMA's readers. */
    public static final StepRef SPLIT_START_WRITE_WAIT = StepRef.in("munmap", VmaLock.waitLabel(SPLIT_START_WRITE.label()));
    /** The down_write of {@link #SPLIT_END_WRITE} that waits for the VMA's readers. */
    public static final StepRef SPLIT_END_WRITE_WAIT = StepRef.in("munmap", VmaLock.waitLabel(SPLIT_END_WRITE.label()));
    /** The down_write of {@link #GATHER_START_WRITE} that waits for the VMA's readers. */
    public static final StepRef GATHER_START_WRITE_WAIT = StepRef.in("munmap", VmaLock.waitLabel(GATHER_START_WRITE.label()));
    // From v6.15 the three waits are __vma_enter_locked's, on vm_refcnt.
    /** {@link #SPLIT_START_WRITE}'s wait from v6.15. */
    public static final StepRef SPLIT_START_WRITE_REFCOUNT_WAIT = StepRef.in("munmap", VmaLock.refcountWaitLabel(SPLIT_START_WRITE.label()));
    /** {@link #SPLIT_END_WRITE}'s wait from v6.15. */
    public static final StepRef SPLIT_END_WRITE_REFCOUNT_WAIT = StepRef.in("munmap", VmaLock.refcountWaitLabel(SPLIT_END_WRITE.label()));
    /** {@link #GATHER_START_WRITE}'s wait from v6.15. */
    public static final StepRef GATHER_START_WRITE_REFCOUNT_WAIT = StepRef.in("munmap", VmaLock.refcountWaitLabel(GATHER_START_WRITE.label()));

    private Munmap() {
    }

    /** The munmap procedure of {@code k}'s variant. */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("munmap", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        if (k.mm.maple()) {
            MapleMunmap.body(k, c);
            return;
        }
        Mm mm = k.mm;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        MmuGather.Locals.of(c, k); // the gather's locals come before next and downgrade in the state
        // unmap_region's `next`, read when it starts, and __do_munmap's `downgrade`.
        Field next = c.local("next", Mm.NONE, k.config.vmaSlots());
        Field downgrade = c.local("downgrade", 0, 1);
        boolean downgrades = k.has(Feature.MUNMAP_DOWNGRADE);
        String doMunmap = MMAP + (downgrades ? "__do_munmap" : "do_munmap");

        Rwsem.downWrite(k, c, self, DOWN_WRITE.label());

        // vma = find_vma(mm, start); if (!vma) return 0; prev = vma->vm_prev;
        // if (vma->vm_start >= end) return 0;
        String findStart = FIND_VMA_START.label();
        c.step(findStart, k.src(doMunmap + ", " + FindVma.source(k)), s -> {
            int v = FindVma.find(k, s, self, l.start.get(s));
            if (v == Mm.NONE || mm.vmStart(s, v) >= l.end.get(s)) {
                return;
            }
            l.vma.set(s, v);
            l.prev.set(s, mm.prevInTree(s, v - 1));
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, UP_WRITE.label());
        // v4.12/v4.13: userfaultfd_unmap_prep before the splits, so a munmap whose split fails
        // with -ENOMEM has already queued its UNMAP event.
        if (!k.has(Feature.UFFD_UNMAP_PREP_AFTER_SPLIT)) {
            unmapPrep(k, c, l, self);
        }
        c.ifGoTo(s -> l.start.get(s) <= mm.vmaStart.get(s, l.vma.slot(s)), FIND_VMA_END.label());

        // if (start > vma->vm_start) { __split_vma(mm, vma, start, 0); prev = vma; }
        // __split_vma → __vma_adjust holds i_mmap_rwsem for write around a file VMA's change.
        String splitStart = SPLIT_START.label();
        c.await(splitStart, k.src(doMunmap + ", __split_vma"), s -> mm.splitMayRun(s, l.vma.slot(s)), s -> {
            if (mm.split(s, l.vma.deref(s), l.start.get(s), false) == Mm.NONE) {
                fail(l, s);
                return;
            }
            l.prev.set(s, l.vma.get(s));
        }).ifGoTo(s -> l.failed.get(s) == 1, UP_WRITE.label());

        // last = find_vma(mm, end); if (last && end > last->vm_start) __split_vma(mm, last, end, 1);
        String findEnd = FIND_VMA_END.label();
        c.step(findEnd, k.src(doMunmap + ", " + FindVma.source(k)), s -> {
            int last = FindVma.find(k, s, self, l.end.get(s));
            if (last != Mm.NONE && l.end.get(s) > mm.vmStart(s, last)) {
                l.cursor.set(s, last);
            }
        }).ifGoTo(s -> l.cursor.get(s) == Mm.NONE, MUNLOCK.label());
        String splitEnd = SPLIT_END.label();
        c.await(splitEnd, k.src(doMunmap + ", __split_vma"), s -> mm.splitMayRun(s, l.cursor.get(s) - 1), s -> {
            if (mm.split(s, l.cursor.get(s) - 1, l.end.get(s), true) == Mm.NONE) {
                fail(l, s);
            }
            l.cursor.set(s, Mm.NONE);
        }).ifGoTo(s -> l.failed.get(s) == 1, UP_WRITE.label());

        // vma = prev ? prev->vm_next : mm->mmap; then, if mm->locked_vm, for each VMA in the
        // range: if VM_LOCKED, locked_vm -= vma_pages and munlock_vma_pages_all clears VM_LOCKED.
        c.step(MUNLOCK.label(), k.src(doMunmap + ", munlock_vma_pages_all"), s -> {
            int v = l.prev.get(s) != Mm.NONE ? mm.vmaNext.get(s, l.prev.deref(s)) : mm.listHead.get(s);
            l.vma.set(s, v);
            if (mm.lockedVm.get(s) == 0) {
                return;
            }
            for (int tmp = v; tmp != Mm.NONE && mm.vmStart(s, tmp) < l.end.get(s);
                 tmp = mm.vmNext(s, tmp)) {
                if (mm.vmaLocked.get(s, tmp - 1) == 1) {
                    mm.lockedVm.set(s, mm.lockedVm.get(s) - mm.pages(s, tmp - 1));
                    mm.vmaLocked.set(s, tmp - 1, 0);
                }
            }
        });

        // userfaultfd_unmap_prep after the splits succeeded (v4.14+).
        if (k.has(Feature.UFFD_UNMAP_PREP_AFTER_SPLIT)) {
            unmapPrep(k, c, l, self);
        }

        String detach = DETACH.label();
        c.step(detach, k.src(MMAP + detach), s -> {
            int after = detach(k, l, s);
            boolean stackNext = after != Mm.NONE && mm.vmaGrowsDown.get(s, after - 1) == 1;
            boolean keepWriteLock = k.has(Feature.NO_DOWNGRADE_NEXT_TO_STACK) && stackNext;
            downgrade.set(s, downgrades && !keepWriteLock ? 1 : 0);
        }).ifGoTo(s -> downgrade.get(s) == 0, GATHER.label());
        // I10 where munmap lets go of its write lock, as on the maple tree (MapleMunmap).
        Effect returning = s -> k.ghost.checkMunmapReturn(mm, s, self, l.start.get(s), l.end.get(s), l.failed.get(s) == 1);
        if (downgrades) {
            Rwsem.downgrade(k, c, self, DOWNGRADE.label(), returning);
        }

        // unmap_region(mm, vma, prev, start, end): next = prev ? prev->vm_next : mm->mmap, read
        // when it starts.
        unmapRegion(k, c, next, self, NEXT_VMA, s -> next.set(s, l.prev.get(s) != Mm.NONE
                ? mm.vmNext(s, l.prev.deref(s) + 1) : mm.firstVma(s)));

        // remove_vma_list: free every detached VMA object (remove_vma → kmem_cache_free).
        String remove = REMOVE_VMA_LIST.label();
        c.step(remove, k.src(MMAP + "remove_vma_list, remove_vma"), s -> {
            // Ghost: unmap_region is over, so I4 may look for PTEs outside every VMA again.
            k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) - 1);
            for (int v = l.vma.deref(s) + 1; v != Mm.NONE; v = mm.vmNext(s, v)) {
                // The slab object keeps its contents: a stale pointer still reads them (I7).
                mm.vmaAllocated.set(s, v - 1, 0);
            }
            clear(l, s);
            next.set(s, Mm.NONE);
        });
        if (downgrades) {
            c.ifGoTo(s -> downgrade.get(s) == 1, UP_READ.label());
        }

        Rwsem.upWrite(k, c, self, UP_WRITE.label(), returning);
        if (downgrades) {
            c.ret();
            // __vm_munmap: __do_munmap returned 1, the lock was downgraded.
            c.step(UP_READ.label(), k.src("kernel/locking/rwsem.c:up_read"), s -> {
                Rwsem.releaseRead(k, s, self);
                downgrade.set(s, 0);
            });
        }
    }

    /**
     * unmap_region(mm, [mt,] vma, prev, [next,] start, end) (mm/mmap.c): tlb_gather_mmu (where
     * {@code atGather} also runs: v5.x reads {@code next} there), unmap_vmas (unmap_single_vma of
     * each VMA from {@code vma} on, clipped to [start, end), then tlb_end_vma and the step
     * {@code nextVma} to the next one), free_pgtables between prev and next, tlb_finish_mmu.
     */
    static void unmapRegion(Kernel k, Code c, Field next, int self, StepRef nextVma, Effect atGather) {
        Mm mm = k.mm;
        ThreadLocals l = ThreadLocals.of(c, k);
        MmuGather.Locals g = MmuGather.Locals.of(c, k);
        MmuGather gather = MmuGather.of(k);
        // From v6.12 vms_complete_munmap_vmas calls vms_clear_ptes, with the same body.
        String region = k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/vma.c:vms_clear_ptes" : MMAP + "unmap_region";
        c.call(GATHER.label(), k.src(region), gather.tlbGatherMmu, s -> {
            atGather.apply(s);
            l.cursor.set(s, l.vma.get(s));
            gather.recordRange(g, s, l.start.get(s), l.end.get(s));
        });
        // unmap_vmas: unmap_single_vma for each detached VMA, clipped to [start, end).
        String unmap = UNMAP_VMAS.label();
        c.call(unmap, k.src("mm/memory.c:unmap_vmas, unmap_single_vma"), gather.zapPteRange, s -> {
            int v = l.cursor.get(s) - 1;
            g.zapAddr.set(s, Math.max(l.start.get(s), mm.vmaStart.get(s, v)));
            g.zapEnd.set(s, Math.min(l.end.get(s), mm.vmaEnd.get(s, v)));
        });
        TlbEndVma.steps(k, c, l.cursor, nextVma.label());
        // The VMAs unmapped are those of the side tree where there is one (mmap(MAP_FIXED) keeps
        // them in the mm's tree too until it stores the new VMA), else of the list.
        c.step(nextVma.label(), k.src("mm/memory.c:unmap_vmas"), s -> l.cursor.set(s, mm.nextUnmapped(s, l.cursor.get(s))))
                .ifGoTo(s -> l.cursor.get(s) != Mm.NONE, unmap);
        // free_pgtables(tlb, vma, prev ? prev->vm_end : FIRST_USER_ADDRESS,
        //               next ? next->vm_start : USER_PGTABLES_CEILING): read now, not at the start.
        c.call(FREE_PGTABLES.label(), k.src(region), gather.freePgtables, s -> {
            int n = next.get(s);
            g.floor.set(s, l.prev.get(s) != Mm.NONE ? mm.vmaEnd.get(s, l.prev.deref(s)) : 0);
            g.ceiling.set(s, n != Mm.NONE ? read(k, s, n, self, mm.vmaStart) : k.config.pages());
        });
        c.call(FINISH.label(), k.src(region), gather.tlbFinishMmu);
    }

    /**
     * userfaultfd_unmap_prep (fs/userfaultfd.c): the ctx of a registered VMA in the range gets an
     * UNMAP event, delivered by userfaultfd_unmap_complete after the lock is dropped, also when
     * munmap fails; from v4.18 it raises mmap_changing. No step in models without userfaultfd.
     */
    static void unmapPrep(Kernel k, Code c, ThreadLocals l, int self) {
        Userfaultfd uffd = k.userfaultfd;
        if (!uffd.present()) {
            return;
        }
        String prep = UNMAP_PREP.label();
        c.step(prep, k.src("fs/userfaultfd.c:" + prep), s -> {
            if (uffd.rangeRegistered(s, l.start.get(s), l.end.get(s))) {
                uffd.prep(s, self);
            }
        });
    }

    /**
     * userfaultfd_unmap_prep(next, start, end, uf) for the VMA the gather loop just stored in the
     * side tree (v6.5+, {@link Feature#UFFD_UNMAP_PREP_PER_VMA}): a registered VMA preps the
     * UNMAP event unless this munmap has one already (has_unmap_ctx: one ctx, one range), so
     * "some gathered VMA is registered" is the kernel's test at the VMA that first passes it;
     * from v6.9 under map_changing_lock for write ({@link Userfaultfd#prepEvent}). {@code then}
     * adds the loop's jumps after each step.
     */
    static void unmapPrepEach(Kernel k, Code c, int self, String site, java.util.function.Consumer<Code> then) {
        Userfaultfd uffd = k.userfaultfd;
        Mm mm = k.mm;
        uffd.prepEvent(c, self, UNMAP_PREP.label(), k.src(site + ", fs/userfaultfd.c:userfaultfd_unmap_prep"), s -> {
            for (int v = 0; v < k.config.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1 && mm.vmaUffdMissing.get(s, v) == 1) {
                    return true;
                }
            }
            return false;
        }, then);
    }

    /**
     * detach_vmas_to_be_unmapped(mm, vma, prev, end): rb-erase each VMA from vma on while it
     * starts below end (map_count--), splice the list (prev->vm_next or mm->mmap := the first VMA
     * after the range), end the detached sub-list, vmacache_invalidate. Returns the VMA after the
     * hole + 1, or NONE.
     */
    private static int detach(Kernel k, ThreadLocals l, long[] s) {
        Mm mm = k.mm;
        int end = l.end.get(s);
        int v = l.vma.deref(s) + 1; // the list walk goes by pointer (slot + 1)
        int tail;
        do {
            mm.vmaInTree.set(s, v - 1, 0);
            mm.mapCount.set(s, mm.mapCount.get(s) - 1);
            tail = v;
            v = mm.vmNext(s, v);
        } while (v != Mm.NONE && mm.vmStart(s, v) < end);
        if (l.prev.get(s) != Mm.NONE) {
            mm.vmaNext.set(s, l.prev.deref(s), v);
        } else {
            mm.listHead.set(s, v);
        }
        mm.vmaNext.set(s, tail - 1, Mm.NONE);
        mm.vmacacheInvalidate(s);
        k.ghost.unmapsInFlight.set(s, k.ghost.unmapsInFlight.get(s) + 1);
        return v;
    }

    /** Reads a field of VMA {@code vma} (+ 1), recording a use-after-free if it was freed. */
    private static int read(Kernel k, long[] s, int vma, int thread, FieldArray field) {
        if (k.mm.vmaAllocated.get(s, vma - 1) == 0) {
            k.ghost.record(s, Ghost.USE_AFTER_FREE_VMA, vma - 1, thread);
        }
        return field.get(s, vma - 1);
    }

    /**
     * -ENOMEM: return with the locals cleared. Nothing was unmapped, so the return promises
     * nothing about the range (I2 checks [start, end), made empty here): another thread's munmap
     * may still be flushing it.
     */
    static void fail(ThreadLocals l, long[] s) {
        l.failed.set(s, 1);
        l.end.set(s, l.start.get(s));
        clear(l, s);
    }

    static void clear(ThreadLocals l, long[] s) {
        l.vma.set(s, Mm.NONE);
        l.prev.set(s, Mm.NONE);
        l.cursor.set(s, Mm.NONE);
    }
}
