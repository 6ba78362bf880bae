package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Access;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;

/**
 * mlock(2) and munlock(2) on [{@link ThreadLocals#start}, {@link ThreadLocals#end}), v4.12
 * (mm/mlock.c: do_mlock / SYSCALL munlock, apply_vma_lock_flags, mlock_fixup; SEMANTICS.md §7):
 * down_write(mmap_sem); find_vma(start), which must start at or below start (else -ENOMEM);
 * then for each VMA of the range, without holes (else -ENOMEM), mlock_fixup:
 * <ol>
 *   <li>a VMA that already has the wanted VM_LOCKED state is left alone and not counted;</li>
 *   <li>split at the range's start and end (__split_vma; no free VMA object: -ENOMEM, with
 *       earlier splits and VMAs kept as they are, as the kernel does);</li>
 *   <li>locked_vm += pages of the part, or -= for munlock;</li>
 *   <li>set or clear VM_LOCKED;</li>
 * </ol>
 * then up_write. Each mlock_fixup is one step (everything runs under mmap_sem write). From v6.4
 * ({@code Feature.PER_VMA_LOCK}) a VMA that mlock_fixup changes is write-locked before it is
 * split or changed (vma_start_write in __split_vma and mlock_fixup, v6.6.9 mm/mlock.c 467 and
 * 390), which waits for page faults holding its read lock; the halves a split makes are
 * write-locked from their creation. 6.6 adds locked_vm before write-locking a VMA it does not
 * split; no other CPU reads locked_vm, so the one step shows both after the lock.
 *
 * <p>Not modelled: vma_merge (it only saves VMA objects and does not change the accounting),
 * the RLIMIT_MEMLOCK check (the caller is taken to have CAP_IPC_LOCK), VM_LOCKONFAULT (whose
 * changes are mlock_fixup's "already locked: count 0" case), populating the pages after mlock
 * (__mm_populate, which faults them in like {@link Access}) and the page-level mlock state of
 * munlock_vma_pages_range: the model checks locked_vm, not page flags.
 *
 * <p>Locals: {@code vma} (the VMA being fixed + 1) and {@code cursor} (nstart) are 0 again when
 * the call returns; {@code failed} is the result.
 */
public final class Mlock {
    private static final String MLOCK = "mm/mlock.c:";
    /** mlock: down_write_killable(mmap_sem), taking it. */
    public static final StepRef MLOCK_DOWN_WRITE = StepRef.in("mlock", "down_write");
    /** mlock: down_write_killable(mmap_sem), queueing as a writer. */
    public static final StepRef MLOCK_DOWN_WRITE_QUEUE = StepRef.in("mlock", Rwsem.queueLabel(MLOCK_DOWN_WRITE.label()));
    /** mlock: apply_vma_lock_flags, find_vma(start). */
    public static final StepRef MLOCK_FIND_VMA = StepRef.in("mlock", "find_vma");
    /** mlock: mlock_fixup (apply_vma_lock_flags) splits the VMA and accounts locked_vm. */
    public static final StepRef MLOCK_FIXUP = StepRef.in("mlock", "mlock_fixup");
    /** mlock: mlock_fixup write-locks the VMA before splitting or changing it (v6.4+). */
    public static final StepRef MLOCK_VMA_START_WRITE = StepRef.in("mlock", "mlock_fixup: vma_start_write");
    /** mlock: the down_write of {@link #MLOCK_VMA_START_WRITE} that waits for the VMA's readers. */
    public static final StepRef MLOCK_VMA_START_WRITE_WAIT = StepRef.in("mlock", VmaLock.waitLabel(MLOCK_VMA_START_WRITE.label()));
    /** The same wait from v6.15 (__vma_enter_locked on vm_refcnt). */
    public static final StepRef MLOCK_VMA_START_WRITE_REFCOUNT_WAIT = StepRef.in("mlock", VmaLock.refcountWaitLabel(MLOCK_VMA_START_WRITE.label()));
    /** mlock: up_write(mmap_sem). */
    public static final StepRef MLOCK_UP_WRITE = StepRef.in("mlock", "up_write");
    /** munlock: down_write_killable(mmap_sem), taking it. */
    public static final StepRef MUNLOCK_DOWN_WRITE = StepRef.in("munlock", "down_write");
    /** munlock: down_write_killable(mmap_sem), queueing as a writer. */
    public static final StepRef MUNLOCK_DOWN_WRITE_QUEUE = StepRef.in("munlock", Rwsem.queueLabel(MUNLOCK_DOWN_WRITE.label()));
    /** munlock: apply_vma_lock_flags, find_vma(start). */
    public static final StepRef MUNLOCK_FIND_VMA = StepRef.in("munlock", "find_vma");
    /** munlock: mlock_fixup (apply_vma_lock_flags) splits the VMA and accounts locked_vm. */
    public static final StepRef MUNLOCK_FIXUP = StepRef.in("munlock", "mlock_fixup");
    /** munlock: mlock_fixup write-locks the VMA before splitting or changing it (v6.4+). */
    public static final StepRef MUNLOCK_VMA_START_WRITE = StepRef.in("munlock", "mlock_fixup: vma_start_write");
    /** munlock: the down_write of {@link #MUNLOCK_VMA_START_WRITE} that waits for the VMA's readers. */
    public static final StepRef MUNLOCK_VMA_START_WRITE_WAIT = StepRef.in("munlock", VmaLock.waitLabel(MUNLOCK_VMA_START_WRITE.label()));
    /** The same wait from v6.15 (__vma_enter_locked on vm_refcnt). */
    public static final StepRef MUNLOCK_VMA_START_WRITE_REFCOUNT_WAIT = StepRef.in("munlock",
            VmaLock.refcountWaitLabel(MUNLOCK_VMA_START_WRITE.label()));
    /** munlock: up_write(mmap_sem). */
    public static final StepRef MUNLOCK_UP_WRITE = StepRef.in("munlock", "up_write");

