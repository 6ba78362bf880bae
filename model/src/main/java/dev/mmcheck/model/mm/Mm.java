package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.Feature;

/**
 * The mm_struct of the one modelled process: mmap_sem, the VMAs (slab objects), map_count,
 * locked_vm, tlb_flush_pending and mm_users, and the VMA set in its release's shape:
 * <ul>
 *   <li>up to v5.19, an rbtree and a list kept as separate state, and each thread's vmacache
 *       with the mm's sequence number;</li>
 *   <li>from v6.1 ({@link Feature#MAPLE_TREE}) one maple tree and nothing else, plus the side
 *       tree munmap gathers the VMAs it removes into ({@code vma.in_mt_detach});</li>
 *   <li>from v6.4 ({@link Feature#PER_VMA_LOCK}) each VMA's own lock and the RCU-deferred
 *       freeing of VMAs: see {@link VmaLock}.</li>
 * </ul>
 *
 * <p>A tree is modelled as a membership bit per VMA ({@code vma.in_tree}): its order is the
 * order of vm_start, so only membership can go wrong, and a maple-tree store over a range is one
 * step (readers see the tree before or after it). The list is explicit ({@code mm.mmap},
 * {@code vma.vm_next}), so a step that updates one view and not the other is visible (I4).
 * VMA pointers are {@code vma + 1}, {@link #NONE} = 0 is NULL.
 */
public final class Mm {
    public static final int NONE = 0;
    /** Slots of a task's vmacache (VMACACHE_SIZE, include/linux/vmacache.h). */
    public static final int VMACACHE_SIZE = 4;

    public final MachineConfig config;

    // mmap_sem as an rwsem: an owner writer, a reader count, and queued writers (which block new
    // readers: the rwsem's writer preference).
    public final Field semWriter;
    public final Field semReaders;
    public final Field semWritersWaiting;

    // VMA slab objects.
    public final FieldArray vmaStart;
    public final FieldArray vmaEnd;
    public final FieldArray vmaLocked;
    public final FieldArray vmaGrowsDown;
    /** Allocated in the VMA slab (0 = freed: any later use is a use-after-free, I7). */
    public final FieldArray vmaAllocated;
    /** Linked in mm->mm_rb. */
    public final FieldArray vmaInTree;
    /** vm_next + 1 pointer of the list view; null from v6.1 (the maple tree has no list). */
    public final FieldArray vmaNext;
    /**
     * Stored in the side tree of the munmap that is removing it (mt_detach of do_mas_align_munmap,
     * v6.1+); null before v6.1. One side tree at a time: it lives under the mmap_lock of the one
     * munmap that built it.
     */
    public final FieldArray vmaInSideTree;
    /** VM_UFFD_MISSING: registered with the userfaultfd context (UFFDIO_REGISTER_MODE_MISSING). */
    public final FieldArray vmaUffdMissing;

