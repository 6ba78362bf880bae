package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
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

    /** vma_end_write_all(mm): mm_lock_seq++, so no VMA is write-locked any more. Nothing before v6.4. */
    public static void endWriteAll(Mm mm, long[] s) {
        if (!mm.perVmaLocks()) {
            return;
        }
        for (int v = 0; v < mm.config.vmaSlots(); v++) {
            mm.vmaWriteLocked.set(s, v, 0);
        }
    }

    /** The label of vma_start_write's second step, down_write waiting for readers, when the first is {@code label}. */
    public static String waitLabel(String label) {
        return label + ": down_write";
    }

    /**
     * vma_start_write of the VMA {@code vma} gives (a slot), as the steps {@code label} and, when
     * the VMA has readers, {@link #waitLabel}: the caller's next step must be labelled
     * {@code after}. {@code site} names the caller ("mm/mmap.c:__split_vma").
     */
    public static Code startWrite(Kernel k, Code c, String label, String site, ToIntFunction<long[]> vma, String after) {
        Mm mm = k.mm;
        c.step(label, k.src(site + ", " + MM_H + "vma_start_write"), s -> {
            int v = vma.applyAsInt(s);
            if (mm.vmaWriteLocked.get(s, v) == 1) {
                return; // __is_vma_write_locked: already locked in this write section
            }
            if (mm.vmaLockReaders.get(s, v) == 0) {
                mm.vmaWriteLocked.set(s, v, 1); // down_write succeeds at once; vm_lock_seq = mm_lock_seq; up_write
            } else {
                mm.vmaLockWriter.set(s, v, 1); // down_write sleeps until the readers leave
            }
        }).ifGoTo(s -> mm.vmaLockWriter.get(s, vma.applyAsInt(s)) == 0, after);
        return c.await(waitLabel(label), k.src(MM_H + "vma_start_write, down_write"),
                s -> mm.vmaLockReaders.get(s, vma.applyAsInt(s)) == 0,
                s -> {
                    int v = vma.applyAsInt(s);
                    mm.vmaLockWriter.set(s, v, 0);
                    mm.vmaWriteLocked.set(s, v, 1);
                });
    }
}
