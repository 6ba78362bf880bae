package dev.mmcheck.model.faults;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.LockVmaUnderRcu;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

import java.util.function.Consumer;

/**
 * The userfaultfd context of the mm (fs/userfaultfd.c, mm/userfaultfd.c; SEMANTICS.md 6) and the
 * code around it: handle_userfault on the fault path, the non-cooperative event wait of the
 * producers, and the monitor thread that reads messages and resolves faults with UFFDIO_COPY.
 * Built only for scenarios with a userfaultfd ({@code KernelParts.userfaultfd}); other models have
 * none of its state, and their {@code Kernel.userfaultfd} is the null object ({@link #absent}).
 *
 * <p>State: per thread, its fault wait-queue entry ({@code uffd.fault_wq}: none, queued on
 * fault_pending_wqh, or read by the monitor and moved to fault_wqh; the faulting address is the
 * thread's {@code page}) and its event ({@code uffd.event_wq}: prepped, queued on event_wqh, read by
 * the monitor; the range is the thread's {@code start}/{@code end}); and {@code uffd.mmap_changing},
 * absent before v4.18, a bool from df2cc96e7701 ({@link Feature#UFFD_MMAP_CHANGING}), a counter from
 * a759a909d42d ({@link Feature#UFFD_MMAP_CHANGING_COUNT}). A thread has at most one fault and one
 * event in flight, since it sleeps on either; several threads may each have one.
 *
 * <p>Simplified: one context, with VM_UFFD_MISSING mode and the UNMAP and REMOVE features; no
 * write-protect or minor faults, FORK or REMAP events, ctx release or signals. Before v5.7 the
 * faulting thread retries once (FAULT_FLAG_TRIED without ALLOW_RETRY): a second userfault in the
 * same fault is SIGBUS; from v5.7 ({@link Feature#FAULT_RETRY_MULTIPLE}) it userfaults as often as
 * it retries. UFFDIO_COPY copies one page; its
 * allocation, the copy from the monitor's buffer and, when the PMD is empty, the page-table
 * allocation are merged into its install step under the PTE lock: the new page is private to the
 * monitor until then. The copy faults (and __mcopy_atomic retries without the lock) only in
 * scenarios that ask for it ({@link #monitor(Code, int, int, int, boolean)}).
 *
 * <p>On kernels with per-VMA locks: handle_userfault gives back whichever lock the fault holds
 * (release_fault_lock; {@link Feature#USERFAULTS_UNDER_VMA_LOCK}). From v6.9 ({@link
 * Feature#UFFD_PER_VMA_LOCKS}) UFFDIO_COPY holds the destination VMA's read lock instead of
 * mmap_lock (uffd_mfill_lock) and {@code uffd.map_changing_lock} for read from its mmap_changing
 * check to its end, and the event producers raise mmap_changing under it for write ({@link
 * #prepEvent}): the lock is {@code uffd.map_changing_lock.readers} and the writers queued on it,
 * {@code uffd.map_changing_lock.writers} (a bit per thread; a queued writer keeps new readers
 * out, as the rwsem's writer preference does).
 */
public final class Userfaultfd {
    public static final int WQ_NONE = 0;
    /** Fault: queued on fault_pending_wqh. Event: prepped (unmap_ctx on the list, or userfaultfd_remove entered). */
    public static final int FAULT_QUEUED = 1;
    /** Fault: read by the monitor (moved to fault_wqh); the thread still sleeps until a wake. */
    public static final int FAULT_READ = 2;
    public static final int EVENT_PREPPED = 1;
    /** Event: on event_wqh, the producer asleep until the monitor reads it. */
    public static final int EVENT_QUEUED = 2;
    /** Event: read by the monitor (userfaultfd_event_complete woke the producer). */
    public static final int EVENT_READ = 3;

    /** UFFDIO_COPY results in {@code copy_ret}. */
    public static final int OK = 0;
    public static final int EAGAIN = 1;
    public static final int ENOENT = 2;
    public static final int EEXIST = 3;
    public static final int ENOMEM = 4;

