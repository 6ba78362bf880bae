package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.state.Field;

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
    /** The VMA being worked on + 1 (vma in do_munmap, the fault's vma). */
    public final Field vma;
    /** vma->vm_prev + 1 as do_munmap remembers it. */
    public final Field prev;
    /** Loop cursor (a page or a VMA). */
    public final Field cursor;
    /** A frame allocated and not yet installed + 1 (the fault's new page or page table). */
    public final Field newFrame;
    /** The page-table page a fault walked to + 1 (pte_offset_map: it keeps this pointer). */
    public final Field tableFrame;
    /** mmu_gather: frames (data pages and page-table pages) batched to free after the flush, as a bit set. */
    public final Field gatherFrames;
    /** mmu_gather: number of batched frames (the batch is full at gatherBatch). */
    public final Field gatherCount;
    /** mmu_gather: the range to flush is non-empty (tlb->end != 0). */
    public final Field gatherNeedFlush;
    /** mmu_gather: page tables were freed (tlb->freed_tables, v4.20+). */
    public final Field gatherFreedTables;
    /** mmu_gather: force_flush set by zap_pte_range. */
    public final Field forceFlush;
    /** flush_tlb_mm_range: the CPUs an IPI was sent to, as a bit set (waited for). */
    public final Field flushTargets;
    /** The syscall's result is an error / the access faulted with SIGSEGV. */
    public final Field failed;

    private ThreadLocals(Code c, MachineConfig cfg) {
        int p = cfg.pages();
        int f = cfg.frames();
        start = c.local("start", 0, p);
        end = c.local("end", 0, p);
        page = c.local("page", 0, p - 1);
        vma = c.local("vma", 0, cfg.vmaSlots());
        prev = c.local("prev", 0, cfg.vmaSlots());
        cursor = c.local("cursor", 0, Math.max(p, cfg.vmaSlots()));
        newFrame = c.local("new_frame", 0, f);
        tableFrame = c.local("table_frame", 0, f);
        gatherFrames = c.local("tlb_frames", 0, (1 << f) - 1);
        gatherCount = c.local("tlb_count", 0, cfg.gatherBatch());
        gatherNeedFlush = c.local("tlb_need_flush", 0, 1);
        gatherFreedTables = c.local("tlb_freed_tables", 0, 1);
        forceFlush = c.local("force_flush", 0, 1);
        flushTargets = c.local("flush_targets", 0, (1 << cfg.cpus()) - 1);
        failed = c.local("failed", 0, 1);
    }

    /** The locals of the thread that runs {@code code} (declared on first use). */
    public static ThreadLocals of(Code code, Kernel k) {
        return new ThreadLocals(code, k.config);
    }
}
