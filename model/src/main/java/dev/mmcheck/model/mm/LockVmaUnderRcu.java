package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

/**
 * lock_vma_under_rcu(mm, address) as steps of the caller's code: the page fault
 * (arch/x86/mm/fault.c), from v6.9 UFFDIO_COPY's uffd_lock_vma (mm/userfaultfd.c) and from v6.17
 * MADV_DONTNEED's try_vma_read_lock (mm/madvise.c). The address is the thread's {@code page}.
 *
 * <p>v6.4 to v6.14 (mm/memory.c, read in 6.6.9 5431-5476 and 6.12.0 6231-6272): see {@link
 * #rwsemSteps}.
 *
 * <p>From v6.15 ({@link Feature#VMA_REFCOUNT}, {@link Feature#VMA_SLAB_TYPESAFE_BY_RCU};
 * mm/mmap_lock.c 142-263, read in 6.18.2): under rcu_read_lock, mas_walk finds the VMA; vma_start_read's early check of vm_lock_seq;
 * the increment of vm_refcnt, which gives -EAGAIN on a count of 0 (rcu_read_unlock and walk
 * again: the VMA was detached, or freed and not yet reused) and NULL with a writer's offset in it
 * (fall back to mmap_lock); the vm_mm check and the re-check of vm_lock_seq (equal: drop the
 * reference, fall back); then rcu_read_unlock and the address check (outside: vma_end_read,
 * fall back). The early check and the increment may read a VMA freed since the walk: its cache
 * is SLAB_TYPESAFE_BY_RCU, and a freed VMA's count is 0.
 *
 * <p>The model has one mm, so vm_mm always matches. The checks after the increment are one
 * step: once the re-check passed the VMA is not write-locked and a writer's vma_start_write waits
 * for this reference, so its bounds cannot change; and from v6.15 rcu_read_unlock delays no VMA's
 * freeing. On success the thread holds the VMA's read lock ({@link Mm#faultVmaLocked}) and its
 * {@code vma} points at it.
 */
public final class LockVmaUnderRcu {
    /** rcu_read_lock and mas_walk of the address (also the retry). */
    public static final String MAS_WALK = "lock_vma_under_rcu: mas_walk";
    /** vma_start_read's early check, READ_ONCE(vma->vm_lock_seq) == READ_ONCE(mm->mm_lock_seq). */
    public static final String START_READ = "lock_vma_under_rcu: vma_start_read";
    /** vma_start_read from v6.15: __refcount_inc_not_zero_limited_acquire(&vma->vm_refcnt, .., VMA_REF_LIMIT). */
    public static final String REFCOUNT_INC = "vma_start_read: __refcount_inc_not_zero_limited_acquire";
    /** vma_start_read to v6.14: down_read_trylock(&vma->vm_lock->lock). */
    public static final String TRYLOCK = "vma_start_read: down_read_trylock";
    /** The re-check against mm_lock_seq, then the other checks of lock_vma_under_rcu. */
    public static final String CHECKS = "lock_vma_under_rcu: vm_lock_seq re-check";

    private static final String FILE = "mm/mmap_lock.c:lock_vma_under_rcu";
    private static final String MEMORY = "mm/memory.c:lock_vma_under_rcu";

    private LockVmaUnderRcu() {
    }

    /**
     * The steps of the kernel's form (v6.15+ or before); on failure the caller goes on at
     * {@code fallback} (the mmap_lock path), on success at {@code locked}.
     */
    public static void steps(Kernel k, Code c, ThreadLocals l, int t, String fallback, String locked) {
        if (k.has(Feature.VMA_REFCOUNT)) {
            refcountSteps(k, c, l, t, fallback, locked);
        } else {
            rwsemSteps(k, c, l, t, fallback, locked);
        }
    }

