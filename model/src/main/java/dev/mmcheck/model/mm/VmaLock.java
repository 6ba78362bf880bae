package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

import java.util.function.ToIntFunction;

/**
 * Per-VMA locks in their v6.4 to v6.14 form ({@link Feature#PER_VMA_LOCK}; include/linux/mm.h
 * and include/linux/mmap_lock.h, read in v6.6.9; docs/research/v6.x-locking.md section 1.2). The
 * state is in {@link Mm}: {@code vma.write_locked} (vm_lock_seq == mm_lock_seq), the VMA's rwsem
 * ({@code vma.vm_lock.readers}, {@code vma.vm_lock.writer}) and {@code vma.detached}.
 *
 * <ul>
 *   <li>vma_start_read (a fault holding only rcu_read_lock): if vm_lock_seq equals mm_lock_seq,
 *       fail; down_read_trylock, fail if a writer holds or waits; re-check the sequence with
 *       an acquire load, and on equality up_read and fail. Never blocks.</li>
 *   <li>vma_start_write (mmap_lock held for write): nothing if already write-locked in this
 *       write section; else down_write (waits for the VMA's readers and makes new trylocks fail
 *       meanwhile), vm_lock_seq = mm_lock_seq, up_write.</li>
 *   <li>vma_end_write_all, called by mmap_write_unlock and mmap_write_downgrade before the
 *       rwsem is released: mm_lock_seq++ ends every VMA write lock of the section at once.</li>
 * </ul>
 *
 * <p>vma_start_read is three steps (the early check, the trylock, the re-check), so a writer can
 * lock the VMA between the early check and the trylock, which is what the re-check is for.
 * Steps merged, and why no other CPU can tell: down_write, the sequence store and up_write are
 * one step when the lock is free: while the writer held it every trylock would fail, and after it
 * the re-check fails, so a reader sees failure either way. A contended down_write is two steps,
 * so a reader arriving while the writer waits fails its trylock, as in the kernel.
 *
 * <p>From v6.15 ({@link Feature#VMA_REFCOUNT}; mm/mmap_lock.c and include/linux/mmap_lock.h,
 * read in 6.18.2) the lock is the reference count {@code vma->vm_refcnt}, kept in the same
 * fields: {@code !detached + readers + (writer ? VMA_LOCK_OFFSET : 0)}.
 * <ul>
 *   <li>vma_start_read: the early check; __refcount_inc_not_zero_limited_acquire, which fails
 *       on a count of 0 (detached: -EAGAIN) or with a writer's offset in it (NULL); the vm_mm
 *       check and the re-check of vm_lock_seq, which on equality drops the reference.</li>
 *   <li>vma_start_write: refcount_add_not_zero(VMA_LOCK_OFFSET) (nothing to wait for on a
 *       detached VMA), wait until only the attached reference is left, vm_lock_seq =
 *       mm_lock_seq, subtract the offset: the fields and steps of the rwsem form, since a
 *       reader's increment fails while the offset is there exactly as its trylock did.</li>
 *   <li>vma_mark_detached: refcount_dec_and_test drops the attached reference; if a reader's
 *       reference is left (a reader that passed the early check just before vma_start_write),
 *       add the offset and wait for it ({@link #markDetachedWait}).</li>
 * </ul>
 */
public final class VmaLock {
    /** Where the per-VMA lock primitives are, for step sources. */
    public static final String MM_H = "include/linux/mm.h:";

    private VmaLock() {
    }

    /**
     * vma_start_read's down_read_trylock: false when a writer holds or waits for the VMA's lock;
     * else the caller holds the read lock and must re-check ({@link #writeLocked}).
     */
    public static boolean tryReadLock(Mm mm, long[] s, int vma) {
        if (mm.vmaLockWriter.get(s, vma) == 1) {
            return false;
        }
        mm.vmaLockReaders.set(s, vma, mm.vmaLockReaders.get(s, vma) + 1);
        return true;
    }

    /** What vma_start_read's __refcount_inc_not_zero_limited_acquire of vm_refcnt gives (v6.15+). */
    public enum Reference {
        /** The count was not 0 and had no writer's offset: the reader holds a reference. */
        TAKEN,
        /** The count was 0, the VMA detached (or freed): vma_start_read returns -EAGAIN. */
        DETACHED,
        /** A writer's VMA_LOCK_OFFSET is in the count (over VMA_REF_LIMIT): vma_start_read returns NULL. */
        WRITER
    }