    // Per-VMA locks (v6.4+, Feature.PER_VMA_LOCK; null before): see VmaLock for the protocol.
    /**
     * {@code vma->vm_lock_seq == mm->mm_lock_seq}: the VMA is write-locked in the current mmap
     * write section (__is_vma_write_locked). The two sequence numbers only matter through this
     * equality: vma_start_write makes it true, vma_end_write_all (mm_lock_seq++) makes it false
     * for every VMA at once, so the model keeps the equality rather than unbounded counters.
     */
    public final FieldArray vmaWriteLocked;
    /**
     * Readers holding {@code vma->vm_lock->lock} (down_read_trylock in vma_start_read); from v6.15
     * the readers' references in {@code vma->vm_refcnt}.
     */
    public final FieldArray vmaLockReaders;
    /**
     * A writer holds or waits for {@code vma->vm_lock->lock} (down_write in vma_start_write):
     * trylocks fail. From v6.15: VMA_LOCK_OFFSET is in {@code vma->vm_refcnt} (a writer waits for
     * the readers to leave), so vma_start_read's increment fails.
     */
    public final FieldArray vmaLockWriter;
    /**
     * {@code vma->detached}: set by munmap for the VMAs it gathers (vma_mark_detached). From v6.15
     * the attached reference is missing from {@code vma->vm_refcnt}, which is then
     * {@code !detached + readers + (writer ? VMA_LOCK_OFFSET : 0)} ({@link VmaLock#refcount}).
     */
    public final FieldArray vmaDetached;
    /** {@code vma->anon_vma != NULL} (anon_vma_prepare at the first anonymous fault; anon_vma_clone on a split). */
    public final FieldArray vmaAnonVma;
    /**
     * vm_area_free queued the VMA with call_rcu: the threads (bit t) that were inside an RCU
     * read-side section then; the VMA is freed when the last of them leaves it. 0: not pending.
     * Null from v6.15, where vm_area_free frees at once.
     */
    public final FieldArray vmaRcuPending;
    /** {@code rcu_read_lock} held by thread t (lock_vma_under_rcu's section). */
    public final FieldArray rcuReadLocked;
    /**
     * The VMA (+ 1) whose read lock thread t's page fault holds: vmf->vma of a fault run with
     * FAULT_FLAG_VMA_LOCK (0: the fault holds mmap_lock, or none runs).
     */
    public final FieldArray faultVmaLocked;

    /** mm->mmap: first VMA of the list view + 1; null from v6.1. */
    public final Field listHead;
    public final Field mapCount;
    public final Field lockedVm;
    /** mm->tlb_flush_pending: a counter from v4.13 (a 0/1 flag before, set only by mprotect/NUMA). */
    public final Field tlbFlushPending;
    /**
     * mm->tlb_flush_batched (v4.13+, 3ea277194daa; a bool until v5.16): reclaim cleared a PTE of this
     * mm and deferred the flush; cleared by flush_tlb_batched_pending after it flushed.
     */
    public final Field tlbFlushBatched;
    /**
     * mm->vmacache_seqnum, {@code config.vmacacheSeqBits()} bits wide (constant 0 in the u64 era);
     * with the task caches below, null from v6.1 (no vmacache).
     */
    public final Field vmacacheSeqnum;
    public final Field mmUsers;

    /** task->vmacache.vmas[t * VMACACHE_SIZE + i] + 1. */
    public final FieldArray vmacache;
    /** task->vmacache.seqnum (u32 era), or in the u64 era a flag "equal to mm's" (1) / "stale" (0). */
    public final FieldArray vmacacheTaskSeq;

    private final int seqMax;
    private final boolean u64;
    private final boolean maple;
    private final boolean perVmaLocks;
    private final boolean typesafeVmas;

    // File mappings (KernelParts.files): null in models without them, so that those keep their state.
    /** vma->vm_flags & VM_PFNMAP: a shared mapping of the one device file, with no struct pages. */
    public final FieldArray vmaPfnmap;
    /** Linked in the file's i_mapping->i_mmap (what rmap walkers such as unmap_mapping_range see). */
    public final FieldArray vmaInIMmap;
    /**
     * The file's i_mmap_rwsem: the writer (thread + 1, or 0). Taken for write by vma_link,
     * __vma_adjust (splits), unlink_file_vma, and by unmap_mapping_range until v5.17.
     */
    public final Field iMmapRwsem;
    /**
     * Its readers: unmap_mapping_range takes it shared from 2c8659951654
     * ({@link Feature#I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE}); null in versions without readers.
     */
    public final Field iMmapReaders;
    /** A VM_SHARED mapping of the one regular file, whose pages are page-cache pages ({@link PageCache}); null without one. */
    public final FieldArray vmaSharedFile;

