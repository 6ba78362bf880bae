package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

/**
 * mm->tlb_flush_batched as pending and flushed generations, the form of 5ee2fa2f0636 "mm/rmap:
 * fix potential batched TLB flush race" (v5.17; read in the patch as posted, -V3 of 2021-12-01,
 * and in mm/rmap.c of a v6.x tree, where the text is the same apart from atomic_try_cmpxchg):
 * <ul>
 *   <li>set_tlb_ubc_flush_pending (reclaim, under the PTL of the page it unmapped): if the pending
 *       generation is above TLB_FLUSH_BATCH_PENDING_LARGE, reset the word to pending 1, flushed 0
 *       (an atomic_cmpxchg loop), else atomic_inc (pending + 1);</li>
 *   <li>flush_tlb_batched_pending (zap_pte_range, change_pte_range, under their PTL): atomic_read
 *       the word; if pending != flushed, flush_tlb_mm, then atomic_cmpxchg(word, what was read,
 *       pending read | pending read &lt;&lt; TLB_FLUSH_BATCH_FLUSHED_SHIFT): the read pending
 *       generation becomes the flushed one, unless the word changed during the flush (a new
 *       pending generation), in which case it is left alone and the next caller flushes again.</li>
 * </ul>
 * The three parts of the flusher are three atomic steps here (read; the flush_tlb_mm call;
 * cmpxchg), in the kernel's order.
 *
 * <p><b>Abstraction.</b> The kernel keeps 15 bits for each half (pending in bits 0-14, flushed in
 * 16-30; LARGE = 16383). The model keeps each half in {@code [0, large + 1]} with
 * {@code large} at least the number of set_tlb_ubc_flush_pending calls a run can make (the
 * scenario's reclaims plus the initial mark; {@code KernelParts.batchedFlushLarge}; one less would do, since a reset
 * needs pending above LARGE before a call). Flushed never exceeds pending
 * (only the flusher writes flushed, with a pending value it read; only reset lowers pending, and it
 * lowers flushed too), so the only way the word can return to a value a flusher read while a new
 * generation is pending (an ABA that would make its cmpxchg erase the new mark) is a reset
 * followed by pending growing back, which takes more than {@code large} calls. With no more calls
 * than that in a whole run, no reset fires at all and every value is the kernel's own, so the
 * model is exact for its scenarios, as the kernel's 15 bits are for any realistic number of
 * reclaims during one flush_tlb_mm. The reset rule is modelled anyway, in the kernel's form, so
 * that a scenario given a narrower counter shows what the width protects against.
 *
 * <p>The fields exist only in models that have them ({@code KernelParts.batchedFlushLarge}): scenarios with reclaim (or with
 * the initial mark) on a variant with {@link Feature#TLB_FLUSH_BATCHED_GENERATIONS}. Elsewhere
 * the word stays 0 and flush_tlb_batched_pending never flushes, so its read is left out and the
 * state counts of those models are unchanged.
 */
public final class BatchGenerations {
    /** The step of zap_pte_range / change_pte_range / move_ptes that reads the word. */
    public static final String READ = "flush_tlb_batched_pending: atomic_read(tlb_flush_batched)";
    /** The step that records the read pending generation as flushed. */
    public static final String CMPXCHG = "flush_tlb_batched_pending: atomic_cmpxchg(tlb_flush_batched)";
    // read and cmpxchg write the same two labels into each caller's procedure.
    /** flush_tlb_batched_pending's atomic_read as zap_pte_range runs it. */
    public static final StepRef ZAP_READ = StepRef.in("zap_pte_range", READ);
    /** flush_tlb_batched_pending's atomic_cmpxchg as zap_pte_range runs it. */
    public static final StepRef ZAP_CMPXCHG = StepRef.in("zap_pte_range", CMPXCHG);
    /** flush_tlb_batched_pending's atomic_read as change_pte_range (change_protection_range here) runs it. */
    public static final StepRef CHANGE_PROT_READ = StepRef.in("change_protection_range", READ);
    /** flush_tlb_batched_pending's atomic_cmpxchg as change_pte_range runs it. */
    public static final StepRef CHANGE_PROT_CMPXCHG = StepRef.in("change_protection_range", CMPXCHG);
    /** flush_tlb_batched_pending's atomic_read as mremap's move_ptes runs it. */
    public static final StepRef MREMAP_READ = StepRef.in("mremap", READ);
    /** flush_tlb_batched_pending's atomic_cmpxchg as mremap's move_ptes runs it. */
    public static final StepRef MREMAP_CMPXCHG = StepRef.in("mremap", CMPXCHG);

