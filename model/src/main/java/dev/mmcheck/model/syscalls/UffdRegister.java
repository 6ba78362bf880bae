package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;

/**
 * ioctl(uffd, UFFDIO_REGISTER, {[start, end), UFFDIO_REGISTER_MODE_MISSING}) on the one
 * userfaultfd context of the mm ({@link Userfaultfd}; SEMANTICS.md 6.1). The shape is the same in
 * every version the model knows. Read in fs/userfaultfd.c:userfaultfd_register of v4.19
 * (0x88888888/linux-4.19-comments) and of a v5.x torvalds/linux snapshot, and in v6.13.7
 * (ChenRuiwei/linux-6.13.7: fs/userfaultfd.c:userfaultfd_register validates, then
 * mm/userfaultfd.c:userfaultfd_register_range runs the per-VMA loop and splits through
 * mm/vma.c:vma_modify_flags_uffd and __split_vma). v4.12 was not read; it is taken to have the
 * v4.19 shape.
 * <ol>
 *   <li>down_write(mmap_sem) (mmap_write_lock from v5.8), after mmget_not_zero.</li>
 *   <li>vma = find_vma_prev(start): none is -ENOMEM; a first VMA that starts at or above end is
 *       -EINVAL (no VMA in the range; 6.13.7's vma_find(end) makes both -EINVAL, and the model
 *       only records that the ioctl failed). Then every VMA that starts below end is checked
 *       (vma_can_userfault: anonymous, shmem or hugetlb; here a VM_PFNMAP device mapping or a
 *       shared mapping of a regular file fails, -EINVAL; a VMA of another context would be -EBUSY, but the model has
 *       one context). Holes in the range are allowed: only the VMAs that exist are registered.</li>
 *   <li>For each VMA of the range: one already registered in missing mode is skipped; otherwise
 *       (vma_merge is not modelled, see below) split_vma at start when the VMA begins below it and
 *       at end when it ends above it, then set VM_UFFD_MISSING and vm_userfaultfd_ctx.</li>
 *   <li>up_write. A failed split (no free VMA object: -ENOMEM) stops the loop with the earlier
 *       VMAs registered, as the kernel's {@code break} (6.13.7: {@code return}) does.</li>
 * </ol>
 *
 * <p>Atomicity: the lock steps, the lookup with its validation, and the flag update are one step
 * each (all under the write lock, SEMANTICS.md 8). Each __split_vma is two steps, as its body
 * is: __vma_adjust (v4.12-v6.0; the same order in 6.13.7's __split_vma) first moves vm_start (or
 * vm_end) of the old VMA to the split address, then inserts the new VMA for the part cut off
 * (__insert_vm_struct; vma_complete in 6.13.7). Between the two, the tree has no VMA for that
 * part. Nobody can see that while mmap_sem is write-held (I4 checks the VMA set whenever it is
 * not); a variant that registers under the read lock lets it show. No vmacache invalidation
 * is needed: a split frees no VMA, and vmacache_find checks the range of what it returns.
 *
 * <p>Not modelled: vma_merge with the neighbours (it only saves VMA objects: the flags of every
 * page are the same), the hugetlb alignment checks, the VM_MAYWRITE check (-EPERM in 6.13.7;
 * every VMA here is a writable private mapping), write-protect and minor modes, the per-VMA
 * write lock v6.4+ takes before a VMA changes (the model's faults always take mmap_sem), and the
 * ioctl bits returned to user space.
 *
 * <p>Locals: the thread's {@code vma} (the VMA being registered + 1), {@code cursor} (the
 * kernel's moving {@code start}) and {@code split_new} (the VMA a split has allocated and not
 * yet inserted + 1) are 0 again when the ioctl returns; {@code failed} is its result.
 */