    /**
     * @param u64Seqnum the u64 era (7a9cdebdcc17): the sequence number never wraps. Also used
     *                  when the config gives the seqnum no bits (a 32-bit counter does not wrap
     *                  within the short runs the model explores).
     * @param files     the model has file mappings (VM_PFNMAP and shared file VMAs, i_mmap)
     * @param pageCacheFile the model has the regular file with page-cache pages
     * @param sharedReaders the version's unmap_mapping_range takes i_mmap_rwsem for read
     * @param maple     the VMA set is a maple tree (v6.1+): no list, no vmacache, a side tree
     * @param perVmaLocks each VMA has its own lock and VMAs are freed after an RCU grace period (v6.4+)
     * @param typesafeVmas the VMA slab is SLAB_TYPESAFE_BY_RCU: a VMA is freed at once, and its
     *                     object may be reused while RCU readers hold it (v6.15+, with perVmaLocks)
     */
    private java.util.function.ObjIntConsumer<long[]> rcuReadUnlockHook;

    public Mm(Program prog, MachineConfig config, boolean u64Seqnum, boolean files, boolean pageCacheFile,
              boolean sharedReaders, boolean maple, boolean perVmaLocks, boolean typesafeVmas) {
        this.maple = maple;
        this.perVmaLocks = perVmaLocks;
        this.typesafeVmas = typesafeVmas;
        this.config = config;
        int t = config.threads();
        int v = config.vmaSlots();
        int p = config.pages();
        semWriter = prog.field("mmap_sem.writer", 0, t);
        semReaders = prog.field("mmap_sem.readers", 0, t);
        semWritersWaiting = prog.field("mmap_sem.writers_waiting", 0, t);
        vmaStart = prog.array("vma.vm_start", v, 0, p);
        vmaEnd = prog.array("vma.vm_end", v, 0, p);
        vmaLocked = prog.array("vma.VM_LOCKED", v, 0, 1);
        vmaGrowsDown = prog.array("vma.VM_GROWSDOWN", v, 0, 1);
        vmaAllocated = prog.array("vma.allocated", v, 0, 1);
        vmaInTree = prog.array("vma.in_tree", v, 0, 1);
        vmaNext = maple ? null : prog.array("vma.vm_next", v, NONE, v);
        vmaInSideTree = maple ? prog.array("vma.in_mt_detach", v, 0, 1) : null;
        vmaUffdMissing = prog.array("vma.VM_UFFD_MISSING", v, 0, 1);
        listHead = maple ? null : prog.field("mm.mmap", NONE, v);
        mapCount = prog.field("mm.map_count", 0, v);
        lockedVm = prog.field("mm.locked_vm", 0, p);
        tlbFlushPending = prog.field("mm.tlb_flush_pending", 0, t);
        tlbFlushBatched = prog.field("mm.tlb_flush_batched", 0, 1);
        u64 = u64Seqnum || config.vmacacheSeqBits() == 0;
        seqMax = u64 ? 0 : (1 << config.vmacacheSeqBits()) - 1;
        vmacacheSeqnum = maple ? null : prog.field("mm.vmacache_seqnum", 0, seqMax);
        mmUsers = prog.field("mm.mm_users", 1, t);
        vmacache = maple ? null : prog.array("task.vmacache", t * VMACACHE_SIZE, NONE, v);
        vmacacheTaskSeq = maple ? null : prog.array("task.vmacache_seqnum", t, 0, Math.max(1, seqMax));
        vmaPfnmap = files ? prog.array("vma.VM_PFNMAP", v, 0, 1) : null;
        vmaInIMmap = files ? prog.array("vma.in_i_mmap", v, 0, 1) : null;
        iMmapRwsem = files ? prog.field("file.i_mmap_rwsem", 0, t) : null;
        iMmapReaders = files && sharedReaders ? prog.field("file.i_mmap_rwsem.readers", 0, t) : null;
        vmaSharedFile = pageCacheFile ? prog.array("vma.VM_SHARED_FILE", v, 0, 1) : null;
        vmaWriteLocked = perVmaLocks ? prog.array("vma.write_locked", v, 0, 1) : null;
        vmaLockReaders = perVmaLocks ? prog.array("vma.vm_lock.readers", v, 0, t) : null;
        vmaLockWriter = perVmaLocks ? prog.array("vma.vm_lock.writer", v, 0, 1) : null;
        vmaDetached = perVmaLocks ? prog.array("vma.detached", v, 0, 1) : null;
        vmaAnonVma = perVmaLocks ? prog.array("vma.anon_vma", v, 0, 1) : null;
        vmaRcuPending = perVmaLocks && !typesafeVmas ? prog.array("vma.call_rcu", v, 0, (1 << t) - 1) : null;
        rcuReadLocked = perVmaLocks ? prog.array("task.rcu_read_lock", t, 0, 1) : null;
        faultVmaLocked = perVmaLocks ? prog.array("fault.FAULT_FLAG_VMA_LOCK", t, NONE, v) : null;
    }