    private static final String FS = "fs/userfaultfd.c:";
    private static final String MM = "mm/userfaultfd.c:";
    /** UFFDIO_COPY: the early mmap_changing check (fs/userfaultfd.c:userfaultfd_copy). */
    public static final StepRef COPY_MMAP_CHANGING = StepRef.step("UFFDIO_COPY: mmap_changing");
    /** __mcopy_atomic: find_vma (and the mmap_changing check under mmap_sem, v4.18+). */
    public static final StepRef COPY_FIND_VMA = StepRef.step("__mcopy_atomic: find_vma");
    /** userfaultfd_event_wait_completion: the event is queued for the monitor. */
    public static final StepRef EVENT_QUEUE = StepRef.in("userfaultfd_event_wait_completion", "queue event");
    /** userfaultfd_event_wait_completion: sleeps until the monitor has read the event. */
    public static final StepRef EVENT_WAIT = StepRef.in("userfaultfd_event_wait_completion", "schedule");
    /** handle_userfault: up_read(mmap_sem) before sleeping. */
    public static final StepRef FAULT_UP_READ = StepRef.in("handle_userfault", "up_read");
    /** handle_userfault with per-VMA locks: release_fault_lock, vma_end_read or mmap_read_unlock. */
    public static final StepRef FAULT_RELEASE_LOCK = StepRef.in("handle_userfault", "release_fault_lock");
    /** handle_userfault: the fault message is queued on fault_pending_wqh (or VM_FAULT_SIGBUS on the retry). */
    public static final StepRef FAULT_QUEUE = StepRef.in("handle_userfault", "queue fault message");
    /** handle_userfault: schedule() until UFFDIO_COPY or UFFDIO_WAKE wakes the thread. */
    public static final StepRef FAULT_SCHEDULE = StepRef.in("handle_userfault", "schedule");
    /** userfaultfd_remove: a registered VMA preps the REMOVE event. */
    public static final StepRef REMOVE = StepRef.in("userfaultfd_remove", "userfaultfd_remove");
    /** userfaultfd_remove from v6.9: down_write(map_changing_lock), atomic_inc, up_write. */
    public static final StepRef REMOVE_DOWN_WRITE = StepRef.in("userfaultfd_remove", downWriteLabel(REMOVE.label()));
    /** userfaultfd_remove: up_read(mmap_sem) before waiting for the monitor. */
    public static final StepRef REMOVE_UP_READ = StepRef.in("userfaultfd_remove", "up_read");
    /** userfaultfd_remove: the call of userfaultfd_event_wait_completion. */
    public static final StepRef REMOVE_EVENT_WAIT = StepRef.in("userfaultfd_remove", "userfaultfd_event_wait_completion");
    /** madvise_dontneed after userfaultfd_remove: down_read(mmap_sem) again. */
    public static final StepRef REMOVE_DOWN_READ = StepRef.in("userfaultfd_remove", "down_read");
    /** madvise_dontneed after userfaultfd_remove: find_vma again (-ENOMEM if the VMA is gone). */
    public static final StepRef REMOVE_FIND_VMA = StepRef.in("userfaultfd_remove", "find_vma");
    // The monitor thread's own steps (no procedure).
    /** The monitor's read(uffd): one message, an alternative per message (see the factories below). */
    public static final StepRef READ = StepRef.step("read(uffd)");
    /** __mcopy_atomic: down_read(mmap_sem) (again at retry:). */
    public static final StepRef COPY_DOWN_READ = StepRef.step("__mcopy_atomic: down_read");
    /** mcopy_atomic_pte: copy_from_user with page faults disabled, which may fault. */
    public static final StepRef COPY_FROM_USER_ATOMIC = StepRef.step("mcopy_atomic_pte: copy_from_user");
    /** mcopy_atomic_pte: the copy succeeded. */
    public static final StepRef COPY_FROM_USER_COPIED = COPY_FROM_USER_ATOMIC.choice("copied");
    /** mcopy_atomic_pte: the copy faulted, -ENOENT with the page kept. */
    public static final StepRef COPY_FROM_USER_FAULTED = COPY_FROM_USER_ATOMIC.choice("faulted, -ENOENT");
    /** __mcopy_atomic, __pte_alloc: pte_alloc_one when the PMD is empty. */
    public static final StepRef COPY_PTE_ALLOC_ONE = StepRef.step("__pte_alloc: pte_alloc_one");
    /** __pte_alloc: pmd_populate (or pte_free when another thread populated the PMD). */
    public static final StepRef COPY_PMD_POPULATE = StepRef.step("__pte_alloc: pmd_populate");
    /**
     * mfill_atomic (v6.14+ in the model, {@link Feature#PT_RECLAIM}): the second
     * pmdp_get_lockless after __pte_alloc; a PMD that is not present gives -EEXIST.
     */
    public static final StepRef COPY_PMD_RECHECK = StepRef.step("mfill_atomic: pmdp_get_lockless");
    /** mcopy_atomic_pte: pte_offset_map_lock reads the PMD. */
    public static final StepRef COPY_PTE_OFFSET_MAP = StepRef.step("mcopy_atomic_pte: pte_offset_map");
    /** mcopy_atomic_pte: under the PTE lock, -EEXIST or set_pte_at of the new page. */
    public static final StepRef COPY_SET_PTE_AT = StepRef.step("mcopy_atomic_pte: set_pte_at");
    /** __mcopy_atomic: up_read(mmap_sem) at the end. */
    public static final StepRef COPY_UP_READ = StepRef.step("__mcopy_atomic: up_read");
    /** userfaultfd_copy: wake_userfault (or the monitor's UFFDIO_WAKE after an error). */
    public static final StepRef WAKE = StepRef.step("wake_userfault");
    /** __mcopy_atomic, err == -ENOENT: up_read(mmap_sem) to copy with faults enabled. */
    public static final StepRef COPY_UP_READ_TO_COPY = StepRef.step("__mcopy_atomic: up_read to copy");
    /** __mcopy_atomic, err == -ENOENT: copy_from_user into the kept page, then goto retry. */
    public static final StepRef COPY_FROM_USER_RETRY = StepRef.step("__mcopy_atomic: copy_from_user");
    // UFFDIO_COPY under the destination VMA's lock (v6.9+, mm/userfaultfd.c: mfill_atomic).
    /** uffd_lock_vma: lock_vma_under_rcu's walk (retry: in mfill_atomic comes back here). */
    public static final StepRef COPY_MAS_WALK = StepRef.step(LockVmaUnderRcu.MAS_WALK);
    /** uffd_lock_vma: lock_vma_under_rcu's early check of vm_lock_seq. */
    public static final StepRef COPY_VMA_START_READ = StepRef.step(LockVmaUnderRcu.START_READ);
    /** uffd_lock_vma: lock_vma_under_rcu's down_read_trylock (to v6.14). */
    public static final StepRef COPY_VMA_READ_TRYLOCK = StepRef.step(LockVmaUnderRcu.TRYLOCK);
    /** uffd_lock_vma: lock_vma_under_rcu's vm_refcnt increment (v6.15+). */
    public static final StepRef COPY_VMA_REFCOUNT_INC = StepRef.step(LockVmaUnderRcu.REFCOUNT_INC);
    /** uffd_lock_vma: lock_vma_under_rcu's re-check and range check. */
    public static final StepRef COPY_VMA_LOCK_CHECKS = StepRef.step(LockVmaUnderRcu.CHECKS);
    /** uffd_lock_vma's fallback: mmap_read_lock. */
    public static final StepRef COPY_MMAP_READ_LOCK = StepRef.step("uffd_lock_vma: mmap_read_lock");
    /** uffd_lock_vma: find_vma_and_prepare_anon, then the VMA's read lock taken under mmap_lock. */
    public static final StepRef COPY_PREPARE_ANON = StepRef.step("uffd_lock_vma: find_vma_and_prepare_anon");
    /** uffd_lock_vma: mmap_read_unlock. */
    public static final StepRef COPY_MMAP_READ_UNLOCK = StepRef.step("uffd_lock_vma: mmap_read_unlock");
    /** uffd_lock_vma's anon_vma check and uffd_mfill_lock's validate_dst_vma. */
    public static final StepRef COPY_VALIDATE = StepRef.step("uffd_mfill_lock: validate_dst_vma");
    /** mfill_atomic: down_read(&ctx->map_changing_lock). */
    public static final StepRef COPY_MAP_CHANGING_DOWN_READ = StepRef.step("mfill_atomic: down_read(map_changing_lock)");
    /** mfill_atomic: atomic_read(&ctx->mmap_changing) under map_changing_lock: -EAGAIN. */
    public static final StepRef COPY_MMAP_CHANGING_LOCKED = StepRef.step("mfill_atomic: mmap_changing");
    /** mfill_atomic, out_unlock: up_read(&ctx->map_changing_lock). */
    public static final StepRef COPY_MAP_CHANGING_UP_READ = StepRef.step("mfill_atomic: up_read(map_changing_lock)");
    /** mfill_atomic, out_unlock: uffd_mfill_unlock, vma_end_read. */
    public static final StepRef COPY_MFILL_UNLOCK = StepRef.step("uffd_mfill_unlock: vma_end_read");
    /** mfill_atomic, err == -ENOENT: up_read(&ctx->map_changing_lock) before the copy. */
    public static final StepRef COPY_MAP_CHANGING_UP_READ_TO_COPY = StepRef.step("mfill_atomic: up_read(map_changing_lock) to copy");
    /** mfill_atomic, err == -ENOENT: uffd_mfill_unlock before the copy. */
    public static final StepRef COPY_MFILL_UNLOCK_TO_COPY = StepRef.step("uffd_mfill_unlock to copy");

