package dev.mmcheck.model.gather;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/**
 * Reclaim of one anonymous page with a batched, deferred TLB flush, as shrink_page_list does it
 * (mm/vmscan.c) through try_to_unmap(page, TTU_BATCH_FLUSH) → try_to_unmap_one (mm/rmap.c),
 * v4.12 to at least v5.4 (SEMANTICS.md 3.6). Run by thread t on CPU t: direct reclaim from
 * an allocation of that thread (kswapd behaves the same). Steps:
 * <ol>
 *   <li>page_vma_mapped_walk takes the PTL of the page's table; if the PTE no longer maps the
 *       page (a zap got there first) nothing is left to do;</li>
 *   <li>under the PTL, should_defer_flush (another CPU is in mm_cpumask): ptep_get_and_clear and
 *       set_tlb_ubc_flush_pending: the CPUs of mm_cpumask join current-&gt;tlb_ubc's cpumask
 *       (arch_tlbbatch_add_mm from v4.13, which from v4.14 also bumps mm-&gt;context.tlb_gen so
 *       that a CPU switching back to the mm flushes), then mm-&gt;tlb_flush_batched = true (from
 *       v5.17 the pending generation is incremented instead, {@link BatchGenerations}); no flush.
 *       Otherwise ptep_clear_flush flushes the page now (flush_tlb_page), still under the PTL.
 *       v5.19 defers only for a page that is not PageAnonExclusive
 *       ({@link Feature#RECLAIM_FLUSHES_EXCLUSIVE_ANON}); the reclaimed anonymous page of a
 *       single-mm model always is, so v5.19 always flushes it now;</li>
 *   <li>the PTL is released;</li>
 *   <li>try_to_unmap_flush (mm/rmap.c, from shrink_page_list before the pages are freed):
 *       the deferred shootdown of everything, with no mm, on the recorded CPUs
 *       ({@link TlbFlush#archTlbbatchFlush});</li>
 *   <li>the page is freed (free_unref_page_list / free_hot_cold_page_list).</li>
 * </ol>
 * Simplified: the anon_vma lock of the rmap walk is not modelled (the scenarios pair reclaim with
 * madvise and mprotect, not with munmap's free_pgtables); the PTE becomes none rather than a swap
 * entry (no swap: the page is treated as clean and discarded), and the page lock, LRU isolation
 * and reference counts are not modelled. The reclaiming thread keeps its tlb_ubc in its
 * mmu_gather locals: the page waiting to be freed in {@link ThreadLocals#gatherFrames} (so I8
 * sees it as batched); its cpumask is {@link ThreadLocals#ubcCpumask} (flush_required while
 * not empty); a thread never reclaims and gathers at the same time.
 */
public final class Reclaim {
    public static final String LOCK = "page_vma_mapped_walk: pte_offset_map_lock";
    public static final String CLEAR = "ptep_get_and_clear, set_tlb_ubc_flush_pending";
    public static final String UNLOCK = "page_vma_mapped_walk_done";
    public static final String FLUSH = "try_to_unmap_flush";
    public static final String FREE = "free_unref_page_list";
    /** try_to_unmap_one: the PTE is cleared and the flush deferred. */
    public static final StepRef RECLAIM_CLEAR = StepRef.in("reclaim", CLEAR);
    /** try_to_unmap_one: page_vma_mapped_walk_done drops the PTL. */
    public static final StepRef RECLAIM_UNLOCK = StepRef.in("reclaim", UNLOCK);
    /** try_to_unmap_one: page_vma_mapped_walk takes the PTL of the page's table. */
    public static final StepRef RECLAIM_WALK_PTE_LOCK = StepRef.in("reclaim", LOCK);
    /** try_to_unmap_one: no flush to defer, ptep_clear_flush flushes the page now (flush_tlb_page). */
    public static final StepRef RECLAIM_PTEP_CLEAR_FLUSH = StepRef.in("reclaim", "ptep_clear_flush");
    /** shrink_page_list: try_to_unmap_flush, if (tlb_ubc->flush_required). */
    public static final StepRef RECLAIM_TRY_TO_UNMAP_FLUSH = StepRef.in("reclaim", FLUSH);
    /** try_to_unmap_flush: arch_tlbbatch_flush(&tlb_ubc->arch). */
    public static final StepRef RECLAIM_ARCH_TLBBATCH_FLUSH = StepRef.in("reclaim", "arch_tlbbatch_flush");
    /** shrink_page_list: free_unref_page_list (free_hot_cold_page_list before v4.15). */
    public static final StepRef RECLAIM_FREE_PAGE_LIST = StepRef.in("reclaim", FREE);

    private Reclaim() {
    }