    /** Has each VMA its own lock, with VMAs freed after an RCU grace period (v6.4+)? */
    public boolean perVmaLocks() {
        return perVmaLocks;
    }

    /** Is the VMA slab SLAB_TYPESAFE_BY_RCU (v6.15+): VMAs freed at once, RCU readers may read a freed one's lock? */
    public boolean typesafeVmas() {
        return typesafeVmas;
    }

    /**
     * vm_area_free of {@code vma} (a slot): the slab object is freed at once before v6.4; from
     * v6.4 through call_rcu, so it stays allocated until every thread that was inside an RCU
     * read-side section has left it ({@link #rcuReadUnlock}). The callback runs as early as the
     * grace period allows, which gives a stale reader the least time: the kernel may run it later.
     * From v6.15 at once again (kmem_cache_free into a SLAB_TYPESAFE_BY_RCU cache): the next
     * vm_area_alloc may reuse the object while a reader still holds it.
     */
    public void vmAreaFree(long[] s, int vma) {
        if (!perVmaLocks || typesafeVmas) {
            vmaAllocated.set(s, vma, 0); // the object keeps its contents: a stale pointer reads them (I7)
            return;
        }
        int readers = rcuReaders(s);
        if (readers == 0) {
            vmaAllocated.set(s, vma, 0);
        } else {
            vmaRcuPending.set(s, vma, readers);
        }
    }

    /** rcu_read_lock by {@code thread}. */
    /** The threads inside rcu_read_lock, a bit each: what a grace period starting now waits for. */
    public int rcuReaders(long[] s) {
        int readers = 0;
        for (int t = 0; rcuReadLocked != null && t < config.threads(); t++) {
            readers |= rcuReadLocked.get(s, t) << t;
        }
        return readers;
    }

    /**
     * {@code thread} left its RCU read-side section: drops it from the readers that object
     * {@code i}'s grace period waits for ({@code pending}, a bit per thread); true when that was
     * the last one, so the object's callback runs now.
     */
    public static boolean gracePeriodEnds(FieldArray pending, long[] s, int i, int thread) {
        int waiting = pending.get(s, i);
        if ((waiting >> thread & 1) == 0) {
            return false;
        }
        waiting &= ~(1 << thread);
        pending.set(s, i, waiting);
        return waiting == 0;
    }

    /** What else ends its grace period at each rcu_read_unlock (the page tables of v6.14+, set once by their owner). */
    public void onRcuReadUnlock(java.util.function.ObjIntConsumer<long[]> hook) {
        if (rcuReadUnlockHook != null) {
            throw new IllegalStateException("a second rcu_read_unlock hook");
        }
        rcuReadUnlockHook = hook;
    }

    public void rcuReadLock(long[] s, int thread) {
        rcuReadLocked.set(s, thread, 1);
    }

    /** rcu_read_unlock by {@code thread}: the grace periods that waited only for it end, and their VMAs are freed. */
    public void rcuReadUnlock(long[] s, int thread) {
        rcuReadLocked.set(s, thread, 0);
        for (int v = 0; vmaRcuPending != null && v < config.vmaSlots(); v++) {
            if (gracePeriodEnds(vmaRcuPending, s, v, thread)) {
                vmaAllocated.set(s, v, 0);
            }
        }
        if (rcuReadUnlockHook != null) {
            rcuReadUnlockHook.accept(s, thread);
        }
    }