    private Mlock() {
    }

    /** The procedure {@code mlock}. */
    public static Procedure mlock(Kernel k) {
        return k.program.procedure("mlock", c -> body(k, c, true));
    }

    /** The procedure {@code munlock}. */
    public static Procedure munlock(Kernel k) {
        return k.program.procedure("munlock", c -> body(k, c, false));
    }

    private static void body(Kernel k, Code c, boolean lock) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Mm mm = k.mm;
        int want = lock ? 1 : 0;
        StepRef downWrite = lock ? MLOCK_DOWN_WRITE : MUNLOCK_DOWN_WRITE;
        StepRef findVma = lock ? MLOCK_FIND_VMA : MUNLOCK_FIND_VMA;
        StepRef fixup = lock ? MLOCK_FIXUP : MUNLOCK_FIXUP;
        StepRef upWrite = lock ? MLOCK_UP_WRITE : MUNLOCK_UP_WRITE;
        boolean perVma = mm.perVmaLocks();
        // From v6.4 a VMA that mlock_fixup changes is write-locked first; one it leaves alone is not.
        String startWrite = (lock ? MLOCK_VMA_START_WRITE : MUNLOCK_VMA_START_WRITE).label();
        Guard changes = s -> l.vma.get(s) != Mm.NONE && mm.vmaLocked.get(s, l.vma.slot(s)) != want;

        Rwsem.downWrite(k, c, t, downWrite.label());

        // apply_vma_lock_flags: vma = find_vma(start); if (!vma || vma->vm_start > start) -ENOMEM.
        c.step(findVma.label(), k.src(MLOCK + "apply_vma_lock_flags, " + FindVma.source(k)), s -> {
            int start = l.start.get(s);
            int v = FindVma.find(k, s, t, start);
            if (v == Mm.NONE || mm.vmStart(s, v) > start) {
                l.failed.set(s, 1);
                return;
            }
            l.vma.set(s, v);
            l.cursor.set(s, start);
        })
                .ifGoTo(s -> l.failed.get(s) == 1, upWrite.label());
        if (perVma) {
            c.ifGoTo(s -> !changes.test(s), fixup.label());
            VmaLock.startWrite(k, c, startWrite, MLOCK + "mlock_fixup, mlock_vma_pages_range", l.vma::slot, fixup.label());
        }

        // mlock_fixup(vma, nstart, tmp = min(vm_end, end)), then on to vma->vm_next.
        // Its splits wait for a file VMA's i_mmap_rwsem (__vma_adjust), like munmap's.
        c.await(fixup.label(), k.src(MLOCK + "mlock_fixup, apply_vma_lock_flags"), s -> mm.splitMayRun(s, l.vma.slot(s)),
                s -> {
            int v = l.vma.deref(s);
            int nstart = l.cursor.get(s);
            int end = l.end.get(s);
            int tmp = Math.min(mm.vmaEnd.get(s, v), end);
            if (mm.vmaLocked.get(s, v) != want) {
                if (nstart != mm.vmaStart.get(s, v) && !split(mm, s, v, nstart, true, perVma)
                        || tmp != mm.vmaEnd.get(s, v) && !split(mm, s, v, tmp, false, perVma)) {
                    fail(l, s);
                    return;
                }
                int nr = tmp - nstart;
                mm.lockedVm.set(s, mm.lockedVm.get(s) + (lock ? nr : -nr));
                mm.vmaLocked.set(s, v, want);
            }
            if (tmp >= end) {
                l.vma.set(s, Mm.NONE);
                l.cursor.set(s, 0);
                return;
            }
            int next = mm.vmNext(s, v + 1);
            if (next == Mm.NONE || mm.vmStart(s, next) != tmp) {
                fail(l, s); // a hole in the range
                return;
            }
            l.vma.set(s, next);
            l.cursor.set(s, tmp);
        });
        if (perVma) {
            c.ifGoTo(changes, startWrite);
        }
        c.ifGoTo(s -> l.vma.get(s) != Mm.NONE, fixup.label());

        Rwsem.upWrite(k, c, t, upWrite.label());
    }

    /**
     * __split_vma of {@code vma} at {@code addr}; false on -ENOMEM. From v6.4 the new VMA is
     * write-locked from its creation (vma_start_write(new)).
     */
    private static boolean split(Mm mm, long[] s, int vma, int addr, boolean newBelow, boolean perVma) {
        int made = mm.split(s, vma, addr, newBelow);
        if (made != Mm.NONE && perVma) {
            mm.vmaWriteLocked.set(s, made - 1, 1);
        }
        return made != Mm.NONE;
    }

    /** -ENOMEM: stop where we are. */
    private static void fail(ThreadLocals l, long[] s) {
        l.failed.set(s, 1);
        l.vma.set(s, Mm.NONE);
        l.cursor.set(s, 0);
    }
}