    /** vma_start_read's __refcount_inc_not_zero_limited_acquire(&vma->vm_refcnt, .., VMA_REF_LIMIT), v6.15+. */
    public static Reference getReference(Mm mm, long[] s, int vma) {
        if (mm.vmaLockWriter.get(s, vma) == 1) {
            return Reference.WRITER;
        }
        if (mm.vmaDetached.get(s, vma) == 1 && mm.vmaLockReaders.get(s, vma) == 0) {
            return Reference.DETACHED;
        }
        mm.vmaLockReaders.set(s, vma, mm.vmaLockReaders.get(s, vma) + 1);
        return Reference.TAKEN;
    }

    /**
     * vma_mark_detached's refcount_dec_and_test (v6.15+), or the detached flag before: the VMA
     * leaves the tree's count. From v6.15 the caller waits with {@link #markDetachedWait} when
     * {@link #hasReaders}.
     */
    public static void markDetached(Mm mm, long[] s, int vma) {
        mm.vmaDetached.set(s, vma, 1);
    }

    /** Does a reader hold a reference to (or the read lock of) {@code vma}? */
    public static boolean hasReaders(Mm mm, long[] s, int vma) {
        return mm.vmaLockReaders.get(s, vma) > 0;
    }

    /**
     * vma_mark_detached when a reader's reference was left after refcount_dec_and_test (v6.15+;
     * mm/mmap_lock.c): __vma_enter_locked(vma, true) adds VMA_LOCK_OFFSET unless the count has
     * dropped to 0 meanwhile ({@code label}), rcuwait_wait_event until only the offset is left,
     * and __vma_exit_locked subtracts it (the second step, returned for the caller's jumps).
     * {@code vma} gives the VMA (a slot), or -1 once no reference and no offset is left. Waking and subtracting are one step: a reader arriving
     * between them would fail its increment either with NULL (offset there) or with -EAGAIN
     * (count 0), and both send it back to mmap_lock, the VMA being write-locked. When the count
     * dropped to 0 before the first step, the kernel returns at once and the model's second step
     * passes at once: a step that changes nothing.
     */
    public static Code markDetachedWait(Kernel k, Code c, String label, String site, ToIntFunction<long[]> vma) {
        Mm mm = k.mm;
        c.step(label, k.src(site + ", mm/mmap_lock.c:vma_mark_detached, __vma_enter_locked"), s -> {
            int v = vma.applyAsInt(s);
            if (v >= 0) {
                mm.vmaLockWriter.set(s, v, 1); // refcount_add_not_zero(VMA_LOCK_OFFSET)
            }
        });
        return c.await(detachWaitLabel(label), k.src("mm/mmap_lock.c:__vma_enter_locked, __vma_exit_locked"),
                s -> vma.applyAsInt(s) < 0 || !hasReaders(mm, s, vma.applyAsInt(s)),
                s -> {
                    int v = vma.applyAsInt(s);
                    if (v >= 0) {
                        mm.vmaLockWriter.set(s, v, 0);
                    }
                });
    }

    /**
     * {@code vma->vm_lock_seq == mm->mm_lock_seq}: vma_start_read's early check (READ_ONCE of
     * both) and its re-check after the trylock (smp_load_acquire of mm_lock_seq).
     */
    public static boolean writeLocked(Mm mm, long[] s, int vma) {
        return mm.vmaWriteLocked.get(s, vma) == 1;
    }

    /** vma_end_read: up_read(&vma->vm_lock->lock) (inside rcu_read_lock, which keeps the VMA's memory). */
    public static void endRead(Mm mm, long[] s, int vma) {
        mm.vmaLockReaders.set(s, vma, mm.vmaLockReaders.get(s, vma) - 1);
    }