    /** i_mmap_lock_write can be taken now: no writer and no reader. */
    public boolean iMmapFree(long[] s) {
        return iMmapRwsem.get(s) == 0 && (iMmapReaders == null || iMmapReaders.get(s) == 0);
    }

    /** i_mmap_lock_read can be taken now: no writer. */
    public boolean iMmapReadable(long[] s) {
        return iMmapRwsem.get(s) == 0;
    }

    /** Is {@code vma} a VMA of the one file (VM_PFNMAP device file or page-cache file)? */
    public boolean isFileVma(long[] s, int vma) {
        return filesEnabled() && (vmaPfnmap.get(s, vma) == 1 || vmaSharedFile != null && vmaSharedFile.get(s, vma) == 1);
    }

    /**
     * __split_vma of {@code vma} can run now: __vma_adjust holds the file's i_mmap_rwsem for write
     * while it changes a file VMA's bounds and links the new half (read in every release from
     * 4.12.0 to 6.1.20), so a split waits for rmap walkers such as truncate.
     */
    public boolean splitMayRun(long[] s, int vma) {
        return !isFileVma(s, vma) || iMmapFree(s);
    }

    public boolean filesEnabled() {
        return vmaPfnmap != null;
    }

    public boolean u64Seqnum() {
        return u64;
    }

    /** Is the VMA set a maple tree (v6.1+: no list, no vmacache)? */
    public boolean maple() {
        return maple;
    }

    /** Does the mm have a vmacache (every release before v6.1)? */
    public boolean hasVmacache() {
        return !maple;
    }

    public int seqMax() {
        return seqMax;
    }

    // ---- vma->field through a VMA pointer (slot + 1, as vm_next and the threads' pointers hold it) ---

    /** {@code vma->vm_start}, for a pointer {@code vma} (slot + 1) that is not NULL. */
    public int vmStart(long[] s, int vma) {
        return vmaStart.get(s, vma - 1);
    }

    /** {@code vma->vm_end}, for a pointer {@code vma} (slot + 1) that is not NULL. */
    public int vmEnd(long[] s, int vma) {
        return vmaEnd.get(s, vma - 1);
    }

    /**
     * The VMA after {@code vma} (not NULL), or {@link #NONE}: {@code vma->vm_next} of the list
     * view; on the maple tree, the next VMA of the tree {@code vma} is in (vma_next / mas_next over
     * the mm's tree, or mas_find over munmap's side tree for a VMA stored there).
     */
    public int vmNext(long[] s, int vma) {
        if (!maple) {
            return vmaNext.get(s, vma - 1);
        }
        FieldArray tree = vmaInTree.get(s, vma - 1) == 1 ? vmaInTree
                : vmaInSideTree.get(s, vma - 1) == 1 ? vmaInSideTree : null;
        return tree == null ? NONE : firstFrom(s, tree, vmaEnd.get(s, vma - 1));
    }

    /** The first VMA of the mm: mm->mmap of the list, or the tree's lowest (vma_find(vmi, 0)). */
    public int firstVma(long[] s) {
        return maple ? firstFrom(s, vmaInTree, 0) : listHead.get(s);
    }

    /** The VMA of {@code tree} (+ 1) with the lowest vm_start at or above {@code page}, or NONE. */
    private int firstFrom(long[] s, FieldArray tree, int page) {
        int best = NONE;
        int bestStart = Integer.MAX_VALUE;
        for (int v = 0; v < config.vmaSlots(); v++) {
            if (tree.get(s, v) == 1 && vmaStart.get(s, v) >= page && vmaStart.get(s, v) < bestStart) {
                best = v + 1;
                bestStart = vmaStart.get(s, v);
            }
        }
        return best;
    }

    // ---- VMAs by slot ----------------------------------------------------------------------------

    public int pages(long[] s, int vma) {
        return vmaEnd.get(s, vma) - vmaStart.get(s, vma);
    }

    public boolean contains(long[] s, int vma, int page) {
        return vmaStart.get(s, vma) <= page && page < vmaEnd.get(s, vma);
    }