    /** The procedure {@code reclaim}: reclaims the page mapped at the caller's {@code page}. */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("reclaim", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        Machine m = k.machine;
        Mm mm = k.mm;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        TlbFlush flush = TlbFlush.of(k);
        String rmap = "mm/rmap.c:try_to_unmap_one";
        // v5.19: the page is anonymous and mapped by one mm, so PageAnonExclusive: never deferred.
        boolean exclusiveFlushesNow = k.has(Feature.RECLAIM_FLUSHES_EXCLUSIVE_ANON);

        c.await(RECLAIM_WALK_PTE_LOCK.label(), k.src(rmap + ", page_vma_mapped_walk"),
                s -> {
                    int t = cfg.tableOf(l.page.get(s));
                    return m.pmd.get(s, t) == Machine.NONE || m.ptl.get(s, t) == 0;
                },
                s -> {
                    int page = l.page.get(s);
                    int t = cfg.tableOf(page);
                    if (m.pmd.get(s, t) != Machine.NONE && m.pte.get(s, page) != Machine.NONE) {
                        m.ptl.set(s, t, self + 1);
                        l.tableFrame.mapTable(s, t);
                    }
                })
                .ifGoTo(s -> l.tableFrame.isNull(s), Code.RETURN);

        // One step under the PTL: the PTE clear is what other CPUs' walkers see; the flag and the
        // batch are read only under the PTL or by this thread. The kernel then bumps tlb_gen,
        // reads mm_cpumask and marks mm->tlb_flush_batched; a step of another thread that could
        // run in between (a page walk, switch_mm, or flush_tlb_batched_pending under another
        // table's PTL) touches only one of these, and a CPU joining mm_cpumask reads tlb_gen
        // after it set its bit, so every split order ends as a merged one or with that CPU
        // flushing twice (docs/model.md, "Step granularity").
        c.step(RECLAIM_CLEAR.label(), k.src(rmap + ", should_defer_flush, set_tlb_ubc_flush_pending"), s -> {
            int page = l.page.get(s);
            l.tableFrame.useTable(s, page); // ptep_get_and_clear through page_vma_mapped_walk's pointer
            int frame = m.pte.get(s, page);
            m.pte.set(s, page, Machine.NONE);
            m.pteProt.set(s, page, Machine.PROT_RW);
            l.gatherFrames.set(s, l.gatherFrames.get(s) | 1 << (frame - 1));
            l.gatherCount.set(s, l.gatherCount.get(s) + 1);
            if (!exclusiveFlushesNow && shouldDefer(m, cfg, s, self)) {
                setTlbUbcFlushPending(k, l, s);
            } else {
                l.forceFlush.set(s, 1);
            }
        }).ifGoTo(s -> l.forceFlush.get(s) == 0, RECLAIM_UNLOCK.label());
        c.call(RECLAIM_PTEP_CLEAR_FLUSH.label(), k.src("mm/pgtable-generic.c:ptep_clear_flush, flush_tlb_page"), flush.flushTlbMmRange,
                s -> l.flushRange(s, l.page.get(s), l.page.get(s) + 1));
        c.step(RECLAIM_UNLOCK.label(), k.src(rmap + ", page_vma_mapped_walk_done"), s -> {
            m.ptl.set(s, cfg.tableOf(l.page.get(s)), 0);
            l.tableFrame.clear(s);
            l.forceFlush.set(s, 0);
        });

        c.step(RECLAIM_TRY_TO_UNMAP_FLUSH.label(), k.src("mm/rmap.c:try_to_unmap_flush"), s -> { })
                .ifGoTo(s -> l.ubcCpumask.get(s) == 0, RECLAIM_FREE_PAGE_LIST.label());
        c.call(RECLAIM_ARCH_TLBBATCH_FLUSH.label(), k.src("mm/rmap.c:try_to_unmap_flush"), flush.archTlbbatchFlush);
        c.step(RECLAIM_FREE_PAGE_LIST.label(), k.src("mm/vmscan.c:shrink_page_list, free_hot_cold_page_list"), s -> MmuGather.freeBatch(k, l, s, self));
    }

    /**
     * set_tlb_ubc_flush_pending's batching (mm/rmap.c): arch_tlbbatch_add_mm (add_pending from
     * v6.x) bumps the mm's tlb_gen (v4.14+) and adds mm_cpumask to the thread's tlb_ubc cpumask;
     * then mm->tlb_flush_batched is raised (v5.17+: the pending generation, {@link BatchGenerations}).
     */
    public static void setTlbUbcFlushPending(Kernel k, ThreadLocals l, long[] s) {
        Machine m = k.machine;
        k.contexts.incTlbGen(s);
        int mask = l.ubcCpumask.get(s);
        for (int cpu = 0; cpu < k.config.cpus(); cpu++) {
            mask |= m.inCpumask.get(s, cpu) << cpu;
        }
        l.ubcCpumask.set(s, mask);
        k.batchGenerations.markPending(s); // v5.17+: atomic_inc, or reset when pending is large; before, the bool
    }

    /** should_defer_flush: some CPU other than this one is in mm_cpumask. */
    public static boolean shouldDefer(Machine m, MachineConfig cfg, long[] s, int self) {
        for (int c = 0; c < cfg.cpus(); c++) {
            if (c != self && m.inCpumask.get(s, c) == 1) {
                return true;
            }
        }
        return false;
    }
}
