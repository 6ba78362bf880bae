package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.syscalls.Madvise;
import dev.mmcheck.model.syscalls.Mlock;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.algorithms.MmapFixed;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.MmapFixedScenarios;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I6;
import static dev.mmcheck.model.invariants.KernelProperty.I7;

/**
 * Mistakes in the per-VMA locking of v6.6 (docs/model-vma-locks.md), each caught on a scenario
 * where v6.6 holds: munmap or mlock forgetting vma_start_write, a VMA freed without waiting for an
 * RCU grace period, vma_start_read without its re-check, munmap's error path leaving the
 * gathered VMAs detached (the 6.4-rc form of B16, before 606c812eb1d5), and a shared file fault
 * (v6.6) or vmf_anon_prepare (v6.12) returning VM_FAULT_RETRY with the VMA lock still held.
 */
public final class VmaLockMutants {
    private VmaLockMutants() {
    }

    public static List<Mutant> all() {
        return List.of(gatherWithoutStartWrite(), freeWithoutRcu(), startReadWithoutRecheck(), errorPathLeavesDetached(),
                mlockWithoutStartWrite(), clearFailureLeavesDetached(), retryKeepsVmaLock(), anonPrepareRetryKeepsVmaLock(),
                mmapFixedWithoutStartWrite(), mmapFixedMergeLeavesNext(), detachWithoutReaderWait(), lockVmaWithoutAddressCheck(), madviseZapsAfterVmaEndRead(),
                pteMapWithoutRcu(), uffdCopyMapWithoutRcu());
    }

    private static Variant base(String name, String description) {
        return Variant.of(KernelVersion.V6_6).named(name, description);
    }

    /** do_vmi_align_munmap stores and detaches each VMA without vma_start_write(next). */
    static Mutant gatherWithoutStartWrite() {
        String name = "mutant-munmap-no-vma-start-write";
        return new Mutant(name, base(name, "do_vmi_align_munmap detaches the VMAs it gathers without vma_start_write")
                .replaceEffect(Munmap.GATHER_START_WRITE, "no vma_start_write", (k, orig) -> s -> { }),
                Scenarios::munmapVsFaultSameVma, I7);
    }

    /**
     * The 6.4-rc6 form of do_vmi_align_munmap returned -ENOMEM straight from a failed
     * vma_iter_clear_gfp, skipping the error labels: the gathered VMAs stay detached in the tree
     * (the half of B16 that 606c812eb1d5's clear_tree_failed label fixed).
     */
    static Mutant clearFailureLeavesDetached() {
        String name = "mutant-clear-failure-leaves-detached";
        return new Mutant(name, base(name, "a failed vma_iter_clear_gfp returns -ENOMEM without marking the gathered VMAs attached again")
                .replaceEffect(Munmap.STORE_NULL_ENOMEM, "return -ENOMEM", (k, orig) -> keepingDetached(k, orig)),
                MapleScenarios::munmapTreeStoreEnomem, I4);
    }

    /**
     * do_shared_fault returns VM_FAULT_RETRY under the VMA lock without vma_end_read: the VMA's
     * read lock leaks, and munmap's vma_start_write waits for it forever.
     */
    static Mutant retryKeepsVmaLock() {
        String name = "mutant-shared-fault-retry-keeps-vma-lock";
        return new Mutant(name, base(name, "do_shared_fault returns VM_FAULT_RETRY without vma_end_read")
                .replaceEffect(PageFault.SHARED_FAULT_RETRY, "no vma_end_read", (k, orig) -> returnsKeepingVmaLock(k)),
                VmaLockScenarios::fileFaultVsMunmap, I6);
    }