    /**
     * The rbtree descent of find_vma: the in-tree VMA with the lowest vm_end above {@code page}
     * (it may start above page: callers check), as vma + 1, or NONE.
     */
    public int findInTree(long[] s, int page) {
        int best = NONE;
        int bestEnd = Integer.MAX_VALUE;
        for (int v = 0; v < config.vmaSlots(); v++) {
            if (vmaInTree.get(s, v) == 1 && vmaEnd.get(s, v) > page && vmaEnd.get(s, v) < bestEnd) {
                best = v + 1;
                bestEnd = vmaEnd.get(s, v);
            }
        }
        return best;
    }

    /** The in-tree VMA just below {@code vma} (vm_prev), as vma + 1, or NONE. */
    public int prevInTree(long[] s, int vma) {
        return lastBelow(s, vmaStart.get(s, vma));
    }

    /** The in-tree VMA with the highest vm_end at or below {@code page} (vma_prev of a gap), as vma + 1, or NONE. */
    public int lastBelow(long[] s, int page) {
        int best = NONE;
        int bestEnd = -1;
        for (int v = 0; v < config.vmaSlots(); v++) {
            if (vmaInTree.get(s, v) == 1 && vmaEnd.get(s, v) <= page && vmaEnd.get(s, v) > bestEnd) {
                best = v + 1;
                bestEnd = vmaEnd.get(s, v);
            }
        }
        return best;
    }

    /** A free VMA slab object + 1 (vm_area_alloc), or NONE. */
    public int freeVmaSlot(long[] s) {
        for (int v = 0; v < config.vmaSlots(); v++) {
            if (vmaAllocated.get(s, v) == 0) {
                return v + 1;
            }
        }
        return NONE;
    }

    /**
     * Links {@code vma} into the tree and at its sorted place in the list; map_count++ (vma_link).
     * On the maple tree, one store of its range (vma_mas_store).
     */
    public void link(long[] s, int vma) {
        vmaInTree.set(s, vma, 1);
        if (maple) {
            mapCount.set(s, mapCount.get(s) + 1);
            return;
        }
        int start = vmaStart.get(s, vma);
        int prev = NONE;
        int cur = listHead.get(s);
        while (cur != NONE && vmaStart.get(s, cur - 1) < start) {
            prev = cur;
            cur = vmaNext.get(s, cur - 1);
        }
        vmaNext.set(s, vma, cur);
        if (prev == NONE) {
            listHead.set(s, vma + 1);
        } else {
            vmaNext.set(s, prev - 1, vma + 1);
        }
        mapCount.set(s, mapCount.get(s) + 1);
    }

    /**
     * Removes one VMA from the mm's VMA set, map_count--: rb-erase, the list splice around it and
     * vmacache_invalidate; on the maple tree one store of NULL over its range. Returns the VMA that
     * followed it (+ 1), or NONE.
     */
    public int unlink(long[] s, int vma) {
        int prev = prevInTree(s, vma);
        int after = vmNext(s, vma + 1);
        vmaInTree.set(s, vma, 0);
        mapCount.set(s, mapCount.get(s) - 1);
        if (!maple) {
            if (prev != NONE) {
                vmaNext.set(s, prev - 1, after);
            } else {
                listHead.set(s, after);
            }
            vmaNext.set(s, vma, NONE);
            vmacacheInvalidate(s);
        }
        return after;
    }