    /**
     * The v6.4 to v6.14 form (mm/memory.c, v6.6.9 5431-5476, 6.12.0 6231-6272): under
     * rcu_read_lock, find the VMA of the address in the maple tree, vma_start_read it (the early
     * check, the trylock), refuse an anonymous VMA without anon_vma (to v6.9: {@link
     * Feature#DELAYED_ANON_VMA_CHECK}) or one that no longer covers the address (a split moved
     * it), and retry the walk inside the same RCU section when the VMA is detached (munmap
     * removed it after the walk; from v6.12 checked before the address, {@link
     * Feature#LOCK_VMA_DETACHED_BEFORE_RANGE}). A shared file VMA is not anonymous, so it needs
     * no anon_vma.
     *
     * <p>The checks after the re-check are one step with it: once the re-check passed, the VMA
     * is not write-locked and every new writer's vma_start_write waits for this reader, so its
     * bounds and detached flag cannot change; anon_vma only goes from NULL to set.
     */
    private static void rwsemSteps(Kernel k, Code c, ThreadLocals l, int t, String fallback, String locked) {
        Mm mm = k.mm;
        // rcu_read_lock (kept on a retry); vma = mas_walk(&mas).
        masWalk(k, c, l, t, k.src(MEMORY + ", mas_walk"), fallback);

        // if (!vma_start_read(vma)) goto inval: the early check, then the trylock.
        String startRead = k.src(MEMORY + ", " + VmaLock.MM_H + "vma_start_read");
        earlyCheck(k, c, l, t, startRead, fallback, l.vma::derefUnderRcu);
        c.step(TRYLOCK, startRead, s -> {
            if (!VmaLock.tryReadLock(mm, s, l.vma.derefUnderRcu(s))) {
                l.vma.set(s, Mm.NONE);
                mm.rcuReadUnlock(s, t);
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback);

        // vma_start_read's re-check, then: anonymous VMA without anon_vma (to v6.9), or address
        // outside the VMA -> inval_end_read; detached -> vma_end_read and goto retry (RCU still
        // held). From v6.12 the detached check comes before the address check.
        boolean anonVmaCheck = !k.has(Feature.DELAYED_ANON_VMA_CHECK);
        boolean detachedFirst = k.has(Feature.LOCK_VMA_DETACHED_BEFORE_RANGE);
        c.step(CHECKS, startRead, s -> {
            int v = l.vma.derefUnderRcu(s);
            boolean anonymous = !k.pageCache.isFileVma(s, v + 1); // vma_is_anonymous: no vm_ops
            boolean inval = VmaLock.writeLocked(mm, s, v) || anonVmaCheck && anonymous && mm.vmaAnonVma.get(s, v) == 0;
            boolean outside = !mm.contains(s, v, l.page.get(s));
            boolean detached = mm.vmaDetached.get(s, v) == 1;
            boolean retry = !inval && detached && (detachedFirst || !outside);
            boolean ok = !inval && !detached && !outside;
            if (!ok) {
                VmaLock.endRead(mm, s, v);
            }
            if (ok) {
                mm.rcuReadUnlock(s, t);
                mm.faultVmaLocked.set(s, t, v + 1); // the thread holds the VMA's read lock
                l.vma.set(s, v + 1); // protected by the VMA's read lock from here
            } else {
                l.vma.set(s, Mm.NONE);
                if (!retry) {
                    mm.rcuReadUnlock(s, t);
                }
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE && mm.rcuReadLocked.get(s, t) == 1, MAS_WALK)
                .ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback)
                .goTo(locked);
    }

    /** The v6.15+ form (see the class comment). */
    private static void refcountSteps(Kernel k, Code c, ThreadLocals l, int t, String fallback, String locked) {
        Mm mm = k.mm;
        masWalk(k, c, l, t, k.src(FILE + ", mas_walk"), fallback);

        // vma_start_read: READ_ONCE(vma->vm_lock_seq) == READ_ONCE(mm->mm_lock_seq.sequence): err.
        String startRead = k.src(FILE + ", mm/mmap_lock.c:vma_start_read");
        earlyCheck(k, c, l, t, startRead, fallback, l.vma::derefTypesafe);

        // The increment: a count of 0 gives -EAGAIN (err: rcu_read_unlock; lock_vma_under_rcu
        // resets mas and goes to retry, the model's `vma` still pointing at the VMA and no RCU
        // section marking the retry); a writer's offset gives NULL (err: rcu_read_unlock; inval).
        c.step(REFCOUNT_INC, startRead, s -> {
            VmaLock.Reference got = VmaLock.getReference(mm, s, l.vma.derefTypesafe(s));
            if (got != VmaLock.Reference.TAKEN) {
                mm.rcuReadUnlock(s, t);
            }
            if (got == VmaLock.Reference.WRITER) {
                l.vma.set(s, Mm.NONE);
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback)
                .ifGoTo(s -> mm.rcuReadLocked.get(s, t) == 0, MAS_WALK);

        // vm_mm == mm (one mm here); vm_lock_seq == mm_lock_seq: vma_refcount_put, err. Then in
        // lock_vma_under_rcu: rcu_read_unlock; address outside the VMA: vma_end_read, inval.
        c.step(CHECKS, startRead, s -> {
            int v = l.vma.derefUnderRcu(s);
            boolean ok = !VmaLock.writeLocked(mm, s, v) && mm.contains(s, v, l.page.get(s));
            mm.rcuReadUnlock(s, t);
            if (ok) {
                mm.faultVmaLocked.set(s, t, v + 1); // the thread holds the VMA's read lock
                l.vma.set(s, v + 1); // protected by the VMA's reference from here
            } else {
                VmaLock.endRead(mm, s, v); // vma_refcount_put / vma_end_read
                l.vma.set(s, Mm.NONE);
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback)
                .goTo(locked);
    }

    /**
     * vma_start_read's early check, READ_ONCE(vma->vm_lock_seq) == READ_ONCE(mm->mm_lock_seq): a
     * write-locked VMA ends the attempt (rcu_read_unlock, go on at {@code fallback}). {@code deref}
     * reads the pointer as the release may: inside RCU (to v6.14) or type-stable (v6.15+).
     */
    private static void earlyCheck(Kernel k, Code c, ThreadLocals l, int t, String source, String fallback,
                                   java.util.function.ToIntFunction<long[]> deref) {
        Mm mm = k.mm;
        c.step(START_READ, source, s -> {
            if (VmaLock.writeLocked(mm, s, deref.applyAsInt(s))) {
                l.vma.set(s, Mm.NONE);
                mm.rcuReadUnlock(s, t);
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback);
    }

    /**
     * lock_vma_under_rcu's rcu_read_lock and mas_walk: the VMA whose range holds the address, or
     * none: rcu_read_unlock, count VMA_LOCK_ABORT, go on at {@code fallback}.
     */
    public static void masWalk(Kernel k, Code c, ThreadLocals l, int t, String source, String fallback) {
        Mm mm = k.mm;
        c.step(MAS_WALK, source, s -> {
            mm.rcuReadLock(s, t);
            int page = l.page.get(s);
            int v = mm.findInTree(s, page);
            if (v != Mm.NONE && mm.vmStart(s, v) > page) {
                v = Mm.NONE;
            }
            l.vma.setUnderRcu(s, v);
            if (v == Mm.NONE) {
                mm.rcuReadUnlock(s, t);
            }
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback);
    }
}