public final class UffdRegister {
    private static final String FS = "fs/userfaultfd.c:";
    /** userfaultfd_register: down_write(mmap_sem), taking it. */
    public static final StepRef DOWN_WRITE = StepRef.in("uffd_register", "down_write");
    /** userfaultfd_register: down_write(mmap_sem), queueing as a writer. */
    public static final StepRef DOWN_WRITE_QUEUE = StepRef.in("uffd_register", Rwsem.queueLabel(DOWN_WRITE.label()));
    /** userfaultfd_register: up_write(mmap_sem). */
    public static final StepRef UP_WRITE = StepRef.in("uffd_register", "up_write");
    /** __split_vma at the range start: __vma_adjust shrinks the VMA. */
    public static final StepRef SPLIT_START_ADJUST = StepRef.in("uffd_register", "__split_vma(start): vma_adjust");
    /** __split_vma at the range start: the new VMA is inserted. */
    public static final StepRef SPLIT_START_INSERT = StepRef.in("uffd_register", "__split_vma(start): insert");
    /** __split_vma at the range end: __vma_adjust shrinks the VMA. */
    public static final StepRef SPLIT_END_ADJUST = StepRef.in("uffd_register", "__split_vma(end): vma_adjust");
    /** __split_vma at the range end: the new VMA is inserted. */
    public static final StepRef SPLIT_END_INSERT = StepRef.in("uffd_register", "__split_vma(end): insert");
    /** userfaultfd_register: find_vma_prev(start) and the checks of every VMA in the range. */
    public static final StepRef FIND_VMA_PREV = StepRef.in("uffd_register", "find_vma_prev");
    /** userfaultfd_register: vm_flags |= VM_UFFD_MISSING and vm_userfaultfd_ctx, then the next VMA. */
    public static final StepRef SET_FLAGS = StepRef.in("uffd_register", "vm_flags |= VM_UFFD_MISSING");
    /** userfaultfd_register: a VMA already registered in missing mode (goto skip). */
    public static final StepRef SKIP = StepRef.in("uffd_register", "skip");

    private UffdRegister() {
    }