    /** The pending generation (TLB_FLUSH_BATCH_PENDING_MASK bits of the word). */
    public final Field pending;
    /** The flushed generation (the word &gt;&gt; TLB_FLUSH_BATCH_FLUSHED_SHIFT). */
    public final Field flushed;
    /** TLB_FLUSH_BATCH_PENDING_LARGE of the model: a pending generation above it is reset. */
    public final int large;
    private final Kernel k;

    /** The generations of {@code k}'s mm with the given LARGE; made by {@link Kernel} (v5.17+ with reclaim marks). */
    public BatchGenerations(Kernel k, int large) {
        if (large < 1) {
            throw new IllegalArgumentException("tlb_flush_batched: LARGE must be at least 1, not " + large);
        }
        this.k = k;
        this.large = large;
        pending = k.program.field("mm.tlb_flush_batched.pending", 0, large + 1);
        flushed = k.program.field("mm.tlb_flush_batched.flushed", 0, large + 1);
    }

    private BatchGenerations(Kernel k) {
        this.k = k;
        this.large = 0;
        pending = null;
        flushed = null;
    }

    /**
     * The null object: mm-&gt;tlb_flush_batched as the bool of v4.13 to v5.16 ({@code Mm.tlbFlushBatched}),
     * also the model of a v5.17+ variant whose scenario never marks it (the word stays 0).
     */
    public static BatchGenerations absent(Kernel k) {
        return new BatchGenerations(k);
    }

    /** Are the generations modelled? flush_tlb_batched_pending's read and cmpxchg steps are built only then. */
    public boolean present() {
        return pending != null;
    }

    /**
     * set_tlb_ubc_flush_pending's update of the word (mm/rmap.c, v5.17+), as one atomic step
     * with the PTE clear that precedes it under the PTL: the read that chooses between reset and
     * increment, and the cmpxchg retry loop, give the same result as one atomic update as long as
     * only reclaimers change the pending half (a flusher's cmpxchg keeps it).
     */
    public void markPending(long[] s) {
        if (!present()) {
            k.mm.tlbFlushBatched.set(s, 1); // v4.13-v5.16: mm->tlb_flush_batched = true
            return;
        }
        int p = pending.get(s);
        if (p > large) {
            pending.set(s, 1); // atomic_try_cmpxchg(&mm->tlb_flush_batched, &batch, 1)
            flushed.set(s, 0);
        } else {
            pending.set(s, p + 1); // atomic_inc(&mm->tlb_flush_batched)
        }
    }

    /** The initial mark: an earlier reclaim set pending 1 and its own flush is done (flushed 0). */
    public void markInitially(long[] s) {
        if (!present()) {
            k.mm.tlbFlushBatched.set(s, 1);
            return;
        }
        pending.set(s, 1);
        flushed.set(s, 0);
    }

    /** The word as a flusher read it: the thread's local copy of the pending half. */
    public Field readPending(Code c) {
        return c.local("batch_read_pending", 0, large + 1);
    }

    /** The word as a flusher read it: the flushed half. */
    public Field readFlushed(Code c) {
        return c.local("batch_read_flushed", 0, large + 1);
    }

    /**
     * The read step of flush_tlb_batched_pending, added right after the caller's PTL step: reads
     * the word into the thread's locals and continues at {@code flushLabel} when pending !=
     * flushed. When nothing is pending the locals stay 0 (the value is not used again).
     */
    public Code read(Code c, String flushLabel) {
        Field rp = readPending(c);
        Field rf = readFlushed(c);
        return c.step(READ, k.src("mm/rmap.c:flush_tlb_batched_pending, atomic_read"), s -> {
            int p = pending.get(s);
            int f = flushed.get(s);
            if (p != f) {
                rp.set(s, p);
                rf.set(s, f);
            }
        }).ifGoTo(s -> rp.get(s) != rf.get(s), flushLabel);
    }

    /**
     * The cmpxchg step after flush_tlb_mm: if the word still holds what was read, the read pending
     * generation becomes the flushed one (pending | pending &lt;&lt; SHIFT); else a new generation
     * arrived during the flush and the word is left as it is. The locals are cleared.
     */
    public Code cmpxchg(Code c) {
        Field rp = readPending(c);
        Field rf = readFlushed(c);
        return c.step(CMPXCHG, k.src("mm/rmap.c:flush_tlb_batched_pending, atomic_cmpxchg"), s -> {
            int p = rp.get(s);
            if (pending.get(s) == p && flushed.get(s) == rf.get(s)) {
                flushed.set(s, p);
            }
            rp.set(s, 0);
            rf.set(s, 0);
        });
    }
}
