package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Access;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;

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
 * then up_write. Each mlock_fixup is one step (everything runs under mmap_sem write).
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

        // mlock_fixup(vma, nstart, tmp = min(vm_end, end)), then on to vma->vm_next.
        // Its splits wait for a file VMA's i_mmap_rwsem (__vma_adjust), like munmap's.
        c.await(fixup.label(), k.src(MLOCK + "mlock_fixup, apply_vma_lock_flags"), s -> mm.splitMayRun(s, l.vma.slot(s)),
                s -> {
            int v = l.vma.deref(s);
            int nstart = l.cursor.get(s);
            int end = l.end.get(s);
            int tmp = Math.min(mm.vmaEnd.get(s, v), end);
            if (mm.vmaLocked.get(s, v) != want) {
                if (nstart != mm.vmaStart.get(s, v) && mm.split(s, v, nstart, true) == Mm.NONE
                        || tmp != mm.vmaEnd.get(s, v) && mm.split(s, v, tmp, false) == Mm.NONE) {
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
        })
                .ifGoTo(s -> l.vma.get(s) != Mm.NONE, fixup.label());

        Rwsem.upWrite(k, c, t, upWrite.label());
    }

    /** -ENOMEM: stop where we are. */
    private static void fail(ThreadLocals l, long[] s) {
        l.failed.set(s, 1);
        l.vma.set(s, Mm.NONE);
        l.cursor.set(s, 0);
    }
}
