package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.syscalls.UffdRegister;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I5;
import static dev.mmcheck.model.invariants.KernelProperty.I6;
import static dev.mmcheck.model.invariants.KernelProperty.I7;

/**
 * Mistakes in the userfaultfd code of v5.15 (mmap_changing as a counter), each caught on a
 * scenario where v5.15 holds: I5 for the event/copy ordering, I6 (deadlock) for sleeping in
 * handle_userfault with mmap_sem held.
 */
public final class UffdMutants {
    private UffdMutants() {
    }

    public static List<Mutant> all() {
        return List.of(copyIgnoresMmapChanging(), copyRetrySkipsMmapChanging(), eventLowersBeforeRead(),
                faultSleepsWithMmapSem(), registerUnderReadLock(), registerWithoutSplit(),
                copyDropsVmaLockEarly(), faultSleepsWithVmaLock(), removeWithoutMapChangingLock());
    }

    /**
     * v6.12's userfaultfd_remove raises mmap_changing without waiting for map_changing_lock (the
     * pre-v6.9 order): MADV_DONTNEED's REMOVE event is prepped while a UFFDIO_COPY that already
     * passed its mmap_changing check holds the lock for read, and the copy installs before the
     * monitor reads the event, which v6.9's lock rules out (I5 from v6.9).
     */
    static Mutant removeWithoutMapChangingLock() {
        String name = "mutant-uffd-remove-without-map-changing-lock";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name,
                        "userfaultfd_remove raises mmap_changing without taking map_changing_lock for write")
                .replaceGuard(Userfaultfd.REMOVE_DOWN_WRITE, "no down_write(map_changing_lock)", (k, orig) -> s -> true),
                UffdScenarios::dontneedVsBackgroundCopy, I5);
    }

    /**
     * v6.12 with UFFDIO_COPY giving the destination VMA's read lock back right after its
     * mmap_changing check instead of at uffd_mfill_unlock: munmap can then write-lock, detach and
     * zap the VMA and free its page table while the copy walks to its install.
     */
    static Mutant copyDropsVmaLockEarly() {
        String name = "mutant-uffd-copy-drops-vma-lock-early";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name,
                        "mfill_atomic gives the VMA read lock back before the install (vma_end_read after the mmap_changing check)")
                .replaceEffect(Userfaultfd.COPY_MMAP_CHANGING_LOCKED, "vma_end_read after the check", (k, orig) -> {
                    int t = k.threadOf(k.site().process());
                    return s -> {
                        orig.apply(s);
                        if (k.mm.faultVmaLocked.get(s, t) != Mm.NONE) {
                            VmaLock.endHeldRead(k, s, t);
                        }
                    };
                })
                .replaceEffect(Userfaultfd.COPY_MFILL_UNLOCK, "nothing left to unlock", (k, orig) -> {
                    int t = k.threadOf(k.site().process());
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        if (k.mm.faultVmaLocked.get(s, t) != Mm.NONE) {
                            orig.apply(s);
                            return;
                        }
                        l.vma.deref(s); // uffd_mfill_unlock(dst_vma) still uses the pointer
                        l.vma.set(s, Mm.NONE);
                    };
                }),
                UffdScenarios::munmapVsBackgroundCopy, I7);
    }

    /**
     * v6.12 with handle_userfault sleeping on the VMA's read lock (release_fault_lock gives back
     * only mmap_lock): munmap's vma_start_write waits for the sleeping fault, and the monitor's
     * copy, which would wake it, falls back to mmap_read_lock behind munmap's write lock.
     */
    static Mutant faultSleepsWithVmaLock() {
        String name = "mutant-uffd-fault-keeps-vma-lock";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name,
                        "handle_userfault sleeps holding the per-VMA read lock")
                .replaceEffect(Userfaultfd.FAULT_RELEASE_LOCK, "keep the VMA lock", (k, orig) -> {
                    // Only the mmap_lock path gives its lock back.
                    int t = k.threadOf(k.site().process());
                    return s -> {
                        if (k.mm.faultVmaLocked.get(s, t) == Mm.NONE) {
                            orig.apply(s);
                        }
                    };
                }),
                UffdScenarios::faultVsMunmap, I6);
    }

    private static Variant base(String name, String description) {
        return Variant.of(KernelVersion.V5_15).named(name, description);
    }

    /** UFFDIO_COPY reads mmap_changing as 0, before and under mmap_sem: the pre-v4.18 behaviour. */
    static Mutant copyIgnoresMmapChanging() {
        String why = "read mmap_changing as 0";
        return new Mutant("mutant-uffd-copy-ignores-mmap-changing", base("mutant-uffd-copy-ignores-mmap-changing",
                "__mcopy_atomic ignores mmap_changing (no -EAGAIN while an event is unread)")
                .replaceEffect(Userfaultfd.COPY_MMAP_CHANGING, why, (k, orig) -> ignoringChanging(k, orig))
                .replaceEffect(Userfaultfd.COPY_FIND_VMA, why, (k, orig) -> ignoringChanging(k, orig)),
                UffdScenarios::munmapVsBackgroundCopy, I5);
    }

    private static Effect ignoringChanging(Kernel k, Effect orig) {
        Userfaultfd u = k.userfaultfd;
        return s -> {
            int saved = u.mmapChanging.get(s);
            u.mmapChanging.set(s, 0);
            orig.apply(s);
            u.mmapChanging.set(s, saved);
        };
    }

    /**
     * After a faulting copy_from_user, __mcopy_atomic re-takes mmap_sem and installs without
     * looking at mmap_changing again: the check the hugetlb path lacked until 67695f18d559
     * (SEMANTICS.md 6.4 step 5).
     */
    static Mutant copyRetrySkipsMmapChanging() {
        return new Mutant("mutant-uffd-copy-retry-skips-mmap-changing", base("mutant-uffd-copy-retry-skips-mmap-changing",
                "__mcopy_atomic's retry after a faulting copy_from_user does not re-check mmap_changing")
                .replaceEffect(Userfaultfd.COPY_FIND_VMA, "no mmap_changing check on the retry", (k, orig) -> {
                    Userfaultfd u = k.userfaultfd;
                    Effect ignoring = ignoringChanging(k, orig);
                    return s -> {
                        if (u.copyRetried != null && u.copyRetried.get(s) == 1) {
                            ignoring.apply(s);
                        } else {
                            orig.apply(s);
                        }
                    };
                }),
                UffdScenarios::copyRetryVsMunmap, I5);
    }

    /** The producer lowers mmap_changing when it queues the event, not after the monitor read it. */
    static Mutant eventLowersBeforeRead() {
        return new Mutant("mutant-uffd-event-lowers-early", base("mutant-uffd-event-lowers-early",
                "userfaultfd_event_wait_completion lowers mmap_changing as soon as the event is queued")
                .replaceEffect(Userfaultfd.EVENT_QUEUE, "atomic_dec before the monitor reads the event",
                        (k, orig) -> {
                            Userfaultfd u = k.userfaultfd;
                            return s -> {
                                orig.apply(s);
                                if (u.mmapChanging.get(s) > 0) {
                                    u.mmapChanging.set(s, u.mmapChanging.get(s) - 1);
                                }
                            };
                        })
                .replaceEffect(Userfaultfd.EVENT_WAIT, "mmap_changing was already lowered",
                        (k, orig) -> {
                            Userfaultfd u = k.userfaultfd;
                            int t = k.threadOf(k.site().process());
                            return s -> u.event.set(s, t, Userfaultfd.WQ_NONE);
                        }),
                UffdScenarios::munmapVsBackgroundCopy, I5);
    }

    /** handle_userfault sleeps without releasing mmap_sem: munmap queues, the monitor's copy blocks. */
    static Mutant faultSleepsWithMmapSem() {
        return new Mutant("mutant-uffd-fault-keeps-mmap-sem", base("mutant-uffd-fault-keeps-mmap-sem",
                "handle_userfault sleeps with mmap_sem still held for read")
                .replaceEffect(Userfaultfd.FAULT_UP_READ, "do not release mmap_sem before sleeping", (k, orig) -> s -> { }),
                UffdScenarios::faultVsMunmap, I6);
    }

    /**
     * UFFDIO_REGISTER takes mmap_sem for read instead of write (once the lock is free: the step
     * keeps down_write's wait, only what it takes changes). Its VMA splits then run where readers
     * look: between __split_vma's vma_adjust and the insert of the new VMA, the part cut off has no
     * VMA, although its page is still mapped (I4). find_vma of a concurrent fault would miss it.
     */
    static Mutant registerUnderReadLock() {
        return new Mutant("mutant-uffd-register-read-lock", base("mutant-uffd-register-read-lock",
                "userfaultfd_register splits and flags VMAs holding mmap_sem only for read")
                .replaceEffect(UffdRegister.DOWN_WRITE_QUEUE, "down_read does not queue as a writer", (k, orig) -> s -> { })
                .replaceEffect(UffdRegister.DOWN_WRITE, "take mmap_sem as a reader", (k, orig) ->
                        s -> k.mm.semReaders.set(s, k.mm.semReaders.get(s) + 1))
                .replaceEffect(UffdRegister.UP_WRITE, "up_read", (k, orig) -> {
                    int thread = k.patchingThread();
                    return s -> Rwsem.releaseRead(k, s, thread);
                }),
                UffdRegisterScenarios::registerThenFault, I4);
    }

    /**
     * userfaultfd_register flags each VMA it meets whole, without splitting at the range edges
     * (both __split_vma steps do nothing). The part of the VMA outside the range is registered
     * too: a fault there is handed to a monitor that serves only the range it registered, and
     * sleeps for ever (I6). The kernel's split keeps that part an ordinary anonymous mapping.
     */
    static Mutant registerWithoutSplit() {
        String why = "no split at the range edge";
        return new Mutant("mutant-uffd-register-no-split", base("mutant-uffd-register-no-split",
                "userfaultfd_register sets VM_UFFD_MISSING on whole VMAs, without splitting them at the range edges")
                .replaceEffect(UffdRegister.SPLIT_START_ADJUST, why, (k, orig) -> s -> { })
                .replaceEffect(UffdRegister.SPLIT_START_INSERT, why, (k, orig) -> s -> { })
                .replaceEffect(UffdRegister.SPLIT_END_ADJUST, why, (k, orig) -> s -> { })
                .replaceEffect(UffdRegister.SPLIT_END_INSERT, why, (k, orig) -> s -> { }),
                UffdRegisterScenarios::registerThenFaultOutside, I6);
    }
}
