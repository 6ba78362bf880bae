package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/**
 * tlb_end_vma after unmap_single_vma, from b67fbebd4cf9 ({@link Feature#PFNMAP_FLUSH_IN_TLB_END_VMA},
 * v5.19): when the VMA just zapped is VM_PFNMAP and the gather's range is not empty, flush the TLBs
 * now (tlb_flush_mmu_tlbonly), before free_pgtables unlinks the VMA from the file's i_mmap. A
 * VM_PFNMAP zap batches no pages, so nothing else forces a flush before the unlink, and an rmap
 * walker that no longer finds the VMA would return while stale translations remain
 * (SEMANTICS.md 3.2 steps 4-5). Without the feature no step is added (earlier versions only
 * flush the cache in tlb_end_vma on some architectures, nothing on x86).
 */
public final class TlbEndVma {
    /** Label of the test: the VMA is VM_PFNMAP and the gather's range is not empty. */
    public static final String CHECK = "tlb_end_vma";
    /** Label of the flush (tlb_flush_mmu_tlbonly, a call of flush_tlb_mm_range). */
    public static final String FLUSH = "tlb_end_vma: tlb_flush_mmu_tlbonly";
    /** Label of __tlb_reset_range after the flush. */
    public static final String RESET = "tlb_end_vma: __tlb_reset_range";
    // steps writes the same three labels into each caller's procedure.
    /** munmap, unmap_vmas: tlb_end_vma's VM_PFNMAP test (v5.19+). */
    public static final StepRef MUNMAP_CHECK = StepRef.in("munmap", CHECK);
    /** munmap, unmap_vmas: tlb_end_vma's tlb_flush_mmu_tlbonly (v5.19+). */
    public static final StepRef MUNMAP_FLUSH = StepRef.in("munmap", FLUSH);
    /** munmap, unmap_vmas: tlb_end_vma's __tlb_reset_range (v5.19+). */
    public static final StepRef MUNMAP_RESET = StepRef.in("munmap", RESET);
    /** mremap, do_munmap of the old range (unmap_region): tlb_end_vma's VM_PFNMAP test (v5.19+). */
    public static final StepRef MREMAP_CHECK = StepRef.in("mremap", CHECK);
    /** mremap: tlb_end_vma's tlb_flush_mmu_tlbonly (v5.19+). */
    public static final StepRef MREMAP_FLUSH = StepRef.in("mremap", FLUSH);
    /** mremap: tlb_end_vma's __tlb_reset_range (v5.19+). */
    public static final StepRef MREMAP_RESET = StepRef.in("mremap", RESET);

    private TlbEndVma() {
    }

    /**
     * Adds the steps to {@code c} after its unmap_single_vma call; {@code vma} holds the VMA just
     * zapped (+ 1) and {@code next} is the label of the step that follows.
     */
    public static void steps(Kernel k, Code c, Field vma, String next) {
        if (!k.has(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA)) {
            return;
        }
        Mm mm = k.mm;
        ThreadLocals l = ThreadLocals.of(c, k);
        String src = k.src("include/asm-generic/tlb.h:tlb_end_vma");
        c.step(CHECK, src, s -> { })
                .ifGoTo(s -> !mm.filesEnabled() || mm.vmaPfnmap.get(s, vma.get(s) - 1) == 0
                        || l.gatherEmpty(s), next);
        c.call(FLUSH, src, TlbFlush.of(k).flushTlbMmRange, l::flushGatheredRange);
        c.step(RESET, src, l::gatherReset);
    }
}
