package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.FileFault;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.Truncate;
import dev.mmcheck.specs.scenario.TruncateScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I7;

/**
 * Mutants of the page-cache references that truncate relies on (docs/model-file.md). Each patches
 * v4.20-fixed, which holds on the mutant's scenario, and frees a page-cache page that a
 * reference or the page lock still protects: caught by I1 (a CPU keeps a translation to it) or
 * I7 (the page is put again, or was freed locked).
 */
public final class TruncateMutants {
    private TruncateMutants() {
    }

    public static List<Mutant> all() {
        return List.of(zapPutsFilePageAtOnce(), deleteFromPageCacheFrees(), faultNoRecheckAfterLock());
    }

    /**
     * zap_pte_range drops the mapping's reference on a file page as soon as it clears the PTE
     * (put_page instead of tlb_remove_page): the page cache still holds the page, so nothing is
     * freed yet, but truncate's delete_from_page_cache then drops the last reference while CPU1
     * still caches the translation munmap has not flushed.
     */
    static Mutant zapPutsFilePageAtOnce() {
        StepRef step = MmuGather.ZAP_PTE_CLEAR;
        return new Mutant("mutant-zap-puts-file-page-at-once", Variants.v4_20Fixed().named("mutant-zap-puts-file-page-at-once",
                "zap_pte_range puts a page-cache page when it clears its PTE instead of batching it until after the TLB flush")
                .replaceEffect(step, "put_page at once", (k, orig) -> {
                    MmuGather.Locals g = MmuGather.Locals.of(k.site(), k);
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    int self = k.threadOf(k.site().process());
                    return s -> {
                        int frame = k.machine.pte.get(s, g.zapAddr.get(s));
                        orig.apply(s);
                        if (frame != Machine.NONE && k.machine.frameKind.get(s, frame - 1) == Machine.FILE) {
                            l.gatherFrames.set(s, l.gatherFrames.get(s) & ~(1 << (frame - 1)));
                            l.gatherCount.set(s, l.gatherCount.get(s) - 1);
                            k.pageCache.put(s, frame, self);
                        }
                    };
                }), TruncateScenarios::munmapVsTruncate, I1);
    }

    /**
     * delete_from_page_cache frees the page outright, as if the page cache held the only
     * reference, while madvise's mmu_gather and truncate's own lookup still hold it. Caught when
     * one of them puts the freed page (I7, a double free). No translation to it survives
     * (exhaustively, I1 holds): truncate's first unmap_mapping_range has flushed by then — its
     * gather is nested with madvise's, so it flushes even when madvise cleared the PTE.
     */
    static Mutant deleteFromPageCacheFrees() {
        return new Mutant("mutant-delete-from-page-cache-frees", Variants.v4_20Fixed().named("mutant-delete-from-page-cache-frees",
                "truncate frees the page when it deletes it from the page cache, ignoring the references of mappings and gathers")
                .replaceEffect(Truncate.TRUNCATE_DELETE, "free the page", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int page = l.newFrame.get(s);
                        orig.apply(s);
                        if (k.machine.frameKind.get(s, page - 1) != Machine.FREE) {
                            k.machine.free(s, page);
                        }
                    };
                }), TruncateScenarios::madviseVsTruncate, I7);
    }

    /**
     * filemap_fault does not re-check page->mapping and i_size after lock_page, and
     * filemap_page_mkwrite does not re-check page->mapping: a fault that looked the page up
     * before truncate deleted it maps it anyway, beyond EOF and outside the page cache. Truncate's
     * second unmap_mapping_range zaps that PTE and its gather drops the last reference while the
     * fault still holds the page lock: the page is freed locked (I7), and the fault then unlocks a
     * freed page.
     */
    static Mutant faultNoRecheckAfterLock() {
        Variant v = Variants.v4_20Fixed().named("mutant-fault-no-recheck-after-lock",
                "filemap_fault and filemap_page_mkwrite take the page lock without re-checking page->mapping and i_size");
        for (StepRef step : List.of(FileFault.FAULT_LOCK, FileFault.MKWRITE_LOCKED)) {
            v = v.replaceEffect(step, "lock_page only", (k, orig) -> {
                ThreadLocals l = ThreadLocals.of(k.site(), k);
                int self = k.threadOf(k.site().process());
                return s -> k.pageCache.pageLocked.set(s, l.newFrame.frame(s), self + 1);
            });
        }
        return new Mutant("mutant-fault-no-recheck-after-lock", v, TruncateScenarios::faultVsTruncate, I7);
    }
}
