package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.Reclaim;
import dev.mmcheck.model.machine.MachineConfig;

/**
 * The locals every thread has, declared once with fixed names and ranges so that the
 * procedures a thread calls (munmap, the fault handler, zap_pte_range, the TLB flush, ...) share
 * them: a caller passes arguments by setting them, as PlusCal procedures do. Declaring them
 * from any code of the thread returns the same variables.
 */
public final class ThreadLocals {
    /** Syscall range argument: first page. */
    public final Field start;
    /** Syscall range argument: page after the last. */
    public final Field end;
    /** Faulting / accessed page. */
    public final Field page;
    /** The VMA being worked on (vma in do_munmap, the fault's vma); its lifetime is checked at each use. */
    public final VmaPointer vma;
    /** vma->vm_prev as do_munmap remembers it. */
    public final VmaPointer prev;
    /** Loop cursor (a page or a VMA). */
    public final Field cursor;
    /** A page the thread holds and has not installed: the fault's new page or page table, a page-cache page it found. */
    public final FramePointer newFrame;
    /** The page-table page a walk reached (pte_offset_map: the thread keeps this pointer); checked at each use. */
    public final FramePointer tableFrame;
    /** mmu_gather: frames (data pages and page-table pages) batched to free after the flush, as a bit set (bit f = frame f). */
    public final Field gatherFrames;
    /** mmu_gather: number of batched frames (the batch is full at gatherBatch). */
    public final Field gatherCount;
    /** mmu_gather: tlb->start, the first page of the range to flush (0 while the range is empty). */
    public final Field gatherStart;
    /** mmu_gather: tlb->end, the page after the range to flush; 0 when the range is empty. */
    public final Field gatherEnd;
    /** mmu_gather: tlb->cleared_ptes, a PTE was cleared (v4.20+: the flush stride is one page). */
    public final Field gatherClearedPtes;
    /** mmu_gather: tlb->cleared_pmds, a PMD entry was cleared (v4.20+: without cleared_ptes the stride is PMD_SIZE). */
    public final Field gatherClearedPmds;
    /** mmu_gather: page tables were freed (tlb->freed_tables, v4.20+). */
    public final Field gatherFreedTables;
    /** mmu_gather: force_flush set by zap_pte_range. */
    public final Field forceFlush;
    /** flush_tlb_mm_range's start argument (a page). */
    public final Field flushStart;
    /** flush_tlb_mm_range's end argument (the page after the range); the whole mm is [0, pages). */
    public final Field flushEnd;
    /** flush_tlb_mm_range's stride_shift is PMD_SHIFT (v4.20+: only page tables were freed): one INVLPG per table. */
    public final Field flushByTable;
    /** flush_tlb_mm_range: the CPUs an IPI was sent to, as a bit set (waited for). */
    public final Field flushTargets;
    /**
     * Reclaim's tlb_ubc (current-&gt;tlb_ubc.arch.cpumask): the CPUs of mm_cpumask recorded when
     * PTEs were cleared with the flush deferred; flush_required while not empty.
     */
    public final Field ubcCpumask;
    /** The syscall's result is an error / the access faulted with SIGSEGV. */
    public final Field failed;

    private final int pages;

    private ThreadLocals(Code c, Kernel k, int thread) {
        MachineConfig cfg = k.config;
        int p = cfg.pages();
        pages = p;
        int f = cfg.frames();
        start = c.local("start", 0, p);
        end = c.local("end", 0, p);
        page = c.local("page", 0, p - 1);
        vma = new VmaPointer(c, k, "vma", thread);
        prev = new VmaPointer(c, k, "prev", thread);
        cursor = c.local("cursor", 0, Math.max(p, cfg.vmaSlots()));
        newFrame = new FramePointer(c, k, "new_frame", thread);
        tableFrame = new FramePointer(c, k, "table_frame", thread);
        gatherFrames = c.local("tlb_frames", 0, (1 << f) - 1);
        gatherCount = c.local("tlb_count", 0, cfg.gatherBatch());
        gatherStart = c.local("tlb_start", 0, p);
        gatherEnd = c.local("tlb_end", 0, p);
        gatherClearedPtes = c.local("tlb_cleared_ptes", 0, 1);
        gatherClearedPmds = c.local("tlb_cleared_pmds", 0, 1);
        gatherFreedTables = c.local("tlb_freed_tables", 0, 1);
        forceFlush = c.local("force_flush", 0, 1);
        flushStart = c.local("flush_start", 0, p);
        flushEnd = c.local("flush_end", 0, p);
        flushByTable = c.local("flush_by_table", 0, 1);
        flushTargets = c.local("flush_targets", 0, (1 << cfg.cpus()) - 1);
        ubcCpumask = c.local("tlb_ubc_cpumask", 0, (1 << cfg.cpus()) - 1);
        failed = c.local("failed", 0, 1);
    }

    /** __tlb_adjust_range(tlb, page, PAGE_SIZE): the gather's range grows to cover {@code page}. */
    public void gatherAdjust(long[] s, int page) {
        if (gatherEnd.get(s) == 0) {
            gatherStart.set(s, page);
            gatherEnd.set(s, page + 1);
        } else {
            gatherStart.set(s, Math.min(gatherStart.get(s), page));
            gatherEnd.set(s, Math.max(gatherEnd.get(s), page + 1));
        }
    }

    /** The gather's range is empty (tlb->end == 0): tlb_flush_mmu_tlbonly flushes nothing. */
    public boolean gatherEmpty(long[] s) {
        return gatherEnd.get(s) == 0;
    }

    /** __tlb_reset_range: an empty range, no page tables freed, no levels cleared. */
    public void gatherReset(long[] s) {
        gatherStart.set(s, 0);
        gatherEnd.set(s, 0);
        gatherFreedTables.set(s, 0);
        gatherClearedPtes.set(s, 0);
        gatherClearedPmds.set(s, 0);
    }

    /**
     * tlb-&gt;fullmm = 1 with __tlb_reset_range: the gather's range is the whole mm, which x86
     * tlb_flush flushes as TLB_FLUSH_ALL (freed_tables and the cleared levels are left to the caller).
     */
    public void gatherWholeMm(long[] s) {
        gatherReset(s);
        gatherStart.set(s, 0);
        gatherEnd.set(s, pages);
    }

    /**
     * x86 tlb_flush: flush_tlb_mm_range's arguments from the gather: its range, and (v4.20+,
     * tlb_get_unmap_shift) a PMD stride when page tables but no PTEs were cleared.
     */
    public void flushGatheredRange(long[] s) {
        flushRange(s, gatherStart.get(s), gatherEnd.get(s));
        flushByTable.set(s, gatherClearedPtes.get(s) == 0 && gatherClearedPmds.get(s) == 1 ? 1 : 0);
    }

    /** Sets flush_tlb_mm_range's range arguments to [start, end), one INVLPG per page. */
    public void flushRange(long[] s, int start, int end) {
        flushStart.set(s, start);
        flushEnd.set(s, end);
    }

    /** The locals of the thread that runs {@code code} (declared on first use). */
    public static ThreadLocals of(Code code, Kernel k) {
        return new ThreadLocals(code, k, k.threadOrNone(code.process()));
    }

    /**
     * The lock this thread found its VMA pointers under was released (mmap_lock, or the read
     * lock of the VMA a per-VMA-lock path took): the pointers may be kept but no longer used.
     */
    public void lockReleased(long[] s) {
        vma.lockReleased(s);
        prev.lockReleased(s);
    }
}
