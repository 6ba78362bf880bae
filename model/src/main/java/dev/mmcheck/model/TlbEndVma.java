package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.state.Field;

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
        String check = "tlb_end_vma";
        c.step(check, src, s -> { })
                .ifGoTo(s -> !mm.filesEnabled() || mm.vmaPfnmap.get(s, vma.get(s) - 1) == 0
                        || l.gatherEmpty(s), next);
        c.call("tlb_end_vma: tlb_flush_mmu_tlbonly", src, TlbFlush.of(k).flushTlbMmRange, l::flushGatheredRange);
        String reset = "tlb_end_vma: __tlb_reset_range";
        c.step(reset, src, l::gatherReset);
    }
}
