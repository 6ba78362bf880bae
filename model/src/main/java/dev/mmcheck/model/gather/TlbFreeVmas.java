package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/**
 * tlb_free_vmas at the start of free_pgtables ({@link Feature#PFNMAP_FLUSH_IN_FREE_PGTABLES},
 * v6.15; include/asm-generic/tlb.h and mm/memory.c:free_pgtables, read in 6.18.2): when a
 * VM_PFNMAP VMA was zapped by this gather (tlb->vma_pfn, accumulated by tlb_start_vma) flush the
 * TLBs before any VMA is unlinked from the file's i_mmap, so that unmap_mapping_range cannot
 * miss the VMA and return while its translations remain. It replaces the flush of
 * {@link TlbEndVma}, which does nothing on x86 from then (MMU_GATHER_MERGE_VMAS).
 * tlb_flush_mmu_tlbonly flushes nothing when the range is empty.
 */
public final class TlbFreeVmas {
    /** The test: a VM_PFNMAP VMA was zapped and the gather's range is not empty. */
    public static final StepRef CHECK = StepRef.in("free_pgtables", "tlb_free_vmas");
    /** tlb_flush_mmu_tlbonly: flush_tlb_mm_range over the gathered range. */
    public static final StepRef FLUSH = StepRef.in("free_pgtables", "tlb_free_vmas: tlb_flush_mmu_tlbonly");
    /** __tlb_reset_range after the flush. */
    public static final StepRef RESET = StepRef.in("free_pgtables", "tlb_free_vmas: __tlb_reset_range");

    private TlbFreeVmas() {
    }

    /**
     * Adds the steps at the start of free_pgtables ({@code c}), whose VMA walk starts at the
     * thread's {@code vma}; {@code next} is the label of the step that follows.
     */
    public static void steps(Kernel k, Code c, String next) {
        if (!k.has(Feature.PFNMAP_FLUSH_IN_FREE_PGTABLES) || !k.mm.filesEnabled()) {
            return;
        }
        Mm mm = k.mm;
        ThreadLocals l = ThreadLocals.of(c, k);
        String src = k.src("mm/memory.c:free_pgtables, include/asm-generic/tlb.h:tlb_free_vmas");
        c.step(CHECK.label(), src, s -> { })
                .ifGoTo(s -> !zappedPfnmap(mm, s, l.vma.get(s)) || l.gatherEmpty(s), next);
        c.call(FLUSH.label(), src, TlbFlush.of(k).flushTlbMmRange, l::flushGatheredRange);
        c.step(RESET.label(), src, l::gatherReset);
    }

    /** tlb->vma_pfn: a VMA of the unmap walk from {@code first} (+ 1) is VM_PFNMAP. */
    private static boolean zappedPfnmap(Mm mm, long[] s, int first) {
        for (int v = first; v != Mm.NONE; v = mm.nextUnmapped(s, v)) {
            if (mm.vmaPfnmap.get(s, v - 1) == 1) {
                return true;
            }
        }
        return false;
    }
}
