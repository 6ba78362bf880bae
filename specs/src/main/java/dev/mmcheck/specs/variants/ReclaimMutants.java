package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.BatchGenerations;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.Reclaim;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.ChangeProtection;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.ReclaimScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I2;

/**
 * Mutants of v4.13 for reclaim, mprotect and NUMA hinting: one mistake per actor, each caught
 * on a {@link ReclaimScenarios} scenario where v4.13 holds; and mutants of v5.17's
 * tlb_flush_batched generations (5ee2fa2f0636), caught on the lost-mark scenarios where v5.17
 * holds.
 */
public final class ReclaimMutants {
    private ReclaimMutants() {
    }

    public static List<Mutant> all() {
        return List.of(reclaimFreesBeforeFlush(), zapIgnoresBatchedFlush(), mprotectSkipsFlush(), mprotectFlushesFirstPage(), mprotectNoPendingFlag(),
                batchGenStore(), batchGenCurrentPending(), batchGenAlwaysReset());
    }

    private static Variant v5_17(String name, String description) {
        return Variant.of(KernelVersion.V5_17).named(name, description);
    }

    /**
     * flush_tlb_batched_pending stores pending | pending &lt;&lt; SHIFT (what it read) with
     * atomic_set instead of atomic_cmpxchg: a generation that arrived during the flush is erased,
     * which is the bool form's race again.
     */
    public static Mutant batchGenStore() {
        String name = "mutant-batched-gen-store";
        return new Mutant(name, v5_17(name, "flush_tlb_batched_pending writes the generation it read as flushed with a plain store, not a cmpxchg")
                .replaceEffect(BatchGenerations.ZAP_CMPXCHG, "atomic_set instead of atomic_cmpxchg", (k, orig) -> {
                    BatchGenerations gen = k.batchGenerations;
                    Field rp = gen.readPending(k.site());
                    return s -> {
                        int p = rp.get(s);
                        orig.apply(s);
                        gen.pending.set(s, p);
                        gen.flushed.set(s, p);
                    };
                }), ReclaimScenarios::lostBatchedMark2cpu, I2);
    }

    /**
     * flush_tlb_batched_pending records as flushed the pending generation current after its
     * flush, not the one it read before: a reclaim that marked the mm during the flush is taken
     * as flushed.
     */
    public static Mutant batchGenCurrentPending() {
        String name = "mutant-batched-gen-current-pending";
        return new Mutant(name, v5_17(name, "flush_tlb_batched_pending records the pending generation of after its flush as flushed")
                .replaceEffect(BatchGenerations.ZAP_CMPXCHG, "flushed = current pending", (k, orig) -> {
                    BatchGenerations gen = k.batchGenerations;
                    return s -> {
                        orig.apply(s);
                        gen.flushed.set(s, gen.pending.get(s));
                    };
                }), ReclaimScenarios::lostBatchedMark2cpu, I2);
    }

    /**
     * set_tlb_ubc_flush_pending always takes the reset path (pending 1, flushed 0) instead of
     * incrementing: with the word at pending 1, flushed 0 (the initial mark) the reset writes the
     * value a concurrent flusher read, its cmpxchg succeeds and the new mark is lost (the ABA the
     * kernel's increment and 15-bit width rule out).
     */
    public static Mutant batchGenAlwaysReset() {
        String name = "mutant-batched-gen-always-reset";
        return new Mutant(name, v5_17(name, "set_tlb_ubc_flush_pending resets tlb_flush_batched to pending 1, flushed 0 instead of incrementing")
                .replaceEffect(Reclaim.RECLAIM_CLEAR, "always atomic_cmpxchg(batch, 1)", (k, orig) -> {
                    BatchGenerations gen = k.batchGenerations;
                    return s -> {
                        int before = gen.pending.get(s);
                        int flushedBefore = gen.flushed.get(s);
                        orig.apply(s);
                        if (gen.pending.get(s) != before || gen.flushed.get(s) != flushedBefore) {
                            gen.pending.set(s, 1);
                            gen.flushed.set(s, 0);
                        }
                    };
                }), ReclaimScenarios::lostBatchedMark2cpu, I2);
    }