    public final FieldArray fault;
    public final FieldArray event;
    public final Field mmapChanging;
    /** The procedure {@code handle_userfault}, called by the page fault with mmap_sem read held. */
    public final Procedure handleUserfault;
    /** The procedure {@code userfaultfd_event_wait_completion} of an event producer. */
    public final Procedure eventWait;
    /**
     * The monitor's {@code copy_retried} local (its copy faulted once and __mcopy_atomic went
     * back to retry), or null when the scenario's copies never fault.
     */
    public Field copyRetried;
    /**
     * The monitor's {@code copy_ret} local: the result of the UFFDIO_COPY in flight ({@link #OK},
     * {@link #EAGAIN}, {@link #ENOENT}, {@link #EEXIST}, {@link #ENOMEM}) until its wake step
     * resets it; null before the monitor is built.
     */
    public Field copyResult;
    /** The procedure {@code userfaultfd_remove} of madvise(MADV_DONTNEED), mmap_sem read held. */
    public final Procedure remove;
    /** ctx->map_changing_lock's readers (UFFDIO_COPY), from v6.9; null before. */
    public final Field mapChangingReaders;
    /** The threads queued on (or taking) ctx->map_changing_lock for write, a bit each; null before v6.9. */
    public final Field mapChangingWriters;

    private final Kernel k;
    private final boolean hasFlag;
    private final boolean counter;

    /** The userfaultfd context of {@code k}'s mm; made by {@link Kernel} for a model with {@code KernelParts.userfaultfd}. */
    public Userfaultfd(Kernel k) {
        this.k = k;
        int t = k.config.threads();
        fault = k.program.array("uffd.fault_wq", t, WQ_NONE, FAULT_READ);
        event = k.program.array("uffd.event_wq", t, WQ_NONE, EVENT_READ);
        hasFlag = k.has(Feature.UFFD_MMAP_CHANGING);
        counter = hasFlag && k.has(Feature.UFFD_MMAP_CHANGING_COUNT);
        mmapChanging = k.program.field("uffd.mmap_changing", 0, counter ? t : 1);
        boolean lock = k.has(Feature.UFFD_PER_VMA_LOCKS);
        mapChangingReaders = lock ? k.program.field("uffd.map_changing_lock.readers", 0, t) : null;
        mapChangingWriters = lock ? k.program.field("uffd.map_changing_lock.writers", 0, (1 << t) - 1) : null;
        handleUserfault = k.program.procedure("handle_userfault", this::handleUserfaultBody);
        eventWait = k.program.procedure("userfaultfd_event_wait_completion", this::eventWaitBody);
        remove = k.program.procedure("userfaultfd_remove", this::removeBody);
    }

    private Userfaultfd() {
        k = null;
        fault = null;
        event = null;
        mmapChanging = null;
        handleUserfault = null;
        eventWait = null;
        remove = null;
        mapChangingReaders = null;
        mapChangingWriters = null;
        hasFlag = false;
        counter = false;
    }

    /** The null object of an mm without a userfaultfd: no VMA is registered, no event is waited for. */
    public static Userfaultfd absent() {
        return new Userfaultfd();
    }

    /** Has the mm a userfaultfd context? The code that only a registered VMA reaches is built only then. */
    public boolean present() {
        return k != null;
    }

    /** read(uffd) [fault of T{thread}]: the monitor reads the fault message of {@code thread}. */
    public static StepRef readFault(int thread) {
        return READ.choice("fault of T" + thread);
    }

    /** read(uffd) [event of T{thread}]: the monitor reads {@code thread}'s event (userfaultfd_event_complete). */
    public static StepRef readEvent(int thread) {
        return READ.choice("event of T" + thread);
    }

    /** read(uffd) [fault of T{thread} outside the registered ranges]: a fault the monitor does not serve. */
    public static StepRef readFaultOutsideRanges(int thread) {
        return READ.choice("fault of T" + thread + " outside the registered ranges");
    }

    /** read(uffd) [background copy of the page's address]: UFFDIO_COPY of {@code page} before any fault asks for it. */
    public static StepRef backgroundCopy(int page) {
        return READ.choice("background copy of " + Machine.addr(page));
    }

    /**
     * The thread's FAULT_FLAG_TRIED before v5.7: this fault already returned VM_FAULT_RETRY once,
     * and the retry lost FAULT_FLAG_ALLOW_RETRY, so a second userfault is VM_FAULT_SIGBUS. Null
     * from v5.7 ({@link Feature#FAULT_RETRY_MULTIPLE}), where a fault keeps ALLOW_RETRY and
     * userfaults as often as it retries.
     */
    public static Field tried(Code c, Kernel k) {
        return k.has(Feature.FAULT_RETRY_MULTIPLE) ? null : c.local("fault_tried", 0, 1);
    }

