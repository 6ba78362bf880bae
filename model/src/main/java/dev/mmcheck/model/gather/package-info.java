/**
 * Unmapping and shootdown: the mmu_gather (tlb_gather_mmu, zap_pte_range, free_pgtables,
 * tlb_finish_mmu), flush_tlb_mm_range with its IPIs, tlb_end_vma, the batched-flush generations
 * and reclaim's deferred flush.
 */
package dev.mmcheck.model.gather;