    private static Variant base(String name, String description) {
        return Variants.v4_13().named(name, description);
    }

    /** shrink_page_list frees the page when try_to_unmap returns, before try_to_unmap_flush. */
    static Mutant reclaimFreesBeforeFlush() {
        String name = "mutant-reclaim-free-before-flush";
        return new Mutant(name, base(name, "reclaim frees the page as soon as the PTL is dropped, before try_to_unmap_flush")
                .replaceEffect(Reclaim.RECLAIM_UNLOCK, "free the page before the deferred flush", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    int thread = k.threadOf(k.site().process());
                    return s -> {
                        orig.apply(s);
                        MmuGather.freeBatch(k, l, s, thread);
                    };
                }), ReclaimScenarios::reclaimVsMadvise, I1);
    }

    /** zap_pte_range treats reclaim's deferred flush as done without flushing. */
    static Mutant zapIgnoresBatchedFlush() {
        String name = "mutant-zap-ignores-batched-flush";
        return new Mutant(name, base(name, "zap_pte_range clears mm->tlb_flush_batched without the flush_tlb_mm")
                .replaceEffect(MmuGather.ZAP_PTE_LOCK, "skip flush_tlb_batched_pending", (k, orig) -> s -> {
                    orig.apply(s);
                    k.mm.tlbFlushBatched.set(s, 0);
                }), ReclaimScenarios::reclaimVsMadvise, I2);
    }

    /** change_pte_range does not count the PTEs it changed, so flush_tlb_range is skipped. */
    /**
     * change_protection_range flushes only the first page of its range (flush_tlb_range(vma,
     * start, start + PAGE_SIZE)): the TLB entry for the second page stays writable. A whole-mm
     * flush, as the model had before range flushes, would hide it.
     */
    static Mutant mprotectFlushesFirstPage() {
        String name = "mutant-mprotect-flushes-first-page";
        return new Mutant(name, base(name, "change_protection_range flushes only the first page of the range it changed")
                .replaceEffect(ChangeProtection.RANGE_FLUSH, "end = start + PAGE_SIZE", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        l.flushEnd.set(s, l.flushStart.get(s) + 1);
                    };
                }), ReclaimScenarios::mprotectWithRemoteTlb, I2);
    }

    static Mutant mprotectSkipsFlush() {
        String name = "mutant-mprotect-no-flush";
        return new Mutant(name, base(name, "change_protection_range forgets that it changed PTEs and does not flush")
                .replaceEffect(ChangeProtection.RANGE_MODIFY, "pages stays 0", (k, orig) -> {
                    ChangeProtection.Locals p = ChangeProtection.Locals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        p.changed.set(s, 0);
                    };
                }), ReclaimScenarios::mprotectWithRemoteTlb, I2);
    }

    /** change_protection_range never raises mm->tlb_flush_pending, so migration cannot see the deferred flush. */
    static Mutant mprotectNoPendingFlag() {
        String name = "mutant-change-protection-no-pending";
        return new Mutant(name, base(name, "change_protection_range does not raise mm->tlb_flush_pending around its deferred flush")
                .replaceEffect(ChangeProtection.RANGE_SET_PENDING, "leave tlb_flush_pending alone", (k, orig) -> s -> {
                    int before = k.mm.tlbFlushPending.get(s);
                    orig.apply(s);
                    k.mm.tlbFlushPending.set(s, before);
                })
                .replaceEffect(ChangeProtection.RANGE_CLEAR_PENDING, "leave tlb_flush_pending alone", (k, orig) -> s -> {
                    int before = k.mm.tlbFlushPending.get(s);
                    k.mm.tlbFlushPending.set(s, before + 1); // what the original decrements
                    orig.apply(s);
                    k.mm.tlbFlushPending.set(s, before);
                }), ReclaimScenarios::numaScanVsMigration, I1);
    }
}