    /**
     * vma_end_read of the VMA whose read lock thread {@code t} holds ({@link Mm#faultVmaLocked}):
     * the lock is given back and the thread holds none, so its VMA pointers may be kept but no
     * longer used ({@link VmaPointer#deref}; the thread holds no mmap_lock either: a per-VMA-lock
     * path takes one only after this).
     */
    public static void endHeldRead(Kernel k, long[] s, int t) {
        Mm mm = k.mm;
        endRead(mm, s, mm.faultVmaLocked.get(s, t) - 1);
        mm.faultVmaLocked.set(s, t, Mm.NONE);
        ThreadLocals l = k.locals(t);
        if (l != null) {
            l.lockReleased(s);
        }
    }

    /** vma_end_write_all(mm): mm_lock_seq++, so no VMA is write-locked any more. Nothing before v6.4. */
    public static void endWriteAll(Mm mm, long[] s) {
        if (!mm.perVmaLocks()) {
            return;
        }
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            mm.vmaWriteLocked.set(s, v, 0);
        }
    }

    /**
     * The label of vma_start_write's second step, down_write waiting for readers, when the first
     * is {@code label} (v6.4 to v6.14).
     */
    public static String waitLabel(String label) {
        return label + ": down_write";
    }

    /** The same from v6.15, where the wait is __vma_enter_locked's. */
    public static String refcountWaitLabel(String label) {
        return label + ": __vma_enter_locked";
    }

    /** The label of {@link #markDetachedWait}'s wait when its first step is {@code label}. */
    public static String detachWaitLabel(String label) {
        return label + ": rcuwait_wait_event";
    }

    /** Where vma_start_write and its helpers are in {@code k}'s release, for step sources. */
    private static String startWriteSource(Kernel k) {
        return k.has(Feature.VMA_REFCOUNT) ? "include/linux/mmap_lock.h:vma_start_write" : MM_H + "vma_start_write";
    }

    /**
     * vma_start_write of the VMA {@code vma} gives (a slot), as the steps {@code label} and, when
     * the VMA has readers, {@link #waitLabel}: the caller's next step must be labelled
     * {@code after}. {@code site} names the caller ("mm/mmap.c:__split_vma").
     */
    public static Code startWrite(Kernel k, Code c, String label, String site, ToIntFunction<long[]> vma, String after) {
        return startWrite(k, c, label, site, vma, null, null, after);
    }

    /**
     * {@link #startWrite(Kernel, Code, String, String, ToIntFunction, String)} that goes on at
     * {@code skipTo} instead of {@code after} when {@code skip} holds once the lock is taken.
     */
    public static Code startWrite(Kernel k, Code c, String label, String site, ToIntFunction<long[]> vma, Guard skip, String skipTo,
                                  String after) {
        Mm mm = k.mm;
        boolean refcount = k.has(Feature.VMA_REFCOUNT);
        c.step(label, k.src(site + ", " + startWriteSource(k)), s -> {
            int v = vma.applyAsInt(s);
            if (mm.vmaWriteLocked.get(s, v) == 1) {
                return; // __is_vma_write_locked: already locked in this write section
            }
            if (mm.vmaLockReaders.get(s, v) == 0) {
                // down_write succeeds at once (v6.15: the offset added and subtracted with no
                // reader to wait for); vm_lock_seq = mm_lock_seq; up_write
                mm.vmaWriteLocked.set(s, v, 1);
            } else {
                mm.vmaLockWriter.set(s, v, 1); // down_write sleeps until the readers leave (v6.15: the offset added)
            }
        });
        if (skip != null) {
            c.ifGoTo(s -> mm.vmaLockWriter.get(s, vma.applyAsInt(s)) == 0 && skip.test(s), skipTo);
        }
        c.ifGoTo(s -> mm.vmaLockWriter.get(s, vma.applyAsInt(s)) == 0, after);
        String wait = refcount ? refcountWaitLabel(label) : waitLabel(label);
        String waitSource = refcount ? "mm/mmap_lock.c:__vma_start_write, __vma_enter_locked, __vma_exit_locked" : MM_H + "vma_start_write, down_write";
        c.await(wait, k.src(waitSource),
                s -> mm.vmaLockReaders.get(s, vma.applyAsInt(s)) == 0,
                s -> {
                    int v = vma.applyAsInt(s);
                    mm.vmaLockWriter.set(s, v, 0);
                    mm.vmaWriteLocked.set(s, v, 1);
                });
        return skip == null ? c : c.ifGoTo(skip, skipTo);
    }
}
