package dev.mmcheck.model.invariants;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.faults.NumaFault;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.VmaPointer;

/**
 * Ghost state: not in the kernel, kept so that invariants can see events. A step that does
 * something that is wrong the moment it happens (use a freed VMA, write a PTE into a freed
 * page-table page) records it here; I2 needs to know that a syscall has just returned, and which
 * range it covered; I4's "no PTE outside every VMA" must wait while an unmap is in flight.
 */
public final class Ghost {
    /** {@link #fault} values: what went wrong, checked by invariant I7. */
    public static final int OK = 0;
    /** A VMA that is no longer allocated (a freed slab object) was found or used. */
    public static final int USE_AFTER_FREE_VMA = 1;
    /** A PTE was written into a page-table page that had been freed or reused. */
    public static final int PTE_IN_FREED_TABLE = 2;
    /** A page was freed twice, or a frame in use was handed out again. */
    public static final int DOUBLE_FREE = 3;
    /**
     * A VMA pointer was used after the thread dropped the mmap_lock it was found under
     * ({@link VmaPointer#deref}): nothing keeps the VMA alive any more.
     */
    public static final int VMA_USED_AFTER_UNLOCK = 4;
    /**
     * A page-cache page was freed while its page lock was held (free_pages_check: "bad page
     * state"; its holder will unlock a freed page). Only in models with a page cache.
     */
    public static final int FREED_LOCKED_PAGE = 5;
    /**
     * A maple-tree node was read through a maple state after a store replaced it and RCU freed
     * it (StackRot, B18). Only in models with {@link dev.mmcheck.model.mm.MapleNodes}.
     */
    public static final int USE_AFTER_FREE_MAPLE_NODE = 6;

    /** I7: the first object misuse seen, or OK. */
    public final Field fault;
    /** The page, VMA or frame the misuse concerned, for the explanation. */
    public final Field faultWhere;
    /** The thread that did it. */
    public final Field faultThread;

    /**
     * I2, checked at the instant a syscall returns to user space: the page + 1 for which a CPU
     * that can run the mm still held a translation contradicting the PTE (0: none seen).
     */
    public final Field stalePage;
    public final Field staleCpu;
    public final Field staleFrame;
    public final Field staleThread;

    /** I2: 1 when the stale translation found is a writable one after mprotect(PROT_READ) returned. */
    public final Field staleWritable;

    /** Threads between detaching VMAs (or starting a zap) and finishing unmap_region. */
    public final Field unmapsInFlight;

    /** I5: the page + 1 that a UFFDIO_COPY filled while an event it should have waited for was unread. */
    public final Field uffdCopyPage;
    /** I5: the thread whose event was prepped and not yet read by the monitor. */
    public final Field uffdEventThread;

    /**
     * I9: the old range [moved_start, moved_end) whose PTEs an mremap in progress has moved so
     * far (empty when equal). Only in models where mremap moves pages (null otherwise).
     */
    public final Field movedStart;
    public final Field movedEnd;

    /**
     * I10: the page + 1 of a munmap's range that a VMA in the mm's tree still covered when that
     * munmap released its write lock to return 0 (0: none seen), and its thread. Only in models
     * where munmap's tree stores may fail (null otherwise): without an error label after a
     * successful split, munmap cannot return 0 with its range mapped.
     */
    public final Field munmapKeptPage;
    public final Field munmapKeptThread;

    /**
     * @param pageCache   the model has page-cache pages (and so {@link #FREED_LOCKED_PAGE})
     * @param mapleNodes  the model has maple-tree nodes that readers may hold (and so
     *                    {@link #USE_AFTER_FREE_MAPLE_NODE})
     * @param pteInFlight PTEs another thread is changing under their PTE lock right now, with its
     *                    flush still to come before it unlocks (a migration entry between
     *                    ptep_clear_flush's clear and flush, {@link NumaFault#migrating}): a TLB
     *                    entry for such a page is not stale in I2's sense, since the page it maps
     *                    was not unmapped by the returning syscall; I1 still catches a missing flush
     * @param moves       mremap moves pages (and so I9's {@link #movedStart}, {@link #movedEnd})
     * @param munmapFails munmap's tree stores may fail (and so I10's {@link #munmapKeptPage})
     */
    public Ghost(Program prog, MachineConfig config, boolean pageCache, boolean mapleNodes, boolean moves, boolean munmapFails,
                 PageTest pteInFlight) {
        this.pteInFlight = pteInFlight;
        fault = prog.field("ghost.fault", OK, mapleNodes ? USE_AFTER_FREE_MAPLE_NODE : pageCache ? FREED_LOCKED_PAGE : VMA_USED_AFTER_UNLOCK);
        faultWhere = prog.field("ghost.fault_where", 0, Math.max(config.frames(), Math.max(config.pages(), config.vmaSlots())));
        faultThread = prog.field("ghost.fault_thread", 0, config.threads() - 1);
        stalePage = prog.field("ghost.stale_page", 0, config.pages());
        staleCpu = prog.field("ghost.stale_cpu", 0, config.cpus() - 1);
        staleFrame = prog.field("ghost.stale_frame", 0, config.frames() - 1);
        staleThread = prog.field("ghost.stale_thread", 0, config.threads() - 1);
        unmapsInFlight = prog.field("ghost.unmaps_in_flight", 0, config.threads());
        staleWritable = prog.field("ghost.stale_writable", 0, 1);
        uffdCopyPage = prog.field("ghost.uffd_copy_page", 0, config.pages());
        uffdEventThread = prog.field("ghost.uffd_event_thread", 0, config.threads() - 1);
        movedStart = moves ? prog.field("ghost.moved_start", 0, config.pages()) : null;
        movedEnd = moves ? prog.field("ghost.moved_end", 0, config.pages()) : null;
        munmapKeptPage = munmapFails ? prog.field("ghost.munmap_kept_page", 0, config.pages()) : null;
        munmapKeptThread = munmapFails ? prog.field("ghost.munmap_kept_thread", 0, config.threads() - 1) : null;
    }

