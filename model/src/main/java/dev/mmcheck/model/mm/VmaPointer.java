package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;

/**
 * A thread's pointer to a VMA ({@code struct vm_area_struct *vma} in do_munmap, the fault
 * handler, madvise, ...): the VMA's slot + 1, {@link Mm#NONE} for NULL, as the state field of
 * the same name stores it. Beside it, the ghost bit {@code <name>_under_mmap_lock}: the pointer
 * was found under mmap_lock, or its VMA read-locked with the VMA's own lock (v6.4+), and the
 * thread has held that lock since. Releasing mmap_lock ({@link Rwsem}) or the VMA's read lock
 * ({@link VmaLock#endHeldRead}) clears it; finding the VMA again sets it.
 *
 * <p>The kernel may keep a stale pointer in a local; it may not use one. So the lifetime is
 * checked where the pointer is used: {@link #deref} records I7 when the thread dereferences a
 * VMA it found before it dropped mmap_lock (another thread may have unmapped and freed it since,
 * whether or not it did in this trace), or one that was freed. Guards and invariants read the
 * pointer with {@link #get} or {@link #slot}, which check nothing, since they only decide; the step that acts
 * on their decision dereferences it.
 */
public final class VmaPointer {
    private final Field value;
    private final Field underLock;
    private final Mm mm;
    private final Ghost ghost;
    private final int thread;

    VmaPointer(Code c, Kernel k, String name, int thread) {
        this.value = c.local(name, 0, k.config.vmaSlots());
        this.underLock = c.local(name + "_under_mmap_lock", 0, 1);
        this.mm = k.mm;
        this.ghost = k.ghost;
        this.thread = thread;
    }

    /** The pointer (slot + 1, or {@link Mm#NONE}) without using it: for guards and invariants. */
    public int get(long[] s) {
        return value.get(s);
    }

    /** The slot the pointer holds, without using it: for a guard that decides on it. */
    public int slot(long[] s) {
        return value.get(s) - 1;
    }

    /**
     * {@code vma = found}: a pointer (slot + 1, or {@link Mm#NONE}) found under mmap_lock, which
     * the thread holds now (find_vma, vma->vm_next, a VMA it just made).
     */
    public void set(long[] s, int found) {
        value.set(s, found);
        underLock.set(s, found == Mm.NONE ? 0 : 1);
    }

    /**
     * {@code vma = found} under rcu_read_lock only (lock_vma_under_rcu's mas_walk, v6.4+): the
     * pointer may be used while the RCU section lasts ({@link #derefUnderRcu}), and once the
     * VMA's read lock is taken it is {@link #set} again.
     */
    public void setUnderRcu(long[] s, int found) {
        value.set(s, found);
        underLock.set(s, 0);
    }

    /**
     * Uses a pointer found under rcu_read_lock: the VMA may have been removed from the tree
     * meanwhile (its memory stays until a grace period has passed), but not freed: records I7
     * if it was.
     */
    public int derefUnderRcu(long[] s) {
        int v = value.get(s) - 1;
        if (mm.vmaAllocated.get(s, v) == 0) {
            ghost.record(s, Ghost.USE_AFTER_FREE_VMA, v, thread);
        }
        return v;
    }

    /**
     * Reads the lock of a VMA found under rcu_read_lock in a SLAB_TYPESAFE_BY_RCU cache (v6.15+:
     * vma_start_read's early check of vm_lock_seq and its increment of vm_refcnt): the object
     * stays a VMA whether it was freed or reused meanwhile, so these reads are allowed on a freed
     * one (its count is 0 and the increment fails). Everything else waits for the reference and
     * is read with {@link #derefUnderRcu}.
     */
    public int derefTypesafe(long[] s) {
        return value.get(s) - 1;
    }

    /** mmap_lock, or the VMA read lock the pointer was held under, was released: the pointer may be kept but no longer used. */
    void lockReleased(long[] s) {
        underLock.set(s, 0);
    }

    /**
     * Uses the pointer ({@code vma->...}): returns the VMA's slot, recording I7 when the lock
     * it was found under has been dropped since, or the VMA was freed.
     */
    public int deref(long[] s) {
        int v = value.get(s) - 1;
        if (v < 0 || thread < 0) {
            throw new IllegalStateException(v < 0 ? "a step dereferences " + value.name() + ", which is NULL"
                    : "only a thread of the mm uses a VMA pointer (" + value.name() + ")");
        }
        if (underLock.get(s) == 0) {
            ghost.record(s, Ghost.VMA_USED_AFTER_UNLOCK, v, thread);
        } else if (mm.vmaAllocated.get(s, v) == 0) {
            ghost.record(s, Ghost.USE_AFTER_FREE_VMA, v, thread);
        }
        return v;
    }

    /** The state field holding the pointer (for explanations that look back along a trace). */
    public Field field() {
        return value;
    }

    /** The ghost field: found under mmap_lock and held since. */
    public Field underLockField() {
        return underLock;
    }
}
