package dev.mmcheck.model.faults;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.Reclaim;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/**
 * Migration of one anonymous page to a new frame (mm/migrate.c:migrate_pages →
 * unmap_and_move → __unmap_and_move, as NUMA balancing's migrate_misplaced_page and compaction
 * run it), v3.13 to v5.x:
 * <ol>
 *   <li>allocate the new page (new_page_node / alloc_misplaced_dst_page);</li>
 *   <li>try_to_unmap(page, TTU_MIGRATION) → try_to_unmap_one under the PTL: ptep_clear_flush
 *       clears the PTE (it becomes a migration entry) and flushes only if
 *       pte_accessible(mm, pte): the PTE was present, or, with
 *       {@link Feature#MIGRATION_SEES_PENDING_FLUSH} (20841405940e), it was PROT_NONE while
 *       mm_tlb_flush_pending(mm) (arch/x86/include/asm/pgtable.h:pte_accessible); the flush is
 *       a shootdown under the PTL;</li>
 *   <li>from v6.3 ({@link Feature#MIGRATION_BATCHED_FLUSH}) an accessible PTE with another CPU in
 *       mm_cpumask is cleared with ptep_get_and_clear and set_tlb_ubc_flush_pending, as reclaim
 *       does ({@link Reclaim#setTlbUbcFlushPending}), and migrate_pages_batch flushes with
 *       try_to_unmap_flush, no lock held, before the copy;</li>
 *   <li>copy the page (move_to_new_page → migrate_page_copy): a store through a stale TLB entry
 *       to the old page after this point is lost;</li>
 *   <li>remove_migration_ptes under the PTL: the PTE maps the new page with the old protection;</li>
 *   <li>the old page is freed (putback / free of the last reference).</li>
 * </ol>
 * A store that lands in the old page after the copy is lost; in the model it shows as a TLB
 * entry that still translates to the old page when that page is freed (I1).
 *
 * <p>Simplified: the migration entry is modelled as a none PTE, so no scenario may fault on a
 * page while it is migrated (a fault would wait in migration_entry_wait); page locks, LRU
 * isolation and reference counts are not modelled. The old page waits to be freed in the
 * migrating thread's {@link ThreadLocals#gatherFrames} and the new one in
 * {@link ThreadLocals#newFrame}, so that I8 sees both as held.
 */
public final class Migration {
    public static final String ALLOC = "alloc_misplaced_dst_page";
    public static final String LOCK = "page_vma_mapped_walk: pte_offset_map_lock";
    public static final String CLEAR = "ptep_clear_flush";
    public static final String UNLOCK = "page_vma_mapped_walk_done";
    public static final String COPY = "migrate_page_copy";
    public static final String REMAP = "remove_migration_pte";
    public static final String FREE = "putback_lru_page: free the old page";
    /** unmap_and_move: newpage = get_new_page(page, private) (alloc_misplaced_dst_page). */
    public static final StepRef MIGRATE_ALLOC_DST_PAGE = StepRef.in("migrate_pages", ALLOC);
    /** try_to_unmap_one: page_vma_mapped_walk takes the PTL of the page's table. */
    public static final StepRef MIGRATE_WALK_PTE_LOCK = StepRef.in("migrate_pages", LOCK);
    /** try_to_unmap_one: ptep_clear_flush, the PTE becomes a migration entry. */
    public static final StepRef MIGRATE_PTEP_CLEAR_FLUSH = StepRef.in("migrate_pages", CLEAR);
    /** ptep_clear_flush: if (pte_accessible(mm, pte)) flush_tlb_page(vma, address). */
    public static final StepRef MIGRATE_FLUSH_TLB_PAGE = StepRef.in("migrate_pages", "flush_tlb_page");
    /** try_to_unmap_one: page_vma_mapped_walk_done drops the PTL. */
    public static final StepRef MIGRATE_WALK_DONE = StepRef.in("migrate_pages", UNLOCK);
    /** migrate_pages_batch (v6.3+): try_to_unmap_flush before the copy, if (tlb_ubc->flush_required). */
    public static final StepRef MIGRATE_TRY_TO_UNMAP_FLUSH = StepRef.in("migrate_pages", "try_to_unmap_flush");
    /** try_to_unmap_flush: arch_tlbbatch_flush(&tlb_ubc->arch). */
    public static final StepRef MIGRATE_ARCH_TLBBATCH_FLUSH = StepRef.in("migrate_pages", "arch_tlbbatch_flush");
    /** move_to_new_page: migrate_page_copy(newpage, page). */
    public static final StepRef MIGRATE_PAGE_COPY = StepRef.in("migrate_pages", COPY);
    /** remove_migration_ptes → remove_migration_pte: the PTE maps the new page. */
    public static final StepRef MIGRATE_REMOVE_MIGRATION_PTE = StepRef.in("migrate_pages", REMAP);
    /** unmap_and_move: putback_lru_page(page), the old page freed. */
    public static final StepRef MIGRATE_PUTBACK_OLD_PAGE = StepRef.in("migrate_pages", FREE);