    /** Copies the fields of a VMA into a fresh slab object (the *new = *vma of __split_vma). */
    public void copyVma(long[] s, int from, int to) {
        newAnonymousVma(s, to, vmaStart.get(s, from), vmaEnd.get(s, from));
        vmaLocked.set(s, to, vmaLocked.get(s, from));
        vmaGrowsDown.set(s, to, vmaGrowsDown.get(s, from));
        if (vmaPfnmap != null) {
            // __split_vma and copy_vma link the copy into the file's i_mmap too.
            vmaPfnmap.set(s, to, vmaPfnmap.get(s, from));
            vmaInIMmap.set(s, to, vmaInIMmap.get(s, from));
        }
        if (vmaSharedFile != null) {
            vmaSharedFile.set(s, to, vmaSharedFile.get(s, from));
        }
        vmaUffdMissing.set(s, to, vmaUffdMissing.get(s, from));
        if (perVmaLocks) {
            // vm_area_dup: vma_lock_alloc gives the copy vm_lock_seq = -1 and a free lock (as
            // newAnonymousVma); the memcpy copies detached (false: only live VMAs are split);
            // anon_vma_clone shares the anon_vma.
            vmaDetached.set(s, to, vmaDetached.get(s, from));
            vmaAnonVma.set(s, to, vmaAnonVma.get(s, from));
        }
    }

    /**
     * A fresh private anonymous VMA [start, end) in the free slab object {@code vma} (a slot), not
     * yet in the tree: vm_area_alloc, vma_set_range, vm_flags_init, vma_set_anonymous (mmap_region).
     * vm_area_alloc gives it a free VMA lock, vm_lock_seq = -1 and no anon_vma.
     */
    public void newAnonymousVma(long[] s, int vma, int start, int end) {
        vmaStart.set(s, vma, start);
        vmaEnd.set(s, vma, end);
        vmaLocked.set(s, vma, 0);
        vmaGrowsDown.set(s, vma, 0);
        vmaAllocated.set(s, vma, 1);
        vmaInTree.set(s, vma, 0);
        if (maple) {
            vmaInSideTree.set(s, vma, 0);
        } else {
            vmaNext.set(s, vma, NONE);
        }
        if (vmaPfnmap != null) {
            vmaPfnmap.set(s, vma, 0);
            vmaInIMmap.set(s, vma, 0);
        }
        if (vmaSharedFile != null) {
            vmaSharedFile.set(s, vma, 0);
        }
        vmaUffdMissing.set(s, vma, 0);
        if (perVmaLocks) {
            vmaWriteLocked.set(s, vma, 0);
            vmaLockReaders.set(s, vma, 0);
            vmaLockWriter.set(s, vma, 0);
            vmaDetached.set(s, vma, 0);
            vmaAnonVma.set(s, vma, 0);
            if (vmaRcuPending != null) {
                vmaRcuPending.set(s, vma, 0);
            }
        }
    }

    /**
     * The next VMA (+ 1) an unmap walks after {@code vma} (+ 1): of the side tree when the VMA is
     * in one (mmap(MAP_FIXED) keeps the gathered VMAs in the mm's tree too until its store), else
     * {@link #vmNext} (the list, or the tree).
     */
    public int nextUnmapped(long[] s, int vma) {
        if (maple && vmaInSideTree.get(s, vma - 1) == 1) {
            return firstFrom(s, vmaInSideTree, vmaEnd.get(s, vma - 1));
        }
        return vmNext(s, vma);
    }

    /**
     * __split_vma (mm/mmap.c, v4.12): a new VMA object gets a copy of {@code vma}; with
     * {@code newBelow} it takes [vm_start, addr) and vma keeps [addr, vm_end), else the new one
     * takes [addr, vm_end). The new VMA is linked into tree and list; map_count grows. Returns the
     * new VMA + 1, or NONE when no VMA object is free (-ENOMEM).
     */
    public int split(long[] s, int vma, int addr, boolean newBelow) {
        int n = splitUnlinked(s, vma, addr, newBelow);
        if (n != NONE) {
            link(s, n - 1);
        }
        return n;
    }

    /**
     * The first half of {@link #split}, for models that show __split_vma in two steps: the new
     * VMA object is allocated and both VMAs get their new bounds, but the new one is not linked
     * yet (the caller links it with {@link #link}). Returns the new VMA + 1, or NONE (-ENOMEM).
     */
    public int splitUnlinked(long[] s, int vma, int addr, boolean newBelow) {
        int n = freeVmaSlot(s);
        if (n == NONE) {
            return NONE;
        }
        copyVma(s, vma, n - 1);
        if (newBelow) {
            vmaEnd.set(s, n - 1, addr);
            vmaStart.set(s, vma, addr);
        } else {
            vmaStart.set(s, n - 1, addr);
            vmaEnd.set(s, vma, addr);
        }
        return n;
    }