    /** The procedure {@code uffd_register}; a model with it must have a userfaultfd ({@link Userfaultfd#of}). */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("uffd_register", c -> body(k, c));
    }

    /** The per-VMA loop: fs/userfaultfd.c in every release the model offers (mm/userfaultfd.c from v6.x). */
    private static String loopSource(Kernel k) {
        return FS + "userfaultfd_register";
    }

    /** __split_vma with __vma_adjust in mm/mmap.c, in every release the model offers (mm/vma.c in v6.x). */
    private static String splitSource(Kernel k) {
        return "mm/mmap.c:__split_vma, __vma_adjust";
    }

    private static void body(Kernel k, Code c) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Mm mm = k.mm;
        Field splitNew = c.local("split_new", 0, k.config.vmaSlots());
        String loop = loopSource(k);
        String split = splitSource(k);

        Rwsem.downWrite(k, c, t, DOWN_WRITE.label());

        // vma = find_vma_prev(mm, start, &prev); no VMA: -ENOMEM; vma->vm_start >= end: -EINVAL;
        // then the "search for not compatible vmas" loop over every VMA starting below end.
        String find = FIND_VMA_PREV.label();
        c.step(find, k.src(FS + "userfaultfd_register, " + FindVma.source(k)), s -> {
            int start = l.start.get(s);
            int end = l.end.get(s);
            int v = FindVma.find(k, s, t, start);
            if (v == Mm.NONE || mm.vmStart(s, v) >= end) {
                l.failed.set(s, 1);
                return;
            }
            for (int cur = v; cur != Mm.NONE && mm.vmStart(s, cur) < end; cur = mm.vmNext(s, cur)) {
                if (mm.isFileVma(s, cur - 1)) {
                    l.failed.set(s, 1); // !vma_can_userfault(cur) (not anonymous, shmem or hugetlb): -EINVAL
                    return;
                }
            }
            l.vma.set(s, v);
            l.cursor.set(s, start);
        });
        dispatch(c, l, mm);

        // split_vma(mm, vma, start, 1): the new VMA takes [vm_start, start), vma keeps [start, vm_end).
        String adjustLow = SPLIT_START_ADJUST.label();
        c.step(adjustLow, k.src(split), s -> {
            int n = mm.splitUnlinked(s, l.vma.deref(s), l.cursor.get(s), true);
            if (n == Mm.NONE) {
                fail(l, s); // vm_area_alloc failed: -ENOMEM, break
                return;
            }
            splitNew.set(s, n);
        }).ifGoTo(s -> l.failed.get(s) == 1, UP_WRITE.label());
        String insertLow = SPLIT_START_INSERT.label();
        c.step(insertLow, k.src(split + ", __insert_vm_struct"), s -> {
            mm.link(s, splitNew.get(s) - 1);
            splitNew.set(s, Mm.NONE);
        })
                .ifGoTo(s -> mm.vmaEnd.get(s, l.vma.slot(s)) > l.end.get(s), SPLIT_END_ADJUST.label())
                .goTo(SET_FLAGS.label());

        // split_vma(mm, vma, end, 0): vma keeps [vm_start, end), the new VMA takes [end, vm_end).
        String adjustHigh = SPLIT_END_ADJUST.label();
        c.step(adjustHigh, k.src(split), s -> {
            int n = mm.splitUnlinked(s, l.vma.deref(s), l.end.get(s), false);
            if (n == Mm.NONE) {
                fail(l, s);
                return;
            }
            splitNew.set(s, n);
        }).ifGoTo(s -> l.failed.get(s) == 1, UP_WRITE.label());
        String insertHigh = SPLIT_END_INSERT.label();
        c.step(insertHigh, k.src(split + ", __insert_vm_struct"), s -> {
            mm.link(s, splitNew.get(s) - 1);
            splitNew.set(s, Mm.NONE);
        });

        // vma->vm_flags = new_flags; vma->vm_userfaultfd_ctx.ctx = ctx (userfaultfd_set_ctx in
        // 6.13.7); then skip: start = vma->vm_end; vma = vma->vm_next, while it starts below end.
        String flags = SET_FLAGS.label();
        c.step(flags, k.src(loop), s -> {
            mm.vmaUffdMissing.set(s, l.vma.deref(s), 1);
            next(mm, l, s);
        });
        dispatch(c, l, mm);

        // Already registered with this context in missing mode: nothing to do (goto skip).
        String skip = SKIP.label();
        c.step(skip, k.src(loop), s -> next(mm, l, s));
        dispatch(c, l, mm);

        Rwsem.upWrite(k, c, t, UP_WRITE.label());
    }

    /**
     * Where the loop goes for the VMA in {@code vma}: out (none left, or an error), skip (already
     * registered), the split at start, the split at end, or straight to the flags.
     */
    private static void dispatch(Code c, ThreadLocals l, Mm mm) {
        Guard none = s -> l.vma.get(s) == Mm.NONE;
        c.ifGoTo(none, UP_WRITE.label())
                .ifGoTo(s -> mm.vmaUffdMissing.get(s, l.vma.slot(s)) == 1, SKIP.label())
                .ifGoTo(s -> mm.vmaStart.get(s, l.vma.slot(s)) < l.cursor.get(s), SPLIT_START_ADJUST.label())
                .ifGoTo(s -> mm.vmaEnd.get(s, l.vma.slot(s)) > l.end.get(s), SPLIT_END_ADJUST.label())
                .goTo(SET_FLAGS.label());
    }

    /** start = vma->vm_end; vma = vma->vm_next; the loop ends at a VMA that starts at or above end. */
    private static void next(Mm mm, ThreadLocals l, long[] s) {
        int v = l.vma.deref(s);
        int nxt = mm.vmNext(s, v + 1);
        if (nxt == Mm.NONE || mm.vmStart(s, nxt) >= l.end.get(s)) {
            l.vma.set(s, Mm.NONE);
            l.cursor.set(s, 0);
            return;
        }
        l.cursor.set(s, mm.vmaEnd.get(s, v));
        l.vma.set(s, nxt);
    }

    /** -ENOMEM from a split: stop with what was registered so far. */
    private static void fail(ThreadLocals l, long[] s) {
        l.failed.set(s, 1);
        l.vma.set(s, Mm.NONE);
        l.cursor.set(s, 0);
    }
}