    /**
     * I10, at the instant munmap releases its write lock to return: when it returns 0 (not
     * {@code failed}), records the first page of [start, end) that a VMA of the mm's tree still
     * covers. Under the write lock nothing else can have mapped the range again.
     */
    public void checkMunmapReturn(Mm mm, long[] s, int thread, int start, int end, boolean failed) {
        if (munmapKeptPage == null || failed || munmapKeptPage.get(s) != 0) {
            return;
        }
        for (int p = start; p < end; p++) {
            int v = mm.findInTree(s, p);
            if (v != Mm.NONE && mm.vmStart(s, v) <= p) {
                munmapKeptPage.set(s, p + 1);
                munmapKeptThread.set(s, thread);
                return;
            }
        }
    }

    /** I9: mremap has moved the PTEs of the old range [start, end) (it only grows, from one start). */
    public void recordMoved(long[] s, int start, int end) {
        movedStart.set(s, start);
        movedEnd.set(s, end);
    }

    /** I9: the mremap's old range needs no more watching (its call is ending, or failed before moving). */
    public void clearMoved(long[] s) {
        movedStart.set(s, 0);
        movedEnd.set(s, 0);
    }

    /** I9: is {@code page} in the old range of an mremap that has already moved its PTE? */
    public boolean moved(long[] s, int page) {
        return movedStart != null && page >= movedStart.get(s) && page < movedEnd.get(s);
    }

    /**
     * I5: a UFFDIO_COPY installed {@code page} although thread {@code producer}'s event had been
     * prepped before the copy's mmap_changing check (from v6.9: at any time) and the monitor has not
     * read it yet (the first one seen).
     */
    public void recordCopyDuringEvent(long[] s, int page, int producer) {
        if (uffdCopyPage.get(s) == 0) {
            uffdCopyPage.set(s, page + 1);
            uffdEventThread.set(s, producer);
        }
    }

    private final PageTest pteInFlight;

    /** A test of one page in a state; a primitive int so the I2 check does not box. */
    @FunctionalInterface
    public interface PageTest {
        boolean test(long[] s, int page);
    }

    /** Records the first misuse (later ones are consequences). */
    public void record(long[] s, int what, int where, int thread) {
        if (fault.get(s) == OK) {
            fault.set(s, what);
            faultWhere.set(s, where);
            faultThread.set(s, thread);
        }
    }

    /**
     * The return to user space of a syscall that changed [lo, hi): records the first CPU that can
     * still run the mm with a TLB entry for the range that differs from the PTE. Before v4.20 lazy
     * CPUs count too (they switch back without a flush); from v4.20 a lazy CPU compares tlb_gen on
     * switch back and flushes, so only CPUs running the mm count.
     */
    public void checkReturn(Machine m, long[] s, int thread, int lo, int hi, boolean lazyCounts) {
        if (stalePage.get(s) != 0) {
            return;
        }
        for (int c = 0; c < m.config.cpus(); c++) {
            if (!(lazyCounts ? m.usesMm(s, c) : m.runsMm(s, c))) {
                continue;
            }
            for (int p = lo; p < hi; p++) {
                int e = m.tlb(s, c, p);
                if (e != Machine.NONE && e != m.pte.get(s, p) && !pteInFlight.test(s, p)) {
                    stalePage.set(s, p + 1);
                    staleCpu.set(s, c);
                    staleFrame.set(s, e - 1);
                    staleThread.set(s, thread);
                    return;
                }
            }
        }
    }

    /**
     * The return to user space of mprotect(PROT_READ) over [lo, hi): records the first CPU that
     * can still run the mm with a writable TLB entry for the range, through which a store would
     * go through after the range was made read-only. An entry that is read-only but stale (reclaim
     * cleared the PTE and has not flushed yet) is allowed: reclaim flushes before it frees.
     */
    public void checkReadOnlyReturn(Machine m, long[] s, int thread, int lo, int hi, boolean lazyCounts) {
        if (stalePage.get(s) != 0) {
            return;
        }
        for (int c = 0; c < m.config.cpus(); c++) {
            if (!(lazyCounts ? m.usesMm(s, c) : m.runsMm(s, c))) {
                continue;
            }
            for (int p = lo; p < hi; p++) {
                int e = m.tlb(s, c, p);
                if (e != Machine.NONE && !m.tlbReadOnly(s, c, p)) {
                    stalePage.set(s, p + 1);
                    staleCpu.set(s, c);
                    staleFrame.set(s, e - 1);
                    staleThread.set(s, thread);
                    staleWritable.set(s, 1);
                    return;
                }
            }
        }
    }
}