    /** Sum of pages of in-tree VM_LOCKED VMAs: what locked_vm must equal (I3). */
    public int lockedPagesInTree(long[] s) {
        int sum = 0;
        for (int v = 0; v < config.vmaSlots(); v++) {
            if (vmaInTree.get(s, v) == 1 && vmaLocked.get(s, v) == 1) {
                sum += pages(s, v);
            }
        }
        return sum;
    }

    // ---- vmacache (mm/vmacache.c, v4.12; u64 era from 7a9cdebdcc17) ---------------------------------

    /** VMACACHE_HASH(addr): the slot a page is cached in. */
    public static int vmacacheSlot(int page) {
        return page & (VMACACHE_SIZE - 1);
    }

    public int cached(long[] s, int thread, int slot) {
        return vmacache.get(s, thread * VMACACHE_SIZE + slot);
    }

    /** Is the task's cache current (task seqnum equals mm's)? */
    public boolean vmacacheCurrent(long[] s, int thread) {
        return u64Seqnum() ? vmacacheTaskSeq.get(s, thread) == 1
                : vmacacheTaskSeq.get(s, thread) == vmacacheSeqnum.get(s);
    }

    /**
     * vmacache_valid: if the task's seqnum is stale, catch it up and empty the cache (the side
     * effect happens in find_vma's effect); returns whether the cache was current.
     */
    public boolean vmacacheValidate(long[] s, int thread) {
        if (vmacacheCurrent(s, thread)) {
            return true;
        }
        vmacacheTaskSeq.set(s, thread, u64Seqnum() ? 1 : vmacacheSeqnum.get(s));
        vmacacheFlush(s, thread);
        return false;
    }

    /** vmacache_flush(task): every slot NULL. */
    public void vmacacheFlush(long[] s, int thread) {
        for (int i = 0; i < VMACACHE_SIZE; i++) {
            vmacache.set(s, thread * VMACACHE_SIZE + i, NONE);
        }
    }

    /** vmacache_find: a current cache's slot holding a VMA that contains the page, as vma + 1, or NONE. */
    public int vmacacheLookup(long[] s, int thread, int page) {
        for (int i = 0; i < VMACACHE_SIZE; i++) {
            int v = cached(s, thread, i);
            // The kernel dereferences the cached pointer here: a freed VMA is read (I7 checks it).
            if (v != NONE && vmaStart.get(s, v - 1) <= page && page < vmaEnd.get(s, v - 1)) {
                return v;
            }
        }
        return NONE;
    }

    /** vmacache_update: store the VMA in the page's slot. */
    public void vmacacheUpdate(long[] s, int thread, int page, int vmaPlusOne) {
        vmacache.set(s, thread * VMACACHE_SIZE + vmacacheSlot(page), vmaPlusOne);
    }

    /**
     * vmacache_invalidate: mm->vmacache_seqnum++. In the u64 era every task's cache becomes stale
     * for good. In the u32 era the counter wraps; on wrap to 0, v4.12 calls vmacache_flush_all,
     * which returns early when the mm has one user (6b4ebc3a9078, the CVE-2018-17182 shortcut),
     * else flushes the cache of every thread of the mm.
     */
    public void vmacacheInvalidate(long[] s) {
        if (u64Seqnum()) {
            for (int t = 0; t < config.threads(); t++) {
                vmacacheTaskSeq.set(s, t, 0);
            }
            return;
        }
        int next = vmacacheSeqnum.get(s) == seqMax ? 0 : vmacacheSeqnum.get(s) + 1;
        vmacacheSeqnum.set(s, next);
        if (next == 0 && mmUsers.get(s) != 1) {
            for (int t = 0; t < config.threads(); t++) {
                vmacacheFlush(s, t);
            }
        }
    }
}