    /** userfaultfd_missing(vma): the VMA (+ 1) is registered in missing mode. */
    public boolean missing(long[] s, int vmaPlusOne) {
        return present() && vmaPlusOne != Mm.NONE && k.mm.vmaUffdMissing.get(s, vmaPlusOne - 1) == 1;
    }

    /** Threads whose event has been prepped and not yet read by the monitor, as a bit set. */
    public int unreadEvents(long[] s) {
        int mask = 0;
        for (int t = 0; t < k.config.threads(); t++) {
            int e = event.get(s, t);
            if (e == EVENT_PREPPED || e == EVENT_QUEUED) {
                mask |= 1 << t;
            }
        }
        return mask;
    }

    /** ctx->mmap_changing is raised (always false before v4.18, which has no such field). */
    public boolean changing(long[] s) {
        return hasFlag && mmapChanging.get(s) != 0;
    }

    /** Any VMA overlapping [start, end) registered? (the ctx of the range wants the event) */
    public boolean rangeRegistered(long[] s, int start, int end) {
        Mm mm = k.mm;
        for (int v = 0; v < k.config.vmaSlots(); v++) {
            if (mm.vmaInTree.get(s, v) == 1 && mm.vmaUffdMissing.get(s, v) == 1
                    && mm.vmaStart.get(s, v) < end && start < mm.vmaEnd.get(s, v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The event producer's part before it drops mmap_sem: the event is prepped, and from v4.18
     * mmap_changing is raised (WRITE_ONCE true; atomic_inc from v5.15).
     */
    public void prep(long[] s, int thread) {
        event.set(s, thread, EVENT_PREPPED);
        if (hasFlag) {
            mmapChanging.set(s, counter ? mmapChanging.get(s) + 1 : 1);
        }
    }

    /** The label of the step that takes map_changing_lock for write after {@code label} queued for it. */
    public static String downWriteLabel(String label) {
        return label + ": down_write(map_changing_lock)";
    }

    /**
     * An event producer's prep (userfaultfd_unmap_prep, userfaultfd_remove) as steps of its code:
     * {@code label} preps the thread's event when {@code wanted} and the thread has none yet (one
     * event per ctx and range: has_unmap_ctx). From v6.9 the increment of mmap_changing is taken
     * under map_changing_lock for write: {@code label} queues the thread as a writer and {@link
     * #downWriteLabel} preps once no UFFDIO_COPY holds the lock for read. down_write, atomic_inc
     * and up_write are that one step: while the writer holds the lock only readers could tell,
     * and they are kept out from the queueing on. {@code then} adds the caller's jumps after
     * each of the steps.
     */
    public void prepEvent(Code c, int t, String label, String source, Guard wanted, Consumer<Code> then) {
        boolean lock = mapChangingWriters != null;
        Code decide = c.step(label, source, s -> {
            if (event.get(s, t) != WQ_NONE || !wanted.test(s)) {
                return;
            }
            if (lock) {
                mapChangingWriters.set(s, mapChangingWriters.get(s) | 1 << t); // down_write: queued
            } else {
                prep(s, t);
            }
        });
        if (!lock) {
            then.accept(decide);
            return;
        }
        String take = downWriteLabel(label);
        decide.ifGoTo(s -> (mapChangingWriters.get(s) >> t & 1) == 1, take);
        then.accept(decide);
        Code taken = c.await(take, k.src(FS + "userfaultfd_unmap_prep, userfaultfd_remove; kernel/locking/rwsem.c:down_write"),
                s -> mapChangingReaders.get(s) == 0, s -> {
                    mapChangingWriters.set(s, mapChangingWriters.get(s) & ~(1 << t));
                    prep(s, t); // atomic_inc(&ctx->mmap_changing); up_write
                });
        then.accept(taken);
    }

    // ---- the fault side ------------------------------------------------------------------------

    /**
     * handle_userfault(vmf, VM_UFFD_MISSING) (SEMANTICS.md 6.2), entered with mmap_sem read held
     * and the PTE lock released. Without FAULT_FLAG_ALLOW_RETRY (before v5.7: the retry already
     * happened) it returns VM_FAULT_SIGBUS with the lock still held ({@code failed} = 1). Otherwise it queues
     * the fault message, re-checks the PTE (userfaultfd_must_wait), releases mmap_sem and sleeps
     * until UFFDIO_COPY or UFFDIO_WAKE wakes it; VM_FAULT_RETRY.
     */
    private void handleUserfaultBody(Code c) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Field tried = tried(c, k);
        c.step(FAULT_QUEUE.label(), k.src(FS + "handle_userfault"), s -> {
            if (tried != null && tried.get(s) == 1) {
                l.failed.set(s, 1); // FAULT_FLAG_ALLOW_RETRY missing: VM_FAULT_SIGBUS
                return;
            }
            // Enqueue on fault_pending_wqh; must_wait: the PTE is still none.
            if (k.machine.pte.get(s, l.page.get(s)) == Machine.NONE) {
                fault.set(s, t, FAULT_QUEUED);
            }
        }).ifGoTo(s -> l.failed.get(s) == 1, Code.RETURN);
        Mm mm = k.mm;
        if (mm.perVmaLocks()) {
            // release_fault_lock(vmf): vma_end_read under FAULT_FLAG_VMA_LOCK, else mmap_read_unlock.
            c.step(FAULT_RELEASE_LOCK.label(), k.src(FS + "handle_userfault, include/linux/mm.h:release_fault_lock"), s -> {
                if (mm.faultVmaLocked.get(s, t) != Mm.NONE) {
                    VmaLock.endHeldRead(k, s, t);
                } else {
                    Rwsem.releaseRead(k, s, t);
                }
            });
        } else {
            Rwsem.upRead(k, c, t, FAULT_UP_READ.label());
        }
        c.await(FAULT_SCHEDULE.label(), k.src(FS + "handle_userfault"), s -> fault.get(s, t) == WQ_NONE);
    }

    // ---- non-cooperative events ----------------------------------------------------------------

    /**
     * userfaultfd_event_wait_completion (SEMANTICS.md 6.3), with no mmap_sem held: a prepped
     * event is queued on event_wqh and the producer sleeps until the monitor's read() delivers it;
     * then mmap_changing is lowered (WRITE_ONCE false 4.18-5.14, atomic_dec from 5.15). Nothing
     * happens when this thread prepped no event.
     */
    private void eventWaitBody(Code c) {
        int t = k.threadOf(c.process());
        String queue = EVENT_QUEUE.label();
        c.step(queue, k.src(FS + "userfaultfd_event_wait_completion"), s -> {
            if (event.get(s, t) == EVENT_PREPPED) {
                event.set(s, t, EVENT_QUEUED);
            }
        }).ifGoTo(s -> event.get(s, t) == WQ_NONE, Code.RETURN);
        String wait = EVENT_WAIT.label();
        c.await(wait, k.src(FS + "userfaultfd_event_wait_completion"), s -> event.get(s, t) == EVENT_READ,
                s -> {
                    if (hasFlag) {
                        mmapChanging.set(s, counter ? mmapChanging.get(s) - 1 : 0);
                    }
                    event.set(s, t, WQ_NONE);
                });
    }

    /**
     * userfaultfd_remove(vma, start, end) from madvise_dontneed (mm/madvise.c, SEMANTICS.md 6.3),
     * for the VMA {@code vma} at {@code cursor}, with mmap_sem read held: if the VMA is registered,
     * prep the REMOVE event (raising mmap_changing from v4.18), drop mmap_sem, wait until the
     * monitor has read the event, re-take mmap_sem and re-find the VMA (madvise_dontneed: no VMA,
     * or one that starts above the cursor, is -ENOMEM; the zap is clipped to the VMA found, as
     * 70ccb92fdd90 does). On -ENOMEM {@code vma} is NONE, {@code failed} is set and the range
     * the return promises ends at the cursor (what was zapped before).
     */
    private void removeBody(Code c) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        String entry = REMOVE.label();
        // vma->vm_flags & VM_UFFD_MISSING (userfaultfd_remove's userfaultfd_missing check).
        prepEvent(c, t, entry, k.src(FS + entry),
                s -> l.vma.get(s) != Mm.NONE && k.mm.vmaUffdMissing.get(s, l.vma.deref(s)) == 1,
                code -> code.ifGoTo(s -> event.get(s, t) == WQ_NONE, Code.RETURN));
        Rwsem.upRead(k, c, t, REMOVE_UP_READ.label());
        c.call(REMOVE_EVENT_WAIT.label(), k.src(FS + entry), eventWait);
        Rwsem.downRead(k, c, t, REMOVE_DOWN_READ.label());
        String refind = REMOVE_FIND_VMA.label();
        c.step(refind, k.src("mm/madvise.c:madvise_dontneed, " + FindVma.source(k)), s -> {
            int cursor = l.cursor.get(s);
            int v = FindVma.find(k, s, t, cursor);
            if (v == Mm.NONE || k.mm.vmStart(s, v) > cursor) {
                l.failed.set(s, 1);
                l.end.set(s, cursor);
                l.vma.set(s, Mm.NONE);
                l.cursor.set(s, 0);
                return;
            }
            l.vma.set(s, v);
        });
    }

    // ---- the monitor -----------------------------------------------------------------------------

    /**
     * The monitor thread {@code p} (thread {@code t}), a loop that never needs to end: read() one
     * message (pending faults first, then events: userfaultfd_ctx_read); a fault is resolved with
     * UFFDIO_COPY of its page, followed by UFFDIO_WAKE when the copy failed (-EAGAIN, -EEXIST,
     * -ENOENT), so that the faulting thread retries; an event needs nothing more. It may also copy
     * each page of {@code precopy} (a bit set of pages) once, in the background, before any fault
     * asks for it (the B11 race).
     */
    public void monitor(Code p, int t, int precopy) {
        monitor(p, t, precopy, (1 << k.config.pages()) - 1);
    }

    /**
     * The monitor as above, serving only the pages of {@code served} (a bit set): the ranges its
     * program registered. A fault message for any other page is read and left alone: the
     * monitor has no contents for an address it never registered, so it neither copies nor
     * wakes, and the faulting thread is never woken. The correct kernel never hands such a fault over; with every page served (the
     * default) the monitor is the one above, transition for transition.
     */
    public void monitor(Code p, int t, int precopy, int served) {
        monitor(p, t, precopy, served, false);
    }

    /**
     * The monitor as above; with {@code copyMayFault} the copy from its buffer may fault, and
     * __mcopy_atomic takes the -ENOENT path of v4.12-v6.13 (mm/userfaultfd.c): mcopy_atomic_pte
     * copies with page faults disabled and, when that fails, returns -ENOENT keeping the page;
     * __mcopy_atomic drops mmap_sem, copies with faults enabled and goes back to {@code retry:}
     * (down_read, mmap_changing again, find_vma again) to install the page it already holds.
     * The copy faults at most once (a second fault would change nothing that is checked).
     */
    public void monitor(Code p, int t, int precopy, int served, boolean copyMayFault) {
        Mm mm = k.mm;
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        int threads = cfg.threads();
        Field dst = p.local("copy_dst", 0, cfg.pages());
        Field fromFault = p.local("copy_for_fault", 0, 1);
        Field ret = p.local("copy_ret", OK, ENOMEM);
        copyResult = ret;
        Field snapshot = p.local("copy_saw_events", 0, (1 << threads) - 1);
        Field done = p.local("precopied", 0, (1 << cfg.pages()) - 1);

        String read = FS + "userfaultfd_read, userfaultfd_ctx_read";
        String readLabel = READ.label();
        p.either(readLabel, k.src(read));
        boolean all = served == (1 << cfg.pages()) - 1;
        for (int i = 0; i < threads; i++) {
            int from = i;
            p.or(readFault(i).choice(), null, s -> fault.get(s, from) == FAULT_QUEUED
                    && (all || (served >> k.locals(from).page.get(s) & 1) == 1), s -> {
                fault.set(s, from, FAULT_READ);
                dst.set(s, k.locals(from).page.get(s) + 1);
                fromFault.set(s, 1);
            });
        }
        for (int i = 0; i < threads; i++) {
            int from = i;
            p.or(readEvent(i).choice(), k.src(read + ", userfaultfd_event_complete"),
                    s -> event.get(s, from) == EVENT_QUEUED && noFaultQueued(s), s -> event.set(s, from, EVENT_READ))
                    .goTo(readLabel); // an event needs no ioctl
        }
        for (int i = 0; !all && i < threads; i++) {
            int from = i;
            p.or(readFaultOutsideRanges(i).choice(), k.src(read),
                    s -> fault.get(s, from) == FAULT_QUEUED && (served >> k.locals(from).page.get(s) & 1) == 0,
                    s -> fault.set(s, from, FAULT_READ))
                    .goTo(readLabel); // no UFFDIO_COPY, no UFFDIO_WAKE: the thread sleeps on
        }
        for (int page = 0; page < cfg.pages(); page++) {
            if ((precopy >> page & 1) == 0) {
                continue;
            }
            int pg = page;
            p.or(backgroundCopy(page).choice(), k.src(FS + "userfaultfd_copy"),
                    s -> (done.get(s) >> pg & 1) == 0, s -> {
                        done.set(s, done.get(s) | 1 << pg);
                        dst.set(s, pg + 1);
                    });
        }

        // userfaultfd_copy: if (READ_ONCE(ctx->mmap_changing)) return -EAGAIN (v4.18+).
        boolean vmaLocked = k.has(Feature.UFFD_PER_VMA_LOCKS);
        ThreadLocals l = ThreadLocals.of(p, k);
        if (hasFlag) {
            String early = COPY_MMAP_CHANGING.label();
            p.step(early, k.src(FS + "userfaultfd_copy"), s -> {
                if (changing(s)) {
                    ret.set(s, EAGAIN);
                } else if (vmaLocked) {
                    l.page.set(s, dst.get(s) - 1); // mfill_atomic's dst_start, for lock_vma_under_rcu
                }
            }).ifGoTo(s -> ret.get(s) != OK, WAKE.label());
        }
        // Where the copy takes its lock (retry: in __mcopy_atomic / mfill_atomic) and where it
        // gives it back (out_unlock).
        String relock = vmaLocked ? COPY_MAS_WALK.label() : COPY_DOWN_READ.label();
        String unlock = vmaLocked ? COPY_MAP_CHANGING_UP_READ.label() : COPY_UP_READ.label();
        String dropToCopy = vmaLocked ? COPY_MAP_CHANGING_UP_READ_TO_COPY.label() : COPY_UP_READ_TO_COPY.label();
        if (vmaLocked) {
            mfillLock(p, t, l, dst, ret, snapshot);
        } else {
            Rwsem.downRead(k, p, t, COPY_DOWN_READ.label());
            // Under the lock: mmap_changing again (v4.18+), then the destination VMA; with
            // per-VMA locks (v6.6) anon_vma_prepare(dst_vma) after it, under the same lock.
            String find = COPY_FIND_VMA.label();
            p.step(find, k.src(MM + "__mcopy_atomic"), s -> {
                if (changing(s)) {
                    ret.set(s, EAGAIN);
                    return;
                }
                snapshot.set(s, unreadEvents(s));
                int page = dst.get(s) - 1;
                int v = FindVma.find(k, s, t, page);
                if (v == Mm.NONE || mm.vmStart(s, v) > page || !missing(s, v)) {
                    ret.set(s, ENOENT);
                } else if (mm.perVmaLocks()) {
                    mm.vmaAnonVma.set(s, v - 1, 1);
                }
            }).ifGoTo(s -> ret.get(s) != OK, unlock);
        }

        // The copy already faulted once and its page is filled (*pagep): mcopy_atomic_pte copies
        // no more (copyMayFault only).
        Field again = copyMayFault ? p.local("copy_retried", 0, 1) : null;
        copyRetried = again;
        Guard filled = s -> again != null && again.get(s) == 1;

        // __mcopy_atomic: an empty PMD gets a page table first (__pte_alloc: pte_alloc_one with no
        // lock held, then pmd_populate under mm->page_table_lock unless another thread got there
        // first); mcopy_atomic_pte then maps the PTE (pte_offset_map_lock reads the PMD, keeping
        // the pointer) and, under the PTE lock, gives -EEXIST if the PTE is not none, else
        // page_add_new_anon_rmap and set_pte_at. One step per access, as in the fault path.
        String alloc = COPY_PTE_ALLOC_ONE.label();
        String map = COPY_PTE_OFFSET_MAP.label();
        // v6.14+ (PT_RECLAIM): a MADV_DONTNEED under mmap_read_lock (a registered VMA is never
        // zapped under its per-VMA lock) may clear the destination PMD and free its table while
        // the copy holds only the VMA's read lock and map_changing_lock; the copy's PMD reads and
        // pte_offset_map_lock then see it (6.18.2 mm/userfaultfd.c mfill_atomic 776-806,
        // mfill_atomic_install_pte 191-193; mm/pgtable-generic.c __pte_offset_map_lock 390-408).
        // Before, nothing clears an anonymous PMD while the copy holds its lock, so the second
        // PMD read and the RCU hold change nothing and have no step.
        boolean ptReclaim = k.has(Feature.PT_RECLAIM);
        String recheck = COPY_PMD_RECHECK.label();
        // mcopy_atomic_pte's copy comes after the table is there (__mcopy_atomic: mm_alloc_pmd,
        // __pte_alloc, then mfill_atomic_pte; 5.6.4 mm/userfaultfd.c 528-557 and 74, 6.12.0 and
        // 6.18.2 mfill_atomic likewise), so a copy that faults leaves the new table in place.
        String copyAtomic = copyMayFault ? COPY_FROM_USER_ATOMIC.label() : map;
        String afterAlloc = ptReclaim ? recheck : copyAtomic;
        p.step(alloc, k.src(MM + "__mcopy_atomic, mm/memory.c:__pte_alloc"), s -> {
            int table = cfg.tableOf(dst.get(s) - 1);
            if (m.pmd.get(s, table) != Machine.NONE) {
                return;
            }
            int pt = m.firstFreeFrame(s);
            if (pt == Machine.NONE) {
                ret.set(s, ENOMEM);
                return;
            }
            m.allocate(s, pt, Machine.PAGE_TABLE, table);
            l.newFrame.set(s, pt);
        })
                .ifGoTo(s -> ret.get(s) != OK, unlock)
                .ifGoTo(s -> l.newFrame.isNull(s) && !ptReclaim && filled.test(s), map)
                .ifGoTo(s -> l.newFrame.isNull(s), afterAlloc);
        String populate = COPY_PMD_POPULATE.label();
        p.step(populate, k.src("mm/memory.c:__pte_alloc"), s -> {
            int table = cfg.tableOf(dst.get(s) - 1);
            int pt = l.newFrame.get(s);
            if (m.pmd.get(s, table) == Machine.NONE) {
                m.pmd.set(s, table, pt);
                for (int q = table * cfg.pagesPerTable(); q < (table + 1) * cfg.pagesPerTable(); q++) {
                    m.pte.set(s, q, Machine.NONE);
                }
            } else {
                m.free(s, pt); // populated meanwhile: pte_free
            }
            l.newFrame.clear(s);
        });
        if (!ptReclaim) {
            p.ifGoTo(filled, map);
        }
        if (ptReclaim) {
            // The PMD read again after __pte_alloc: a table reclaimed since the first read (or
            // since pmd_populate) leaves it none, and mfill_atomic stops with -EEXIST though the
            // page was never mapped (its comment expects this of a THP PMD turned none).
            p.step(recheck, k.src(MM + "mfill_atomic"), s -> {
                if (m.pmd.get(s, cfg.tableOf(dst.get(s) - 1)) == Machine.NONE) {
                    ret.set(s, EEXIST);
                }
            }).ifGoTo(s -> ret.get(s) != OK, unlock)
                    .ifGoTo(filled, map);
        }
        if (copyMayFault) {
            // mcopy_atomic_pte: the page is allocated and filled by copy_from_user with page faults
            // disabled (kmap_atomic); a fault there makes it return -ENOENT with the page kept.
            p.either(copyAtomic, k.src(MM + "mcopy_atomic_pte"));
            p.or(COPY_FROM_USER_COPIED.choice(), s -> { });
            p.or(COPY_FROM_USER_FAULTED.choice(), s -> again.get(s) == 0, s -> { }).goTo(dropToCopy);
        }
        // pte_offset_map_lock, first half: the PMD read gives the table (v6.14+: under
        // rcu_read_lock, until pte_unmap_unlock; a PMD found none returns NULL, and
        // mfill_atomic_install_pte -EAGAIN).
        Code mapped = p.step(map, k.src(MM + (ptReclaim ? "mfill_atomic_install_pte, mm/pgtable-generic.c:__pte_offset_map" : "mcopy_atomic_pte")), s -> {
            l.tableFrame.mapTableOf(s, dst.get(s) - 1);
            if (!ptReclaim) {
                return;
            }
            if (l.tableFrame.isNull(s)) {
                ret.set(s, EAGAIN);
            } else {
                mm.rcuReadLock(s, t);
            }
        });
        if (ptReclaim) {
            mapped.ifGoTo(s -> ret.get(s) != OK, unlock);
        }
        // Under the PTE lock: v6.14+ pmd_same first (PageFault.pmdSame: a PMD now none gives
        // NULL on the retried map, -EAGAIN); then -EEXIST if the PTE is not none, else rmap and
        // set_pte_at; pte_unmap_unlock.
        String install = COPY_SET_PTE_AT.label();
        p.await(install, k.src(MM + (ptReclaim ? "mfill_atomic_install_pte" : "mcopy_atomic_pte")),
                s -> m.ptl.get(s, cfg.tableOf(dst.get(s) - 1)) == 0,
                s -> {
                    int page = dst.get(s) - 1;
                    if (ptReclaim) {
                        if (!PageFault.pmdSame(k, l, s, page, t)) {
                            ret.set(s, EAGAIN);
                            return;
                        }
                        mm.rcuReadUnlock(s, t); // pte_unmap_unlock, on every exit below
                    }
                    if (!NumaFault.pteNone(k, s, page)) {
                        l.tableFrame.clear(s);
                        ret.set(s, EEXIST);
                        return;
                    }
                    int f = m.firstFreeFrame(s);
                    if (f == Machine.NONE) {
                        l.tableFrame.clear(s);
                        ret.set(s, ENOMEM);
                        return;
                    }
                    l.tableFrame.useTable(s, page); // set_pte_at through the pointer: I7 if the table was freed
                    l.tableFrame.clear(s);
                    m.allocate(s, f, Machine.ANON, page);
                    m.pte.set(s, page, f);
                    // I5: an event prepped before the copy's mmap_changing check and still unread
                    // (B11). From v6.9 map_changing_lock, held for read from the check to here,
                    // keeps every producer's prep out too, so any unread event is one.
                    int late = (vmaLocked ? ~0 : snapshot.get(s)) & unreadEvents(s);
                    if (late != 0) {
                        k.ghost.recordCopyDuringEvent(s, page, Integer.numberOfTrailingZeros(late));
                    }
                });
        if (vmaLocked) {
            mfillUnlock(p, t, l, unlock, COPY_MFILL_UNLOCK.label());
        } else {
            Rwsem.upRead(k, p, t, COPY_UP_READ.label());
        }

        // userfaultfd_copy: wake_userfault on success; after an error the monitor's UFFDIO_WAKE
        // (fault-driven copies only) lets the faulting thread retry.
        String wake = WAKE.label();
        p.step(wake, k.src(FS + "userfaultfd_copy, userfaultfd_wake, wake_userfault"), s -> {
            if (ret.get(s) == OK || fromFault.get(s) == 1) {
                int page = dst.get(s) - 1;
                for (int i = 0; i < threads; i++) {
                    ThreadLocals li = k.locals(i);
                    if (li != null && fault.get(s, i) != WQ_NONE && li.page.get(s) == page) {
                        fault.set(s, i, WQ_NONE);
                    }
                }
            }
            dst.set(s, 0);
            fromFault.set(s, 0);
            ret.set(s, OK);
            snapshot.set(s, 0);
            if (copyRetried != null) {
                copyRetried.set(s, 0);
            }
            if (vmaLocked) {
                l.page.set(s, 0);
            }
        }).goTo(readLabel);

        if (copyMayFault) {
            // err == -ENOENT: give the lock back (v6.9+: up_read(map_changing_lock) and
            // uffd_mfill_unlock; before, up_read(mmap_sem)); copy_from_user into the kept page
            // with faults enabled (it may sleep); goto retry, which takes the lock again, checks
            // mmap_changing again and finds the VMA again before the install.
            if (vmaLocked) {
                mfillUnlock(p, t, l, dropToCopy, COPY_MFILL_UNLOCK_TO_COPY.label());
            } else {
                Rwsem.upRead(k, p, t, dropToCopy);
            }
            String copy = COPY_FROM_USER_RETRY.label();
            p.step(copy, k.src(MM + (vmaLocked ? "mfill_atomic" : "__mcopy_atomic")), s -> again.set(s, 1))
                    .goTo(relock);
        }
    }

    /**
     * UFFDIO_COPY's lock from v6.9 (mm/userfaultfd.c, read in 6.12.0 68-119 and 728-750, 6.18.2):
     * uffd_mfill_lock → uffd_lock_vma: lock_vma_under_rcu at the destination; a VMA without
     * anon_vma is given back (vma_end_read) for the fallback: mmap_read_lock,
     * find_vma_and_prepare_anon (vma_lookup, -ENOENT if none; anon_vma_prepare), the VMA's read
     * lock taken under mmap_lock (down_read of vm_lock; vma_start_read_locked from v6.15, which
     * cannot fail here: no writer under mmap_lock), mmap_read_unlock. Then validate_dst_vma (the
     * page inside the VMA, which has a ctx: else vma_end_read, -ENOENT); then mfill_atomic's
     * down_read(map_changing_lock), waiting while a producer is queued for write, and its
     * mmap_changing check (-EAGAIN: out_unlock). The anon_vma check and the validation are one
     * step: both read the VMA this thread holds locked, whose bounds and ctx no writer can
     * change, and anon_vma only goes from NULL to set.
     */
    private void mfillLock(Code p, int t, ThreadLocals l, Field dst, Field ret, Field snapshot) {
        Mm mm = k.mm;
        String validate = COPY_VALIDATE.label();
        String fallback = COPY_MMAP_READ_LOCK.label();
        String lockVma = MM + "uffd_lock_vma";
        LockVmaUnderRcu.steps(k, p, l, t, fallback, validate);
        p.step(validate, k.src(MM + "uffd_mfill_lock, uffd_lock_vma, validate_dst_vma"), s -> {
            int v = l.vma.deref(s);
            if (mm.vmaAnonVma.get(s, v) == 0) {
                VmaLock.endHeldRead(k, s, t); // no anon_vma: vma_end_read, then the mmap_lock path
                l.vma.set(s, Mm.NONE);
                return;
            }
            if (l.page.get(s) >= mm.vmaEnd.get(s, v) || !missing(s, v + 1)) {
                VmaLock.endHeldRead(k, s, t);
                l.vma.set(s, Mm.NONE);
                ret.set(s, ENOENT);
            }
        }).ifGoTo(s -> ret.get(s) != OK, WAKE.label())
                .ifGoTo(s -> l.vma.get(s) == Mm.NONE, fallback)
                .goTo(COPY_MAP_CHANGING_DOWN_READ.label());

        Rwsem.downRead(k, p, t, fallback);
        p.step(COPY_PREPARE_ANON.label(), k.src(lockVma + ", find_vma_and_prepare_anon"), s -> {
            int page = l.page.get(s);
            int v = FindVma.find(k, s, t, page);
            if (v == Mm.NONE || mm.vmStart(s, v) > page) {
                ret.set(s, ENOENT); // vma_lookup found none
                return;
            }
            mm.vmaAnonVma.set(s, v - 1, 1); // anon_vma_prepare
            if (!VmaLock.tryReadLock(mm, s, v - 1)) {
                throw new IllegalStateException("a VMA is write-locked under mmap_lock held for read");
            }
            mm.faultVmaLocked.set(s, t, v);
            l.vma.set(s, v);
        });
        p.step(COPY_MMAP_READ_UNLOCK.label(), k.src(lockVma + ", kernel/locking/rwsem.c:up_read"), s -> {
            Rwsem.releaseRead(k, s, t);
            if (l.vma.get(s) != Mm.NONE) {
                l.vma.set(s, l.vma.get(s)); // the VMA's read lock keeps the pointer valid from here
            }
        }).ifGoTo(s -> ret.get(s) != OK, WAKE.label())
                .goTo(validate);

        p.await(COPY_MAP_CHANGING_DOWN_READ.label(), k.src(MM + "mfill_atomic; kernel/locking/rwsem.c:down_read"),
                s -> mapChangingWriters.get(s) == 0, s -> mapChangingReaders.set(s, mapChangingReaders.get(s) + 1));
        p.step(COPY_MMAP_CHANGING_LOCKED.label(), k.src(MM + "mfill_atomic"), s -> {
            if (changing(s)) {
                ret.set(s, EAGAIN);
                return;
            }
            snapshot.set(s, unreadEvents(s));
        }).ifGoTo(s -> ret.get(s) != OK, COPY_MAP_CHANGING_UP_READ.label());
    }

    /**
     * mfill_atomic's unlock from v6.9: up_read(&ctx->map_changing_lock) at {@code label}, then
     * uffd_mfill_unlock's vma_end_read at {@code endRead}; the code goes on after them.
     */
    private void mfillUnlock(Code p, int t, ThreadLocals l, String label, String endRead) {
        Mm mm = k.mm;
        p.step(label, k.src(MM + "mfill_atomic; kernel/locking/rwsem.c:up_read"),
                s -> mapChangingReaders.set(s, mapChangingReaders.get(s) - 1));
        p.step(endRead, k.src(MM + "uffd_mfill_unlock, " + VmaLock.MM_H + "vma_end_read"), s -> {
            l.vma.deref(s); // vma_end_read(dst_vma) uses the pointer
            VmaLock.endHeldRead(k, s, t);
            l.vma.set(s, Mm.NONE);
        });
    }

    private boolean noFaultQueued(long[] s) {
        for (int t = 0; t < k.config.threads(); t++) {
            if (fault.get(s, t) == FAULT_QUEUED) {
                return false;
            }
        }
        return true;
    }
}