    /** The protection of the PTE when it was replaced by the migration entry. */
    static Field oldProt(Code c) {
        return c.local("migrate_oldprot", 0, Machine.PROT_NONE);
    }

    private Migration() {
    }

    /** The one migrate_pages procedure of a model (Op.MIGRATE and do_numa_page share it). */
    private record Shared(Procedure procedure) {
    }

    /** The procedure {@code migrate_pages}: migrates the page mapped at the caller's {@code page}. */
    public static Procedure procedure(Kernel k) {
        return k.shared(Shared.class, k2 -> new Shared(k2.program.procedure("migrate_pages", c -> body(k2, c)))).procedure;
    }

    private static void body(Kernel k, Code c) {
        Machine m = k.machine;
        Mm mm = k.mm;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Field oldProt = oldProt(c);
        TlbFlush flush = TlbFlush.of(k);
        boolean seesPending = k.has(Feature.MIGRATION_SEES_PENDING_FLUSH);
        boolean batched = k.has(Feature.MIGRATION_BATCHED_FLUSH);
        String rmap = "mm/rmap.c:try_to_unmap_one";
        // With the NUMA hinting fault in the model: the page to migrate is the fault's orig_pte
        // (the rmap walk finds only that page), the PTE becomes a migration entry, and the
        // fault learns whether the page was migrated.
        NumaFault numa = k.numa;
        Field target = numa.present() ? NumaFault.origPte(c, k) : null;
        Field migrated = numa.present() ? NumaFault.migrated(c) : null;

        c.step(MIGRATE_ALLOC_DST_PAGE.label(), k.src("mm/migrate.c:unmap_and_move, alloc_misplaced_dst_page"), s -> {
            int f = m.firstFreeFrame(s);
            if (f != Machine.NONE) {
                m.allocate(s, f, Machine.ANON, l.page.get(s));
                l.newFrame.set(s, f);
            }
        }).ifGoTo(s -> l.newFrame.isNull(s), Code.RETURN);

        c.await(MIGRATE_WALK_PTE_LOCK.label(), k.src(rmap + ", page_vma_mapped_walk"),
                s -> {
                    int t = cfg.tableOf(l.page.get(s));
                    return m.pmd.get(s, t) == Machine.NONE || m.ptl.get(s, t) == 0;
                },
                s -> {
                    int page = l.page.get(s);
                    int t = cfg.tableOf(page);
                    if (m.pmd.get(s, t) != Machine.NONE && m.pte.get(s, page) != Machine.NONE
                            && (target == null || target.get(s) == 0 || m.pte.get(s, page) == target.get(s))) {
                        m.ptl.set(s, t, self + 1);
                        l.tableFrame.mapTable(s, t);
                    } else {
                        // Nothing maps the page any more: drop the new page (-EAGAIN path).
                        m.free(s, l.newFrame.get(s));
                        l.newFrame.clear(s);
                    }
                })
                .ifGoTo(s -> l.tableFrame.isNull(s), Code.RETURN);

        // ptep_clear_flush: clear, then flush if pte_accessible. One step under the PTL.
        c.step(MIGRATE_PTEP_CLEAR_FLUSH.label(), k.src("mm/pgtable-generic.c:ptep_clear_flush, arch/x86/include/asm/pgtable.h:pte_accessible"),
                s -> {
                    int page = l.page.get(s);
                    l.tableFrame.useTable(s, page); // ptep_clear_flush through page_vma_mapped_walk's pointer
                    int prot = m.pteProt.get(s, page);
                    int frame = m.pte.get(s, page);
                    oldProt.set(s, prot);
                    m.pte.set(s, page, Machine.NONE);
                    m.pteProt.set(s, page, Machine.PROT_RW);
                    l.gatherFrames.set(s, l.gatherFrames.get(s) | 1 << (frame - 1));
                    l.gatherCount.set(s, l.gatherCount.get(s) + 1);
                    if (numa.present()) {
                        numa.migrationEntry.set(s, page, 1); // make_migration_entry
                        migrated.set(s, target.get(s) != 0 ? 1 : 0);
                    }
                    boolean accessible = prot != Machine.PROT_NONE
                            || seesPending && mm.tlbFlushPending.get(s) > 0;
                    if (accessible && batched && Reclaim.shouldDefer(m, cfg, s, self)) {
                        // v6.3+: ptep_get_and_clear and set_tlb_ubc_flush_pending (which returns
                        // at once for a PTE that is not pte_accessible): the flush waits for
                        // try_to_unmap_flush before the copy.
                        Reclaim.setTlbUbcFlushPending(k, l, s);
                        accessible = false;
                    }
                    l.forceFlush.set(s, accessible ? 1 : 0);
                }).ifGoTo(s -> l.forceFlush.get(s) == 0, MIGRATE_WALK_DONE.label());
        c.call(MIGRATE_FLUSH_TLB_PAGE.label(), k.src("mm/pgtable-generic.c:ptep_clear_flush, flush_tlb_page"), flush.flushTlbMmRange,
                s -> l.flushRange(s, l.page.get(s), l.page.get(s) + 1));
        c.step(MIGRATE_WALK_DONE.label(), k.src(rmap + ", page_vma_mapped_walk_done"), s -> {
            m.ptl.set(s, cfg.tableOf(l.page.get(s)), 0);
            l.tableFrame.clear(s);
            l.forceFlush.set(s, 0);
        });

        if (batched) {
            // migrate_pages_batch: try_to_unmap_flush() once every folio of the batch is unmapped,
            // before any is copied; no lock held.
            c.step(MIGRATE_TRY_TO_UNMAP_FLUSH.label(), k.src("mm/migrate.c:migrate_pages_batch, mm/rmap.c:try_to_unmap_flush"), s -> { })
                    .ifGoTo(s -> l.ubcCpumask.get(s) == 0, MIGRATE_PAGE_COPY.label());
            c.call(MIGRATE_ARCH_TLBBATCH_FLUSH.label(), k.src("mm/rmap.c:try_to_unmap_flush"), flush.archTlbbatchFlush);
        }
        c.step(MIGRATE_PAGE_COPY.label(), k.src("mm/migrate.c:move_to_new_page, migrate_page_copy"), s -> { });

        c.await(MIGRATE_REMOVE_MIGRATION_PTE.label(), k.src("mm/migrate.c:remove_migration_ptes, remove_migration_pte"),
                s -> m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int page = l.page.get(s);
                    if (numa.present() && !numa.migrating(s, page)) {
                        // page_vma_mapped_walk finds no migration entry (zapped meanwhile): the
                        // new page is not mapped and goes with its last reference.
                        m.free(s, l.newFrame.get(s));
                    } else if (numa.present()) {
                        // mk_pte(new, vma->vm_page_prot): the VMA's protection (PROT_RW in the
                        // model), also for a page whose PTE was PROT_NONE.
                        numa.migrationEntry.set(s, page, 0);
                        m.pte.set(s, page, l.newFrame.get(s));
                        m.pteProt.set(s, page, oldProt.get(s) == Machine.PROT_NONE ? Machine.PROT_RW : oldProt.get(s));
                    } else {
                        m.pte.set(s, page, l.newFrame.get(s));
                        m.pteProt.set(s, page, oldProt.get(s));
                    }
                    l.newFrame.clear(s);
                    oldProt.set(s, 0);
                });
        c.step(MIGRATE_PUTBACK_OLD_PAGE.label(), k.src("mm/migrate.c:unmap_and_move, putback_lru_page"), s -> MmuGather.freeBatch(k, l, s, self));
    }
}
