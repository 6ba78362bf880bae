package dev.mmcheck.model.invariants;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Reads;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The safety properties of DESIGN.md, each explained in kernel terms when it fails:
 * <ul>
 *   <li>I1 no usable translation (TLB or paging-structure cache) to a freed or reused frame or
 *       page-table page;</li>
 *   <li>I2 when munmap or madvise returns, no CPU that can run the mm holds a translation for
 *       that range that contradicts the page tables;</li>
 *   <li>I3 locked_vm equals the pages of VM_LOCKED VMAs whenever mmap_sem is not write-held;</li>
 *   <li>I4 tree and list hold the same VMAs, sorted and non-overlapping, map_count equal; a
 *       current vmacache holds only live VMAs (on the maple tree of v6.1+, which has neither
 *       list nor vmacache: the tree's VMAs do not overlap and no VMA is in both the mm's tree
 *       and munmap's side tree); no PTE outside every VMA once no unmap is in flight;</li>
 *   <li>I7 no use of a freed VMA or page-table page, and no use of a VMA pointer after the
 *       mmap_lock it was found under was dropped (recorded by the step that uses it; the
 *       counterexample says where the pointer was found, released and used,
 *       {@link ObjectUse});</li>
 *   <li>I8 no leaked page: every anonymous page is mapped by its PTE, batched in an mmu_gather
 *       to be freed, or being faulted in; every page-cache page still has a holder
 *       ({@link PageCache#held}).</li>
 *   <li>I9 no store is lost to mremap: while mremap runs, no PTE appears at an old address whose
 *       PTEs it has already moved ({@link Ghost#moved}).</li>
 *   <li>I10 munmap returns 0 only once its range is unmapped: when it releases its write lock to
 *       return 0, no VMA of the mm's tree covers a page of its range ({@link Ghost#checkMunmapReturn};
 *       in models whose munmap tree stores may fail).</li>
 * </ul>
 * I5 no UFFDIO_COPY installs a PTE between an event's prep and the monitor reading it (recorded by
 * the copy's install step, {@link Ghost#recordCopyDuringEvent}). I6 (no deadlock) is the engine's
 * deadlock check.
 */
public final class Invariants {
    private Invariants() {
    }

    public static List<Invariant> all(Kernel k) {
        return List.of(i1(k), i2(k), i3(k), i4(k), i7(k), i8(k), i5(k), i9(k), i10(k));
    }

    public static Invariant i1(Kernel k) {
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        boolean lazyLeavesCount = !k.has(Feature.FREED_TABLES_LAZY_SKIP);
        CpuContexts ctx = k.contexts;
        return Invariant.of(KernelProperty.I1.id(), KernelProperty.I1.sentence(),
                s -> i1Problem(m, cfg, s, lazyLeavesCount, ctx) == null,
                s -> i1Problem(m, cfg, s, lazyLeavesCount, ctx))
                .reading(Reads.of(m.loaded, m.lazy, ctx.switching, m.psc, m.tlb).and(frames(m)));
    }

    /** What a frame is and whose: the frame fields the frame queries of {@link Machine} read. */
    private static Reads frames(Machine m) {
        return Reads.of(m.frameKind, m.frameOwner, m.frameMovedFrom);
    }

    /**
     * From v4.20 a lazy CPU runs no user code and compares tlb_gen when it switches back to the
     * mm (flushing if it missed a flush), so its TLB entries for user pages are never used and
     * leaf-only flushes skip it (SEMANTICS.md 4.1, 4.4); its cached page-table pointers still
     * count, since a speculative walk goes through them. Before v4.20 a lazy CPU switches back
     * without a flush, so everything it caches counts.
     */
    private static String i1Problem(Machine m, MachineConfig cfg, long[] s, boolean lazyLeavesCount, CpuContexts ctx) {
        for (int c = 0; c < cfg.cpus(); c++) {
            if (!m.usesMm(s, c)) {
                continue;
            }
            boolean lazy = m.lazy.get(s, c) == 1;
            String how = lazy ? " (lazy, still on the mm's page tables)" : "";
            for (int t = 0; t < cfg.tables(); t++) {
                int ptr = m.psc(s, c, t);
                if (ptr != Machine.NONE && !m.isTableOf(s, ptr, t)) {
                    return "CPU" + c + how + " caches the page-table pointer for " + Machine.addr(t * cfg.pagesPerTable())
                            + " -> frame " + (ptr - 1) + ", but frame " + (ptr - 1) + " is " + frameState(m, s, ptr - 1)
                            + ": a speculative walk can read a freed page table";
                }
            }
            if (m.lazy.get(s, c) == 1 && !lazyLeavesCount) {
                continue;
            }
            // Inside switch_mm_irqs_off no user code runs; leaf entries are checked once it ends.
            if (ctx.inSwitch(s, c)) {
                continue;
            }
            for (int p = 0; p < cfg.pages(); p++) {
                int ptr = m.tlb(s, c, p);
                if (ptr != Machine.NONE && !m.isAnonOf(s, ptr, p) && !m.isLivePfn(s, ptr)
                        && !m.isMovedFrom(s, ptr, p) && !m.isFilePageOf(s, ptr, p)) {
                    return "CPU" + c + how + " can still use its TLB entry " + Machine.addr(p) + " -> frame " + (ptr - 1)
                            + ", but frame " + (ptr - 1) + " is " + frameState(m, s, ptr - 1);
                }
            }
        }
        return null;
    }

    static String frameState(Machine m, long[] s, int f) {
        switch (m.frameKind.get(s, f)) {
            case Machine.FREE: return "free";
            case Machine.ANON: return "reused for page " + Machine.addr(m.frameOwner.get(s, f));
            case Machine.PFN: return "a device page";
            case Machine.FILE: return "the page-cache page of file index " + m.frameOwner.get(s, f);
            default: return "reused as a page table";
        }
    }

    /** I2 is evaluated by each syscall's return step ({@link Ghost#checkReturn}); this reports it. */
    public static Invariant i2(Kernel k) {
        Ghost g = k.ghost;
        return Invariant.of(KernelProperty.I2.id(), KernelProperty.I2.sentence(),
                s -> g.stalePage.get(s) == 0,
                s -> g.staleWritable.get(s) == 1
                        ? "T" + g.staleThread.get(s) + " returned from mprotect(PROT_READ) while CPU" + g.staleCpu.get(s)
                        + " still has a writable TLB entry " + Machine.addr(g.stalePage.get(s) - 1) + " -> frame "
                        + g.staleFrame.get(s) + ": a store goes through after the page was made read-only"
                        : "T" + g.staleThread.get(s) + " returned to user space while CPU" + g.staleCpu.get(s)
                        + " still translates " + Machine.addr(g.stalePage.get(s) - 1) + " -> frame " + g.staleFrame.get(s)
                        + " that the page tables no longer map: a write through it is lost")
                .reading(Reads.of(g.stalePage));
    }

    public static Invariant i3(Kernel k) {
        Mm mm = k.mm;
        return Invariant.of(KernelProperty.I3.id(), KernelProperty.I3.sentence(),
                s -> mm.semWriter.get(s) != 0 || mm.lockedVm.get(s) == mm.lockedPagesInTree(s),
                s -> "mm->locked_vm is " + mm.lockedVm.get(s) + " pages but the VM_LOCKED VMAs in the tree hold "
                        + mm.lockedPagesInTree(s) + " pages, with mmap_sem not write-held")
                .reading(Reads.of(mm.semWriter, mm.lockedVm).and(mm.vmaInTree, mm.vmaLocked, mm.vmaStart, mm.vmaEnd));
    }

    /** The property that holds where {@code problem} finds none (null), explained by what it finds. */
    private static Invariant byProblem(KernelProperty property, Function<long[], String> problem) {
        return Invariant.of(property.id(), property.sentence(), s -> problem.apply(s) == null, problem);
    }

    public static Invariant i4(Kernel k) {
        Mm mm = k.mm;
        return byProblem(KernelProperty.I4, s -> i4Problem(k, s))
                .reading(Reads.of(mm.vmacacheSeqnum, mm.semWriter, mm.mapCount, mm.listHead, k.ghost.unmapsInFlight)
                        .and(mm.vmacache, mm.vmacacheTaskSeq, k.mapleNodes.masNode, mm.vmaInTree, mm.vmaAllocated,
                                mm.vmaStart, mm.vmaEnd, mm.vmaNext, mm.vmaInSideTree, mm.vmaDetached,
                                k.machine.pmd, k.machine.pte));
    }

    static String i4Problem(Kernel k, long[] s) {
        Mm mm = k.mm;
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        // Valid vmacache slots point to live VMAs, whatever locks are held.
        for (int t = 0; mm.hasVmacache() && t < cfg.threads(); t++) {
            if (!mm.vmacacheCurrent(s, t)) {
                continue;
            }
            for (int i = 0; i < Mm.VMACACHE_SIZE; i++) {
                int v = mm.cached(s, t, i);
                if (v != Mm.NONE && mm.vmaInTree.get(s, v - 1) == 0) {
                    return "T" + t + "'s vmacache is current (seqnum " + mm.vmacacheTaskSeq.get(s, t) + ") but slot " + i
                            + " holds VMA " + (v - 1) + ", which is " + (mm.vmaAllocated.get(s, v - 1) == 0 ? "freed" : "not in the tree")
                            + ": find_vma will return it";
                }
            }
        }
        // A maple state walked before a store rewrote the node in place (6.1.0 without RCU mode).
        int misread = k.mapleNodes.misread(s);
        if (misread >= 0) {
            return "T" + misread + " read a slot of the maple-tree node through a maple state walked before a stack growth"
                    + " under the mmap read lock rewrote the node in place (the tree is not in RCU mode): the slot it read"
                    + " belongs to the new layout, not to the position its maple state records";
        }
        if (mm.semWriter.get(s) != 0) {
            return null;
        }
        int inTree = 0;
        for (int v = 0; v < cfg.vmaSlots(); v++) {
            if (mm.vmaInTree.get(s, v) == 1) {
                inTree++;
                if (mm.vmaAllocated.get(s, v) == 0) {
                    return "VMA " + v + " is in the tree but freed";
                }
                if (mm.vmaStart.get(s, v) >= mm.vmaEnd.get(s, v)) {
                    return "VMA " + v + " is empty: [" + Machine.addr(mm.vmaStart.get(s, v)) + ", " + Machine.addr(mm.vmaEnd.get(s, v)) + ")";
                }
            }
        }
        if (inTree != mm.mapCount.get(s)) {
            return "map_count is " + mm.mapCount.get(s) + " but the tree holds " + inTree + " VMAs";
        }
        String views = mm.maple() ? mapleProblem(mm, s) : listProblem(mm, s, inTree);
        if (views != null) {
            return views;
        }
        if (k.ghost.unmapsInFlight.get(s) == 0) {
            for (int p = 0; p < cfg.pages(); p++) {
                if (m.pmd.get(s, cfg.tableOf(p)) != Machine.NONE && m.pte.get(s, p) != Machine.NONE
                        && !covered(mm, s, p)) {
                    return "PTE " + Machine.addr(p) + " maps frame " + (m.pte.get(s, p) - 1) + " but no VMA covers " + Machine.addr(p);
                }
            }
        }
        return null;
    }

    /** The list view agrees with the tree: every listed VMA is in the tree, sorted, disjoint, none missing. */
    private static String listProblem(Mm mm, long[] s, int inTree) {
        int slots = mm.config.vmaSlots();
        int listed = 0;
        int prevEnd = 0;
        for (int v = mm.listHead.get(s); v != Mm.NONE; v = mm.vmNext(s, v)) {
            if (++listed > slots) {
                return "the VMA list has a cycle";
            }
            if (mm.vmaInTree.get(s, v - 1) == 0) {
                return "VMA " + (v - 1) + " is on the list but not in the tree";
            }
            if (mm.vmStart(s, v) < prevEnd) {
                return "the VMA list is not sorted and disjoint at VMA " + (v - 1);
            }
            prevEnd = mm.vmEnd(s, v);
        }
        if (listed != inTree) {
            return "the tree holds " + inTree + " VMAs but the list " + listed;
        }
        return null;
    }

    /**
     * The maple tree holds disjoint ranges (a store over a range replaces what was there), and a
     * VMA munmap stored in its side tree is out of the mm's tree once the lock is not write-held.
     */
    private static String mapleProblem(Mm mm, long[] s) {
        int slots = mm.config.vmaSlots();
        for (int v = 0; v < slots; v++) {
            if (mm.vmaInTree.get(s, v) == 0) {
                continue;
            }
            if (mm.vmaInSideTree.get(s, v) == 1) {
                return "VMA " + v + " is in the mm's maple tree and in munmap's side tree";
            }
            if (mm.perVmaLocks() && mm.vmaDetached.get(s, v) == 1) {
                return "VMA " + v + " is in the mm's maple tree but marked detached, with no write lock held:"
                        + " lock_vma_under_rcu will lock it, see it detached and retry for ever";
            }
            for (int w = v + 1; w < slots; w++) {
                if (mm.vmaInTree.get(s, w) == 1 && mm.vmaStart.get(s, v) < mm.vmaEnd.get(s, w)
                        && mm.vmaStart.get(s, w) < mm.vmaEnd.get(s, v)) {
                    return "VMAs " + v + " and " + w + " overlap in the maple tree";
                }
            }
        }
        return null;
    }

    private static boolean covered(Mm mm, long[] s, int page) {
        int v = mm.findInTree(s, page);
        return v != Mm.NONE && mm.vmStart(s, v) <= page;
    }

    public static Invariant i7(Kernel k) {
        Ghost g = k.ghost;
        return Invariant.of(KernelProperty.I7.id(), KernelProperty.I7.sentence(),
                s -> g.fault.get(s) == Ghost.OK && vmaLockProblem(k, s) == null,
                s -> i7Problem(k, s))
                .explainedBy(trace -> i7Problem(k, trace.lastState()) + ObjectUse.history(k, trace))
                .reading(Reads.of(g.fault).and(threadLocals(k, l -> l.page))
                        .and(k.mm.vmaAllocated, k.mm.vmaLockReaders, k.mm.faultVmaLocked, k.mm.vmaInTree, k.mm.vmaDetached,
                                k.mm.vmaStart, k.mm.vmaEnd));
    }

    /**
     * From v6.4: a VMA whose per-VMA read lock is held is never freed, and the VMA a fault holds
     * that way (FAULT_FLAG_VMA_LOCK) is never changed under it: it stays in the tree, attached,
     * and covering the faulting address (lock_vma_under_rcu checked all three, and every writer
     * must vma_start_write it first, which waits for the fault).
     */
    private static String vmaLockProblem(Kernel k, long[] s) {
        Mm mm = k.mm;
        if (!mm.perVmaLocks()) {
            return null;
        }
        for (int v = 0; v < k.config.vmaSlots(); v++) {
            if (mm.vmaAllocated.get(s, v) == 0 && mm.vmaLockReaders.get(s, v) > 0) {
                return "VMA " + v + " was freed while " + mm.vmaLockReaders.get(s, v) + " reader(s) hold its per-VMA lock";
            }
        }
        for (int t = 0; t < k.config.threads(); t++) {
            int v = mm.faultVmaLocked.get(s, t) - 1;
            ThreadLocals l = k.locals(t);
            if (v < 0 || l == null) {
                continue;
            }
            int page = l.page.get(s);
            String what = mm.vmaAllocated.get(s, v) == 0 ? "was freed"
                    : mm.vmaInTree.get(s, v) == 0 ? "was removed from the maple tree"
                    : mm.vmaDetached.get(s, v) == 1 ? "was marked detached"
                    : !mm.contains(s, v, page) ? "no longer covers " + Machine.addr(page) + " (now [" + Machine.addr(mm.vmaStart.get(s, v))
                            + ", " + Machine.addr(mm.vmaEnd.get(s, v)) + "))"
                    : null;
            if (what != null) {
                return "T" + t + "'s page fault holds the per-VMA read lock of VMA " + v + " (FAULT_FLAG_VMA_LOCK), but the VMA "
                        + what + " under it: a writer changed it without vma_start_write, or lock_vma_under_rcu did not check it";
            }
        }
        return null;
    }

    private static String i7Problem(Kernel k, long[] s) {
        String locked = vmaLockProblem(k, s);
        if (locked != null) {
            return locked;
        }
        Ghost g = k.ghost;
        int where = g.faultWhere.get(s);
        String who = "T" + g.faultThread.get(s);
        switch (g.fault.get(s)) {
            case Ghost.USE_AFTER_FREE_VMA:
                return who + " used VMA " + where + " after it was freed";
            case Ghost.VMA_USED_AFTER_UNLOCK:
                return who + " used VMA " + where + " after releasing the lock it found the VMA under, mmap_lock or the VMA's read lock"
                        + " (nothing keeps the VMA alive: another thread may unmap and free it)";
            case Ghost.PTE_IN_FREED_TABLE:
                return who + " wrote the PTE for " + Machine.addr(where) + " into a page-table page that was freed";
            case Ghost.FREED_LOCKED_PAGE:
                return who + " freed frame " + where + ", a page-cache page whose page lock is still held:"
                        + " its holder will unlock a freed page";
            case Ghost.USE_AFTER_FREE_MAPLE_NODE:
                return who + " read a maple-tree node through its maple state after a store under the mmap read lock"
                        + " replaced the node and RCU freed it (it holds mmap_lock for read, not rcu_read_lock)";
            default:
                return who + " freed frame " + where + " twice";
        }
    }

    /**
     * I8 no leaked page: every frame that holds an anonymous page is, in every state, one of
     * <ul>
     *   <li>mapped: its page's PTE points to it and that PTE's table is hooked in the PMD;</li>
     *   <li>batched: in some thread's mmu_gather ({@link ThreadLocals#gatherFrames}, bit f for
     *       frame f), to be freed after the TLB flush;</li>
     *   <li>being faulted in: the {@link ThreadLocals#newFrame} of some thread, allocated and not
     *       yet installed (or about to be released because another fault won).</li>
     * </ul>
     * A page that is none of these can never be freed: a fault overwrote a PTE (no pte_none
     * re-check), or a PTE was written into a page table that is no longer hooked in (B2). Steps
     * that unmap a page must therefore clear its PTE and batch it in the same atomic step, as
     * zap_pte_range does under the PTE lock.
     */
    public static Invariant i8(Kernel k) {
        Machine m = k.machine;
        return byProblem(KernelProperty.I8, s -> i8Problem(k, s))
                .reading(frames(m).and(m.pte, m.pmd, k.pageCache.cache)
                        .and(threadLocals(k, l -> l.newFrame.field())).and(threadLocals(k, l -> l.gatherFrames)));
    }

    /** One field of every thread's locals (threads without locals have none). */
    private static Reads threadLocals(Kernel k, Function<ThreadLocals, Field> field) {
        return Reads.of(IntStream.range(0, k.config.threads()).mapToObj(k::locals)
                .map(l -> l == null ? null : field.apply(l)).toArray(Field[]::new));
    }

    static String i8Problem(Kernel k, long[] s) {
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        PageCache pc = k.pageCache;
        for (int f = 0; f < cfg.frames(); f++) {
            if (m.frameKind.get(s, f) == Machine.FILE && !pc.held(s, f)) {
                return "frame " + f + " holds the page-cache page of file index " + m.frameOwner.get(s, f)
                        + " but the page cache, the PTEs, the mmu_gathers and the threads hold no reference to it: it is leaked";
            }
            if (m.frameKind.get(s, f) != Machine.ANON) {
                continue;
            }
            int page = m.frameOwner.get(s, f);
            if (m.pte.get(s, page) == f + 1 && m.pmd.get(s, cfg.tableOf(page)) != Machine.NONE) {
                continue;
            }
            if (heldByAThread(k, s, f)) {
                continue;
            }
            return "frame " + f + " holds the page of " + Machine.addr(page) + " but no PTE maps it, no mmu_gather"
                    + " batches it and no fault is installing it: it is leaked"
                    + (m.pte.get(s, page) != Machine.NONE && m.pte.get(s, page) != f + 1
                        ? " (PTE " + Machine.addr(page) + " maps frame " + (m.pte.get(s, page) - 1) + " instead)" : "");
        }
        return null;
    }

    private static boolean heldByAThread(Kernel k, long[] s, int frame) {
        for (int t = 0; t < k.config.threads(); t++) {
            ThreadLocals l = k.locals(t);
            if (l != null && (l.newFrame.get(s) == frame + 1 || (l.gatherFrames.get(s) >> frame & 1) == 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * I5: a UFFDIO_COPY that took mmap_sem after a non-cooperative event (UNMAP, REMOVE) was
     * prepped must not install a PTE until the monitor has read that event: the monitor's view
     * of the address space would otherwise be older than the page it filled (SEMANTICS.md 6.3,
     * 6.4; BUGS.md B11). From v6.9 no event may be prepped between the copy's mmap_changing check
     * and its install either (map_changing_lock, {@code Feature.UFFD_PER_VMA_LOCKS}), so there
     * any unread event counts. Recorded by the install step of UFFDIO_COPY.
     */
    public static Invariant i5(Kernel k) {
        Ghost g = k.ghost;
        return Invariant.of(KernelProperty.I5.id(), KernelProperty.I5.sentence(),
                s -> g.uffdCopyPage.get(s) == 0,
                s -> "UFFDIO_COPY installed " + Machine.addr(g.uffdCopyPage.get(s) - 1) + " while T" + g.uffdEventThread.get(s)
                        + "'s userfaultfd event was prepped (before the copy's mmap_changing check, or from v6.9 while the copy"
                        + " held map_changing_lock) and not yet read by the monitor")
                .reading(Reads.of(g.uffdCopyPage));
    }

    /**
     * I9 no store is lost to mremap: once move_page_tables has moved an old address's PTE (or
     * found its page table empty), nothing maps that address again until mremap is done with the
     * old VMA. A fault that did would let the store that faulted land in a page that is neither at
     * the new address nor kept: the old range is unmapped right after, or, with MREMAP_DONTUNMAP,
     * left to a VMA whose anon_vma is gone. mmap_lock held for write keeps the faults out before
     * v6.4; from v6.4 move_vma's vma_start_write of the old VMA keeps out the per-VMA-lock ones.
     */
    public static Invariant i9(Kernel k) {
        return byProblem(KernelProperty.I9, s -> i9Problem(k, s))
                .reading(Reads.of(k.ghost.movedStart, k.ghost.movedEnd).and(k.machine.pte, k.machine.pmd));
    }

    static String i9Problem(Kernel k, long[] s) {
        Ghost g = k.ghost;
        if (g.movedStart == null) {
            return null;
        }
        Machine m = k.machine;
        for (int p = g.movedStart.get(s); p < g.movedEnd.get(s); p++) {
            if (m.pte.get(s, p) != Machine.NONE && m.pmd.get(s, k.config.tableOf(p)) != Machine.NONE) {
                return "mremap has moved the PTEs of [" + Machine.addr(g.movedStart.get(s)) + ", " + Machine.addr(g.movedEnd.get(s)) + ")"
                        + " but the PTE of " + Machine.addr(p) + " maps frame " + (m.pte.get(s, p) - 1) + " again:"
                        + " a store through it lands in a page that is not at the new address and that mremap's unmap of the old"
                        + " range will drop (a fault got into the old VMA after its PTEs moved)";
            }
        }
        return null;
    }

    /**
     * I10 munmap returns 0 only once its range is unmapped: the caller takes 0 to mean that
     * [start, end) is gone and may map something else there, so an error path that undoes the
     * gather must return its error (6c26bd4384da: after a split, a failed side-tree store
     * returned the split's 0). Evaluated where munmap releases its write lock to return
     * ({@link Ghost#checkMunmapReturn}).
     */
    public static Invariant i10(Kernel k) {
        return byProblem(KernelProperty.I10, s -> i10Problem(k.ghost, s)).reading(Reads.of(k.ghost.munmapKeptPage));
    }

    static String i10Problem(Ghost g, long[] s) {
        if (g.munmapKeptPage == null || g.munmapKeptPage.get(s) == 0) {
            return null;
        }
        return "T" + g.munmapKeptThread.get(s) + "'s munmap returned 0 while " + Machine.addr(g.munmapKeptPage.get(s) - 1)
                + " of its range is still mapped by a VMA in the mm's tree: the caller believes the range is gone";
    }
}
