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
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

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
    // From v6.4 (per-VMA locks): __split_vma allocates, write-locks the VMA, then splits in one
    // tree store; userfaultfd_set_ctx write-locks the VMA before its flags change.
    /** __split_vma at the range start: vm_area_dup (-ENOMEM before anything is locked). */
    public static final StepRef SPLIT_START_DUP = StepRef.in("uffd_register", "__split_vma(start): vm_area_dup");
    /** __split_vma at the range start: vma_start_write(vma). */
    public static final StepRef SPLIT_START_WRITE = StepRef.in("uffd_register", "__split_vma(start): vma_start_write");
    /** The down_write of {@link #SPLIT_START_WRITE} that waits for the VMA's readers. */
    public static final StepRef SPLIT_START_WRITE_WAIT = StepRef.in("uffd_register", VmaLock.waitLabel(SPLIT_START_WRITE.label()));
    /** The same wait from v6.15 (vm_refcnt). */
    public static final StepRef SPLIT_START_WRITE_REFCOUNT_WAIT = StepRef.in("uffd_register",
            VmaLock.refcountWaitLabel(SPLIT_START_WRITE.label()));
    /** __split_vma at the range start: the new VMA (write-locked) and the shrunk one stored in the tree. */
    public static final StepRef SPLIT_START = StepRef.in("uffd_register", "__split_vma(start)");
    /** __split_vma at the range end: vm_area_dup. */
    public static final StepRef SPLIT_END_DUP = StepRef.in("uffd_register", "__split_vma(end): vm_area_dup");
    /** __split_vma at the range end: vma_start_write(vma). */
    public static final StepRef SPLIT_END_WRITE = StepRef.in("uffd_register", "__split_vma(end): vma_start_write");
    /** The down_write of {@link #SPLIT_END_WRITE} that waits for the VMA's readers. */
    public static final StepRef SPLIT_END_WRITE_WAIT = StepRef.in("uffd_register", VmaLock.waitLabel(SPLIT_END_WRITE.label()));
    /** The same wait from v6.15 (vm_refcnt). */
    public static final StepRef SPLIT_END_WRITE_REFCOUNT_WAIT = StepRef.in("uffd_register",
            VmaLock.refcountWaitLabel(SPLIT_END_WRITE.label()));
    /** __split_vma at the range end: the new VMA and the shrunk one stored in the tree. */
    public static final StepRef SPLIT_END = StepRef.in("uffd_register", "__split_vma(end)");
    /** Before the flags change: vma_start_write(vma) (userfaultfd_set_ctx from v6.12). */
    public static final StepRef SET_FLAGS_WRITE = StepRef.in("uffd_register", "vma_start_write");
    /** The down_write of {@link #SET_FLAGS_WRITE} that waits for the VMA's readers. */
    public static final StepRef SET_FLAGS_WRITE_WAIT = StepRef.in("uffd_register", VmaLock.waitLabel(SET_FLAGS_WRITE.label()));
    /** The same wait from v6.15 (vm_refcnt). */
    public static final StepRef SET_FLAGS_WRITE_REFCOUNT_WAIT = StepRef.in("uffd_register",
            VmaLock.refcountWaitLabel(SET_FLAGS_WRITE.label()));

    private UffdRegister() {
    }

    /** The procedure {@code uffd_register}; a model with it must have a userfaultfd ({@link Userfaultfd#of}). */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("uffd_register", c -> body(k, c));
    }

    /**
     * The per-VMA loop: fs/userfaultfd.c; in mm/userfaultfd.c:userfaultfd_register_range in 6.12.0
     * and 6.18.2 (moved in the v6.10 cycle; of the releases offered, those with mm/vma.c's munmap).
     */
    private static String loopSource(Kernel k) {
        return k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/userfaultfd.c:userfaultfd_register_range" : FS + "userfaultfd_register";
    }

    /** __split_vma: with __vma_adjust in mm/mmap.c to v6.1; in mm/mmap.c (v6.6) or mm/vma.c (v6.12+) with per-VMA locks. */
    private static String splitSource(Kernel k) {
        if (!k.mm.perVmaLocks()) {
            return "mm/mmap.c:__split_vma, __vma_adjust";
        }
        return (k.has(Feature.MUNMAP_GATHER_COMPLETE) ? "mm/vma.c" : "mm/mmap.c") + ":__split_vma";
    }

    private static void body(Kernel k, Code c) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Mm mm = k.mm;
        boolean perVma = mm.perVmaLocks();
        Field splitNew = perVma ? null : c.local("split_new", 0, k.config.vmaSlots());
        String loop = loopSource(k);

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
        Labels to = perVma ? new Labels(SPLIT_START_DUP.label(), SPLIT_END_DUP.label(), SET_FLAGS_WRITE.label())
                : new Labels(SPLIT_START_ADJUST.label(), SPLIT_END_ADJUST.label(), SET_FLAGS.label());
        dispatch(c, l, mm, to);
        if (perVma) {
            lockedSplits(k, c, l, to);
        } else {
            splits(k, c, l, splitNew);
        }

        // vma->vm_flags = new_flags; vma->vm_userfaultfd_ctx.ctx = ctx (userfaultfd_set_ctx from
        // v6.12, after its vma_start_write); then skip: start = vma->vm_end; vma = vma->vm_next,
        // while it starts below end.
        if (perVma) {
            VmaLock.startWrite(k, c, SET_FLAGS_WRITE.label(), loop, l.vma::slot, SET_FLAGS.label());
        }
        String flags = SET_FLAGS.label();
        c.step(flags, k.src(loop), s -> {
            mm.vmaUffdMissing.set(s, l.vma.deref(s), 1);
            next(mm, l, s);
        });
        dispatch(c, l, mm, to);

        // Already registered with this context in missing mode: nothing to do (goto skip).
        String skip = SKIP.label();
        c.step(skip, k.src(loop), s -> next(mm, l, s));
        dispatch(c, l, mm, to);

        Rwsem.upWrite(k, c, t, UP_WRITE.label());
    }

    /** Where {@link #dispatch} sends a VMA that needs a split at start, a split at end, or only its flags. */
    private record Labels(String splitStart, String splitEnd, String flags) {
    }

    /**
     * The splits to v6.1, two steps each (__vma_adjust, then __insert_vm_struct): between them
     * the tree has no VMA for the part cut off, which nobody sees while mmap_sem is write-held.
     */
    private static void splits(Kernel k, Code c, ThreadLocals l, Field splitNew) {
        Mm mm = k.mm;
        String split = splitSource(k);
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
        }).goTo(SET_FLAGS.label());
    }

    /**
     * The splits from v6.4 (__split_vma, read in v6.6.9 mm/mmap.c and 6.12.0 mm/vma.c; reached
     * through vma_modify_flags_uffd from v6.12): vm_area_dup, -ENOMEM before anything is locked;
     * vma_start_write(vma), which waits for the VMA's per-VMA readers; then one step for
     * vma_start_write(new) and the tree store of both halves (vma_iter_store: an RCU walker sees
     * the tree before or after it, and the VMA it finds is write-locked either way). The VMA the
     * loop registers keeps the part in the range, as before.
     */
    private static void lockedSplits(Kernel k, Code c, ThreadLocals l, Labels to) {
        Mm mm = k.mm;
        String split = splitSource(k);
        lockedSplit(k, c, l, SPLIT_START_DUP, SPLIT_START_WRITE, SPLIT_START, split, s -> l.cursor.get(s), true);
        c.ifGoTo(s -> mm.vmaEnd.get(s, l.vma.slot(s)) > l.end.get(s), to.splitEnd()).goTo(to.flags());
        lockedSplit(k, c, l, SPLIT_END_DUP, SPLIT_END_WRITE, SPLIT_END, split, s -> l.end.get(s), false);
        c.goTo(to.flags());
    }

    private static void lockedSplit(Kernel k, Code c, ThreadLocals l, StepRef dup, StepRef write, StepRef store, String split,
                                    java.util.function.ToIntFunction<long[]> addr, boolean newBelow) {
        Mm mm = k.mm;
        c.step(dup.label(), k.src(split + ", vm_area_dup"), s -> {
            if (mm.freeVmaSlot(s) == Mm.NONE) {
                fail(l, s); // -ENOMEM: stop with what was registered so far
            }
        }).ifGoTo(s -> l.failed.get(s) == 1, UP_WRITE.label());
        VmaLock.startWrite(k, c, write.label(), split, l.vma::slot, store.label());
        c.step(store.label(), k.src(split + ", vma_iter_store"), s -> {
            int made = mm.split(s, l.vma.deref(s), addr.applyAsInt(s), newBelow);
            mm.vmaWriteLocked.set(s, made - 1, 1); // vma_start_write(new); the object was free above
        });
    }

    /**
     * Where the loop goes for the VMA in {@code vma}: out (none left, or an error), skip (already
     * registered), the split at start, the split at end, or straight to the flags.
     */
    private static void dispatch(Code c, ThreadLocals l, Mm mm, Labels to) {
        Guard none = s -> l.vma.get(s) == Mm.NONE;
        c.ifGoTo(none, UP_WRITE.label())
                .ifGoTo(s -> mm.vmaUffdMissing.get(s, l.vma.slot(s)) == 1, SKIP.label())
                .ifGoTo(s -> mm.vmaStart.get(s, l.vma.slot(s)) < l.cursor.get(s), to.splitStart())
                .ifGoTo(s -> mm.vmaEnd.get(s, l.vma.slot(s)) > l.end.get(s), to.splitEnd())
                .goTo(to.flags());
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