    /**
     * v6.12's vmf_anon_prepare fails its mmap_read_trylock and returns VM_FAULT_RETRY without
     * vma_end_read: the fault then waits for mmap_lock, which munmap holds while its
     * vma_start_write waits for the leaked read lock.
     */
    static Mutant anonPrepareRetryKeepsVmaLock() {
        String name = "mutant-anon-prepare-retry-keeps-vma-lock";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name, "vmf_anon_prepare returns VM_FAULT_RETRY without vma_end_read")
                .replaceEffect(PageFault.ANON_PREPARE, "no vma_end_read", (k, orig) -> {
                    Mm mm = k.mm;
                    Effect retry = returnsKeepingVmaLock(k);
                    return s -> {
                        if (Rwsem.readerMayEnter(mm, s)) {
                            orig.apply(s); // the trylock succeeds: unchanged
                        } else {
                            retry.apply(s);
                        }
                    };
                }),
                VmaLockScenarios::firstFaultVsMunmap, I6);
    }

    /**
     * v6.12's mmap(MAP_FIXED) gathers the old VMA without vma_start_write: a fault that holds
     * the old VMA's read lock goes on while mmap clears its PTEs, stores the new VMA and frees
     * the old one.
     */
    static Mutant mmapFixedWithoutStartWrite() {
        String name = "mutant-mmap-fixed-no-vma-start-write";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name, "mmap(MAP_FIXED) gathers the old VMAs without vma_start_write")
                .replaceEffect(MmapFixed.GATHER_START_WRITE, "no vma_start_write", (k, orig) -> s -> { }),
                MmapFixedScenarios::mmapFixedVsFault, I7);
    }

    /**
     * v6.12's mmap(MAP_FIXED) merges the new range with both parts of the VMA it split, but
     * commit_merge's store ends at the old range's end (as if vmg->end were not moved to
     * next->vm_end): next stays in the tree beside the expanded prev, overlapping it, and
     * vma_complete frees it there.
     */
    static Mutant mmapFixedMergeLeavesNext() {
        String name = "mutant-mmap-fixed-merge-leaves-next";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name, "commit_merge's store leaves the removed next in the tree")
                .replaceEffect(MmapFixed.COMMIT_MERGE, "next stays in the tree", (k, orig) -> s -> {
                    java.util.BitSet kept = new java.util.BitSet();
                    for (int v = 0; v < k.config.vmaSlots(); v++) {
                        kept.set(v, k.mm.vmaInTree.get(s, v) == 1 && k.mm.vmaInSideTree.get(s, v) == 0);
                    }
                    orig.apply(s);
                    kept.stream().forEach(v -> k.mm.vmaInTree.set(s, v, 1));
                }),
                MmapFixedScenarios::mmapFixedSplitMergeVsFault, I4);
    }

    /**
     * v6.18's vma_mark_detached returns after refcount_dec_and_test even when a reader's
     * reference is left: the reader, whose increment came after munmap's vma_start_write, re-checks
     * vm_lock_seq once munmap has downgraded and goes on with a detached VMA that munmap frees.
     */
    static Mutant detachWithoutReaderWait() {
        String name = "mutant-detach-no-reader-wait";
        return new Mutant(name, Variant.of(KernelVersion.V6_18).named(name, "vma_mark_detached does not wait for a reader's reference")
                .replaceGuard(Munmap.DETACH_WAIT, "no rcuwait_wait_event", (k, orig) -> s -> true),
                VmaLockScenarios::faultsVsMunmap3cpu, I7);
    }

    /**
     * v6.18's do_anonymous_page maps the PTE table without rcu_read_lock: PT_RECLAIM's
     * MADV_DONTNEED clears the PMD, and the gather frees the table at once after its flush,
     * before the fault takes the table's PTE lock.
     */
    static Mutant pteMapWithoutRcu() {
        String name = "mutant-pte-map-without-rcu";
        return new Mutant(name, Variant.of(KernelVersion.V6_18).named(name, "do_anonymous_page's pte_offset_map takes no rcu_read_lock")
                .replaceEffect(PageFault.PTE_OFFSET_MAP, "no rcu_read_lock", VmaLockMutants::withoutRcuReadLock),
                PtReclaimScenarios::reclaimVsFault, I7);
    }

    /**
     * v6.18's UFFDIO_COPY maps the destination table without rcu_read_lock
     * (mfill_atomic_install_pte's pte_offset_map_lock): the MADV_DONTNEED of the whole table
     * reclaims and frees it at once after its flush, and the copy takes the PTE lock in the freed
     * table.
     */
    static Mutant uffdCopyMapWithoutRcu() {
        String name = "mutant-uffd-copy-map-without-rcu";
        return new Mutant(name, Variant.of(KernelVersion.V6_18).named(name, "UFFDIO_COPY's pte_offset_map takes no rcu_read_lock")
                .replaceEffect(Userfaultfd.COPY_PTE_OFFSET_MAP, "no rcu_read_lock", VmaLockMutants::withoutRcuReadLock),
                PtReclaimScenarios::reclaimVsUffdCopy, I7);
    }

    /** A pte_offset_map step's effect with its rcu_read_lock undone (the thread's RCU state as before the step). */
    private static Effect withoutRcuReadLock(Kernel k, Effect orig) {
        int t = k.threadOf(k.site().process());
        return s -> {
            int before = k.mm.rcuReadLocked.get(s, t);
            orig.apply(s);
            k.mm.rcuReadLocked.set(s, t, before);
        };
    }

    /**
     * v6.18's lock_vma_under_rcu without its address check after vma_start_read: with the VMA
     * slab SLAB_TYPESAFE_BY_RCU, the VMA the fault found may have been freed and reused for
     * another range before its increment, which then succeeds. (Before v6.15 the same mutant
     * holds on this scenario: the object waits for the fault's RCU section.)
     */
    static Mutant lockVmaWithoutAddressCheck() {
        String name = "mutant-lock-vma-no-address-check";
        return new Mutant(name, Variant.of(KernelVersion.V6_18).named(name, "lock_vma_under_rcu does not check the address after vma_start_read")
                .replaceEffect(PageFault.VMA_LOCK_CHECKS, "no address check", (k, orig) -> {
                    ThreadLocals l = k.locals(k.patchingThread());
                    Mm mm = k.mm;
                    return s -> {
                        // orig, with the faulting page moved into whatever VMA the fault holds.
                        int page = l.page.get(s);
                        int v = l.vma.slot(s);
                        l.page.set(s, mm.vmaStart.get(s, v));
                        orig.apply(s);
                        l.page.set(s, page);
                    };
                }),
                VmaLockScenarios::vmaReuseVsFault3cpu, I7);
    }

    /**
     * v6.18's MADV_DONTNEED gives the VMA lock back before its zap instead of after: munmap can
     * then write-lock, detach, zap and free the VMA while madvise is about to zap it.
     */
    static Mutant madviseZapsAfterVmaEndRead() {
        String name = "mutant-madvise-zap-without-vma-lock";
        return new Mutant(name, Variant.of(KernelVersion.V6_18).named(name, "MADV_DONTNEED calls vma_end_read before its zap")
                .replaceEffect(Madvise.VMA_RANGE, "vma_end_read here", (k, orig) -> {
                    int t = k.patchingThread();
                    ThreadLocals l = k.locals(t);
                    Mm mm = k.mm;
                    return s -> {
                        orig.apply(s);
                        if (l.vma.get(s) != Mm.NONE && l.failed.get(s) == 0) {
                            VmaLock.endRead(mm, s, l.vma.slot(s));
                            mm.faultVmaLocked.set(s, t, Mm.NONE);
                        }
                    };
                })
                .replaceEffect(Madvise.VMA_END_READ, "the lock was given back already", (k, orig) -> {
                    int t = k.patchingThread();
                    ThreadLocals l = k.locals(t);
                    Mm mm = k.mm;
                    return s -> {
                        int v = l.vma.slot(s);
                        if (l.failed.get(s) == 0) {
                            // orig gives back what the thread no longer holds: hold it again for that
                            mm.vmaLockReaders.set(s, v, mm.vmaLockReaders.get(s, v) + 1);
                            mm.faultVmaLocked.set(s, t, v + 1);
                        }
                        orig.apply(s);
                    };
                }),
                Scenarios::munmapVsMadvise, I7);
    }

    /**
     * The patched thread's fault returns VM_FAULT_RETRY without vma_end_read: it forgets the
     * VMA it holds, whose read lock stays taken.
     */
    private static Effect returnsKeepingVmaLock(Kernel k) {
        int t = k.patchingThread();
        ThreadLocals l = k.locals(t);
        Mm mm = k.mm;
        return s -> {
            mm.faultVmaLocked.set(s, t, Mm.NONE);
            l.vma.set(s, Mm.NONE);
        };
    }

    /** {@code orig}, with every VMA's detached flag as it was before. */
    private static Effect keepingDetached(Kernel k, Effect orig) {
        Mm mm = k.mm;
        int slots = k.config.vmaSlots();
        return s -> {
            int detached = 0;
            for (int v = 0; v < slots; v++) {
                detached |= mm.vmaDetached.get(s, v) << v;
            }
            orig.apply(s);
            for (int v = 0; v < slots; v++) {
                mm.vmaDetached.set(s, v, detached >> v & 1);
            }
        };
    }

    /** mlock_fixup splits and flags the VMA without vma_start_write: a fault holding it sees it shrink. */
    static Mutant mlockWithoutStartWrite() {
        String name = "mutant-mlock-no-vma-start-write";
        return new Mutant(name, base(name, "mlock_fixup splits and changes the VMA without vma_start_write")
                .replaceEffect(Mlock.MLOCK_VMA_START_WRITE, "no vma_start_write", (k, orig) -> s -> { }),
                VmaLockScenarios::faultVsMlockSplit, I7);
    }

    /** remove_mt's vm_area_free frees the VMA at once instead of through call_rcu. */
    static Mutant freeWithoutRcu() {
        String name = "mutant-vma-free-without-rcu";
        return new Mutant(name, base(name, "vm_area_free frees the VMA at once, without waiting for an RCU grace period")
                .replaceEffect(Munmap.REMOVE_MT, "kmem_cache_free instead of call_rcu", (k, orig) -> s -> {
                    orig.apply(s);
                    Mm mm = k.mm;
                    for (int v = 0; v < k.config.vmaSlots(); v++) {
                        if (mm.vmaRcuPending.get(s, v) != 0) {
                            mm.vmaRcuPending.set(s, v, 0);
                            mm.vmaAllocated.set(s, v, 0);
                        }
                    }
                }),
                Scenarios::munmapVsFaultSameVma, I7);
    }

    /** vma_start_read trusts its early check: no vm_lock_seq re-check after the trylock. */
    static Mutant startReadWithoutRecheck() {
        String name = "mutant-vma-start-read-no-recheck";
        return new Mutant(name, base(name, "vma_start_read does not re-check vm_lock_seq against mm_lock_seq after the trylock")
                .replaceEffect(PageFault.VMA_LOCK_CHECKS, "no re-check", (k, orig) -> ignoringWriteLocks(k, orig)),
                Scenarios::munmapVsFaultSameVma, I7);
    }

    private static Effect ignoringWriteLocks(Kernel k, Effect orig) {
        Mm mm = k.mm;
        int slots = k.config.vmaSlots();
        return s -> {
            int saved = 0;
            for (int v = 0; v < slots; v++) {
                saved |= mm.vmaWriteLocked.get(s, v) << v;
                mm.vmaWriteLocked.set(s, v, 0);
            }
            orig.apply(s);
            for (int v = 0; v < slots; v++) {
                mm.vmaWriteLocked.set(s, v, saved >> v & 1);
            }
        };
    }

    /**
     * The 6.4-rc6 error labels of do_vmi_align_munmap only destroyed the side tree: a VMA
     * gathered before a failed split stays marked detached in the mm's tree (BUGS.md B16; fixed
     * by 606c812eb1d5 before v6.4), and lock_vma_under_rcu retries on it for ever.
     */
    static Mutant errorPathLeavesDetached() {
        String name = "mutant-munmap-error-leaves-detached";
        return new Mutant(name, base(name, "do_vmi_align_munmap's error path does not mark the gathered VMAs attached again")
                .replaceEffect(Munmap.SPLIT_END_DUP, "no vma_mark_detached(next, false)", (k, orig) -> keepingDetached(k, orig)),
                MapleScenarios::munmapEnomemAfterMlocked, I4);
    }
}
