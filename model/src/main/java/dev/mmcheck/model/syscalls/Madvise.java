package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.MapleNodes;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;

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

        Rwsem.downRead(k, c, self, DOWN_READ.label());
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
            l.vma.set(s, FindVma.find(k, s, self, l.start.get(s)));
            l.cursor.set(s, l.start.get(s));
            loopHead(k, l, s, true);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, UP_READ.label());

        // With a userfaultfd: userfaultfd_remove before each VMA's zap (it may drop and re-take
        // mmap_sem and re-find the VMA).
        Userfaultfd uffd = k.userfaultfd;
        String loop = uffd.present() ? USERFAULTFD_REMOVE.label() : TLB_GATHER_MMU.label();
        if (uffd.present()) {
            c.call(loop, k.src("mm/madvise.c:madvise_dontneed"), uffd.remove)
                    .step(REMOVE_REVALIDATED.label(), k.src("mm/madvise.c:madvise_dontneed"))
                    .ifGoTo(s -> l.vma.get(s) == Mm.NONE, UP_READ.label());
        }
        String zapSrc = k.src("mm/madvise.c:madvise_dontneed, mm/memory.c:zap_page_range");
        // zap_page_range(vma, start, size): tlb_gather_mmu(&tlb, mm, start, end).
        c.call(TLB_GATHER_MMU.label(), zapSrc, gather.tlbGatherMmu, s -> {
            int v = l.vma.deref(s);
            gather.recordRange(g, s, Math.max(mm.vmaStart.get(s, v), l.cursor.get(s)), Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
        });
        String unmap = UNMAP_SINGLE_VMA.label();
        c.call(unmap, k.src("mm/memory.c:zap_page_range, unmap_single_vma"), gather.zapPteRange,
                s -> {
                    int v = l.vma.deref(s);
                    g.zapAddr.set(s, Math.max(mm.vmaStart.get(s, v), l.cursor.get(s)));
                    g.zapEnd.set(s, Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
                });
        c.call(TLB_FINISH_MMU.label(), zapSrc, gather.tlbFinishMmu);

        // start = tmp; prev = vma (madvise_dontneed); vma = prev->vm_next; loop head.
        String next = NEXT_VMA.label();
        c.step(next, k.src(SRC), s -> {
            int v = l.vma.deref(s);
            l.cursor.set(s, Math.min(mm.vmaEnd.get(s, v), l.end.get(s)));
            l.vma.set(s, mm.vmNext(s, v + 1));
            loopHead(k, l, s, false);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, UP_READ.label()).goTo(loop);

        Rwsem.upRead(k, c, self, UP_READ.label());
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
