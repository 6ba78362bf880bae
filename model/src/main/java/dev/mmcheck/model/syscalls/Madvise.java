package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.LockVmaUnderRcu;
import dev.mmcheck.model.mm.MapleNodes;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * madvise(start, len, MADV_DONTNEED) in its v4.12 shape (mm/madvise.c:SYSCALL_DEFINE3(madvise),
 * madvise_vma, madvise_dontneed; mm/memory.c:zap_page_range), which later versions keep for
 * anonymous memory: under mmap_sem <b>read</b>, find_vma_prev, then for each VMA overlapping
 * [start, end): a VM_LOCKED VMA fails with -EINVAL (can_madv_dontneed_vma); otherwise
 * zap_page_range on its part with a gather of its own (tlb_gather_mmu, unmap_single_vma →
 * zap_pte_range, tlb_finish_mmu). A hole in the range makes the result -ENOMEM after the mapped
 * parts are zapped. With a userfaultfd, userfaultfd_remove runs before each VMA's zap
 * ({@link Userfaultfd}: REMOVE event, mmap_sem dropped and re-taken, VMA re-found).
 *
 * <p>From v6.16 ({@link Feature#MADVISE_BATCHED_GATHER}) one gather serves the whole call:
 * madvise_init_tlb's tlb_gather_mmu after madvise_lock, each VMA zapped into it
 * (zap_page_range_single_batched), madvise_finish_tlb's tlb_finish_mmu before madvise_unlock.
 * From v6.17 ({@link Feature#MADV_DONTNEED_UNDER_VMA_LOCK}; mm/madvise.c, read in 6.18.2:
 * do_madvise 1962-1985, madvise_walk_vmas 1619-1640, try_vma_read_lock 1583-1607)
 * madvise_lock takes nothing, the gather starts first, and try_vma_read_lock takes the per-VMA
 * read lock of the VMA at start ({@link LockVmaUnderRcu}); a range that runs past that VMA's end
 * gives it back. Under the VMA lock the one VMA is zapped, vma_end_read, and only then is the
 * gather finished (its flush and the freeing of the zapped pages), with no lock held. When the
 * VMA lock cannot be had, mmap_read_lock and the walk below, into the same gather.
 *
 * <p>What the caller may rely on when it returns (I2) covers the pages it zapped: on exit
 * {@code start}/{@code end} are narrowed to [first zapped page, end of the last zapped part), or
 * made empty when no VMA was found. A range with no VMA gives no promise: under v4.20's
 * downgraded munmap another thread may still be zapping it, which the kernel allows.
 */
public final class Madvise {
    private static final String SRC = "mm/madvise.c:SYSCALL_DEFINE3(madvise)";
    /** SYSCALL_DEFINE3(madvise): down_read(&current->mm->mmap_sem) (madvise_need_mmap_write is false). */
    public static final StepRef DOWN_READ = StepRef.in("madvise_dontneed", "down_read");
    /** SYSCALL_DEFINE3(madvise): vma = find_vma_prev(current->mm, start, &prev), then the loop head. */
    public static final StepRef FIND_VMA_PREV = StepRef.in("madvise_dontneed", "find_vma_prev");
    /**
     * find_vma_prev: mas_walk, recording the tree's node, before the mas_prev that reads it (the
     * {@link #FIND_VMA_PREV} step); a step of its own only with {@link MapleNodes}.
     */
    public static final StepRef FIND_VMA_PREV_MAS_WALK = StepRef.in("madvise_dontneed", "find_vma_prev: mas_walk");
    /** madvise_dontneed: userfaultfd_remove(vma, start, end) before the zap. */
    public static final StepRef USERFAULTFD_REMOVE = StepRef.in("madvise_dontneed", "userfaultfd_remove");
    /** madvise_dontneed: after userfaultfd_remove dropped mmap_sem, the VMA is found again (or -ENOMEM). */
    public static final StepRef REMOVE_REVALIDATED = StepRef.in("madvise_dontneed", "remove: vma revalidated");
    /** zap_page_range: tlb_gather_mmu(&tlb, mm, start, end). */
    public static final StepRef TLB_GATHER_MMU = StepRef.in("madvise_dontneed", "tlb_gather_mmu");
    /** zap_page_range: unmap_single_vma(&tlb, vma, start, end, details). */
    public static final StepRef UNMAP_SINGLE_VMA = StepRef.in("madvise_dontneed", "unmap_single_vma");
    /** zap_page_range: tlb_finish_mmu(&tlb, start, end). */
    public static final StepRef TLB_FINISH_MMU = StepRef.in("madvise_dontneed", "tlb_finish_mmu");
    /** SYSCALL_DEFINE3(madvise): start = tmp; vma = prev->vm_next; the loop head. */
    public static final StepRef NEXT_VMA = StepRef.in("madvise_dontneed", "vma = prev->vm_next");
    /** SYSCALL_DEFINE3(madvise): up_read(&current->mm->mmap_sem). */
    public static final StepRef UP_READ = StepRef.in("madvise_dontneed", "up_read");
    // From v6.17 (Feature.MADV_DONTNEED_UNDER_VMA_LOCK): try_vma_read_lock, then one VMA's zap.
    /** try_vma_read_lock: lock_vma_under_rcu(mm, start), its first step. */
    public static final StepRef MAS_WALK = StepRef.in("madvise_dontneed", LockVmaUnderRcu.MAS_WALK);
    /** try_vma_read_lock: vma_start_read's early check. */
    public static final StepRef VMA_START_READ = StepRef.in("madvise_dontneed", LockVmaUnderRcu.START_READ);
    /** try_vma_read_lock: vma_start_read's increment of vm_refcnt. */
    public static final StepRef VMA_REFCOUNT_INC = StepRef.in("madvise_dontneed", LockVmaUnderRcu.REFCOUNT_INC);
    /** try_vma_read_lock: the re-check, rcu_read_unlock and the address check. */
    public static final StepRef VMA_LOCK_CHECKS = StepRef.in("madvise_dontneed", LockVmaUnderRcu.CHECKS);
    /** try_vma_read_lock: the range must end inside the VMA (else vma_end_read, mmap_read_lock); VM_LOCKED: -EINVAL. */
    public static final StepRef VMA_RANGE = StepRef.in("madvise_dontneed", "try_vma_read_lock: range end > vm_end");
    /** madvise_dontneed_single_vma: zap_page_range_single_batched into the call's gather, under the VMA lock. */
    public static final StepRef ZAP_BATCHED = StepRef.in("madvise_dontneed", "zap_page_range_single_batched");
    /** madvise_walk_vmas: vma_end_read(madv_behavior->vma), before the gather is finished. */
    public static final StepRef VMA_END_READ = StepRef.in("madvise_dontneed", "vma_end_read");
    /** do_madvise: madvise_unlock, which releases mmap_lock only if the walk fell back to it (lock_mode). */
    public static final StepRef MADVISE_UNLOCK = StepRef.in("madvise_dontneed", "madvise_unlock");

    private Madvise() {
    }

    /** The madvise(MADV_DONTNEED) procedure; arguments are the caller's {@code start} and {@code end}. */
    public static Procedure dontneed(Kernel k) {
        return k.program.procedure("madvise_dontneed", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        Mm mm = k.mm;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        MmuGather.Locals g = MmuGather.Locals.of(c, k);
        MmuGather gather = MmuGather.of(k);

        boolean batched = k.has(Feature.MADVISE_BATCHED_GATHER);
        boolean vmaLock = k.has(Feature.MADV_DONTNEED_UNDER_VMA_LOCK);
        if (vmaLock && !batched) {
            throw new IllegalArgumentException("variant " + k.variant.name() + ": MADV_DONTNEED under the per-VMA lock ("
                    + Feature.MADV_DONTNEED_UNDER_VMA_LOCK.commit() + ") is modelled with its batched gather ("
                    + Feature.MADVISE_BATCHED_GATHER.name() + ") only");
        }
        // madv_behavior->lock_mode is MADVISE_MMAP_READ_LOCK: the walk fell back to mmap_read_lock.
        Field mmapLocked = vmaLock ? c.local("lock_mode_mmap_read", 0, 1) : null;
        String zapSrc = k.src("mm/madvise.c:madvise_dontneed, mm/memory.c:zap_page_range");
        String batchSrc = k.src("mm/madvise.c:do_madvise, madvise_init_tlb, madvise_finish_tlb");
        String upRead = batched ? TLB_FINISH_MMU.label() : UP_READ.label();
        if (batched && !vmaLock) {
            Rwsem.downRead(k, c, self, DOWN_READ.label()); // madvise_lock: mmap_read_lock
        }
        if (batched) {
            // madvise_init_tlb: tlb_gather_mmu(&tlb, mm) for the whole call (inc_tlb_flush_pending).
            c.call(TLB_GATHER_MMU.label(), batchSrc, gather.tlbGatherMmu, s -> {
                gather.recordRange(g, s, l.start.get(s), l.end.get(s));
                l.page.set(s, l.start.get(s)); // lock_vma_under_rcu(mm, madv_behavior->range.start)
            });
        }
        if (vmaLock) {
            vmaLocked(k, c, l, self, g, gather);
        }
        if (!(batched && !vmaLock)) {
            Rwsem.downRead(k, c, self, DOWN_READ.label());
        }
        // vma = find_vma_prev(mm, start, &prev); then the loop head for the first VMA. The
        // kernel's moving `start` is `cursor` here.
        String find = FIND_VMA_PREV.label();
        MapleNodes nodes = k.mapleNodes;
        if (nodes.present()) {
            // StackRot's reader (v6.1 mm/madvise.c:madvise_walk_vmas): find_vma_prev's mas_walk
            // and mas_prev run under mmap_lock read, outside RCU. The VMA is taken at the second
            // step: a stack growing in between only covers more of the range.
            c.step(FIND_VMA_PREV_MAS_WALK.label(), k.src("mm/madvise.c:madvise_walk_vmas, mm/mmap.c:find_vma_prev, mas_walk"),
                    s -> nodes.walk(s, self));
        }
        c.step(find, k.src(SRC + ", mm/mmap.c:find_vma_prev"), s -> {
            if (nodes.present()) {
                nodes.read(s, self); // mas_prev
            }
            if (mmapLocked != null) {
                mmapLocked.set(s, 1); // try_vma_read_lock's take_mmap_read_lock: lock_mode = MADVISE_MMAP_READ_LOCK
            }
            l.vma.set(s, FindVma.find(k, s, self, l.start.get(s)));
            l.cursor.set(s, l.start.get(s));
            loopHead(k, l, s, true);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, upRead);

        // With a userfaultfd: userfaultfd_remove before each VMA's zap (it may drop and re-take
        // mmap_sem and re-find the VMA).
        Userfaultfd uffd = k.userfaultfd;
        String unmap = UNMAP_SINGLE_VMA.label();
        String loop = uffd.present() ? USERFAULTFD_REMOVE.label() : batched ? unmap : TLB_GATHER_MMU.label();
        if (uffd.present()) {
            c.call(loop, k.src("mm/madvise.c:madvise_dontneed"), uffd.remove)
                    .step(REMOVE_REVALIDATED.label(), k.src("mm/madvise.c:madvise_dontneed"))
                    .ifGoTo(s -> l.vma.get(s) == Mm.NONE, upRead);
        }
        if (!batched) {
            // zap_page_range(vma, start, size): tlb_gather_mmu(&tlb, mm, start, end).
            c.call(TLB_GATHER_MMU.label(), zapSrc, gather.tlbGatherMmu, s -> {
                int v = l.vma.deref(s);
                gather.recordRange(g, s, Math.max(mm.vmaStart.get(s, v), l.cursor.get(s)), Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
            });
        }
        c.call(unmap, k.src(batched ? "mm/madvise.c:madvise_dontneed_single_vma, mm/memory.c:zap_page_range_single_batched, unmap_single_vma"
                        : "mm/memory.c:zap_page_range, unmap_single_vma"), gather.zapPteRange,
                s -> zapArguments(k, l, g, s));
        if (!batched) {
            c.call(TLB_FINISH_MMU.label(), zapSrc, gather.tlbFinishMmu);
        }

        // start = tmp; prev = vma (madvise_dontneed); vma = prev->vm_next; loop head.
        String next = NEXT_VMA.label();
        c.step(next, k.src(SRC), s -> {
            int v = l.vma.deref(s);
            l.cursor.set(s, Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
            l.vma.set(s, mm.vmNext(s, v + 1));
            loopHead(k, l, s, false);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, upRead).goTo(loop);

        if (batched) {
            // madvise_finish_tlb: tlb_finish_mmu, then madvise_unlock: mmap_read_unlock.
            c.call(TLB_FINISH_MMU.label(), batchSrc, gather.tlbFinishMmu);
        }
        if (vmaLock) {
            // madvise_unlock: switch (lock_mode): MADVISE_VMA_READ_LOCK has nothing left to release.
            c.step(MADVISE_UNLOCK.label(), k.src("mm/madvise.c:madvise_unlock"), s -> { })
                    .ifGoTo(s -> mmapLocked.get(s) == 0, Code.RETURN);
        }
        Rwsem.upRead(k, c, self, UP_READ.label());
    }

    /**
     * v6.17+: try_vma_read_lock and, under the VMA lock, madvise_vma_behavior on that one VMA,
     * then vma_end_read and the gather's finish; the caller's next step is the mmap_lock fallback
     * ({@link #DOWN_READ}).
     */
    private static void vmaLocked(Kernel k, Code c, ThreadLocals l, int self, MmuGather.Locals g, MmuGather gather) {
        Mm mm = k.mm;
        String walk = k.src("mm/madvise.c:madvise_walk_vmas, try_vma_read_lock");
        LockVmaUnderRcu.steps(k, c, l, self, DOWN_READ.label(), VMA_RANGE.label());
        // The range must end inside the VMA, and the VMA have no userfaultfd (userfaultfd_remove
        // would drop mmap_lock): else vma_end_read and take mmap_read_lock. Then
        // madvise_dontneed_free's madvise_dontneed_valid_vma: a VM_LOCKED VMA gives -EINVAL.
        Userfaultfd uffd = k.userfaultfd;
        c.step(VMA_RANGE.label(), walk, s -> {
            int v = l.vma.deref(s);
            if (l.end.get(s) > mm.vmaEnd.get(s, v) || uffd.missing(s, v + 1)) {
                VmaLock.endHeldRead(k, s, self);
                l.vma.set(s, Mm.NONE);
            } else if (mm.vmaLocked.get(s, v) == 1) {
                l.failed.set(s, 1);
            } else {
                l.cursor.set(s, l.start.get(s));
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, DOWN_READ.label())
                .ifGoTo(s -> l.failed.get(s) == 1, VMA_END_READ.label());
        c.call(ZAP_BATCHED.label(), k.src("mm/madvise.c:madvise_dontneed_single_vma, mm/memory.c:zap_page_range_single_batched,"
                + " unmap_single_vma"), gather.zapPteRange, s -> zapArguments(k, l, g, s));
        // vma_end_read(madv_behavior->vma); what was zapped is [start, end) (nothing on -EINVAL).
        c.step(VMA_END_READ.label(), walk, s -> {
            l.vma.deref(s); // vma_end_read(madv_behavior->vma) uses the pointer
            VmaLock.endHeldRead(k, s, self);
            exit(l, s, l.failed.get(s) == 1 ? -1 : l.end.get(s));
        }).goTo(TLB_FINISH_MMU.label()); // madvise_finish_tlb with no lock held
    }

    /** unmap_single_vma's range: the part of [cursor, end) inside the thread's VMA. */
    private static void zapArguments(Kernel k, ThreadLocals l, MmuGather.Locals g, long[] s) {
        Mm mm = k.mm;
        int v = l.vma.deref(s);
        g.zapAddr.set(s, Math.max(mm.vmaStart.get(s, v), l.cursor.get(s)));
        g.zapEnd.set(s, Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
        if (g.reclaimPt != null) {
            g.reclaimPt.set(s, 1); // madvise_dontneed_single_vma: details.reclaim_pt = true (v6.14+)
        }
    }

    /**
     * The head of the syscall's loop over VMAs: leaves in {@code vma}/{@code cursor} the next part
     * to zap, or ends the loop (vma = NONE) with the error and the narrowed range.
     */
    private static void loopHead(Kernel k, ThreadLocals l, long[] s, boolean first) {
        Mm mm = k.mm;
        int end = l.end.get(s);
        int cursor = l.cursor.get(s);
        int zappedUpTo = first ? -1 : cursor;
        int v = l.vma.get(s);
        if (!first && cursor >= end) {
            exit(l, s, zappedUpTo);
            return;
        }
        if (v == Mm.NONE) {
            l.failed.set(s, 1); // -ENOMEM: nothing mapped at or above start
            exit(l, s, zappedUpTo);
            return;
        }
        int vma = l.vma.deref(s);
        if (cursor < mm.vmaStart.get(s, vma)) {
            l.failed.set(s, 1); // unmapped_error = -ENOMEM, returned after the rest is done
            cursor = mm.vmaStart.get(s, vma);
            if (cursor >= end) {
                exit(l, s, zappedUpTo);
                return;
            }
        }
        if (mm.vmaLocked.get(s, vma) == 1) {
            l.failed.set(s, 1); // can_madv_dontneed_vma: -EINVAL
            exit(l, s, zappedUpTo);
            return;
        }
        l.cursor.set(s, cursor);
        if (first) {
            l.start.set(s, cursor);
        }
    }

    /** Ends the loop: the range the return promises is what was zapped; loop locals cleared. */
    private static void exit(ThreadLocals l, long[] s, int zappedUpTo) {
        l.end.set(s, zappedUpTo < 0 ? l.start.get(s) : zappedUpTo);
        l.vma.set(s, Mm.NONE);
        l.cursor.set(s, 0);
    }
}
