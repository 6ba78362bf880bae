package dev.mmcheck.model.faults;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.ChangeProtection;
import dev.mmcheck.model.versions.Feature;

/**
 * The NUMA hinting fault: a user access that finds a present PROT_NONE PTE (made by
 * change_prot_numa, {@link ChangeProtection#changeProtNuma}) goes __do_page_fault →
 * handle_mm_fault → handle_pte_fault → {@code mm/memory.c:do_numa_page}, under mmap_sem read
 * like every other fault ({@link PageFault}); afterwards the access is retried.
 *
 * <p>v4.12 to v5.12 (restore first):
 * <ol>
 *   <li>{@code pte_same}: take the PTL, re-check the PTE against orig_pte (read without the lock
 *       by handle_pte_fault); changed → unlock, return (somebody else handled or zapped it);</li>
 *   <li>{@code restore}: ptep_modify_prot_start / pte_modify(vm_page_prot) / pte_mkyoung /
 *       ptep_modify_prot_commit, update_mmu_cache (a no-op on x86): the PTE is accessible again;</li>
 *   <li>{@code numa_migrate_prep}: mpol_misplaced picks the target node — a nondeterministic
 *       choice here: stay (target_nid -1) or migrate; then pte_unmap_unlock;</li>
 *   <li>migrate: migrate_misplaced_page, the {@link Migration} procedure (which flushes the now
 *       present PTE, 20841405940e), still under mmap_sem read.</li>
 * </ol>
 *
 * <p>From v5.13 ({@link Feature#NUMA_HINT_DELAYED_MAPPING}, b99a342d4f11) the PTE stays
 * PROT_NONE while the page is migrated: {@code pte_same} (lock kept), {@code numa_migrate_prep}
 * (stay → out_map under the same lock; migrate → unlock), migrate_misplaced_page of the page
 * behind a PROT_NONE PTE (its flush then depends on mm_tlb_flush_pending); if migration failed,
 * re-lock ({@code pte_offset_map_lock}), pte_same again (changed → return), and out_map
 * ({@code restore} and unlock).
 *
 * <p>What the model adds for this: the migration entry ({@code pte.migration[p]}: the PTE is a
 * non-present migration entry, shown as none to the hardware) so that a zap can remove it and
 * remove_migration_pte leaves a zapped PTE alone, and a fault that meets it waits
 * (migration_entry_wait) instead of allocating a new page. All of this exists only in models
 * whose scenario both scans (NUMA_SCAN) and accesses (ACCESS), so every other model keeps its
 * state space.
 *
 * <p>Simplified: vm_flags are not modelled, so vm_page_prot is PROT_RW (no scenario runs
 * change_prot_numa after mprotect); the saved write bit of x86 (pte_savedwrite, ≤v6.1) or the
 * write upgrade of later kernels is folded into that. Task placement, task_numa_fault
 * statistics, THP, the zero page and page references are not modelled; migration fails only
 * when no frame is free or the PTE no longer maps the page (isolate_lru_page failing is not a
 * separate choice: it ends the same way as a lost race, restore after pte_same).
 */
public final class NumaFault {
    public static final String PTE_SAME = "pte_same";
    public static final String PREP = "numa_migrate_prep";
    public static final String STAY = "target_nid_none";
    public static final String MIGRATE = "migrate";
    public static final String ISOLATE_FAILS = "isolate_fails";
    public static final String RESTORE = "ptep_modify_prot_commit";
    public static final String RELOCK = "pte_offset_map_lock";
    /** do_numa_page: the PTL is taken and pte_same checked. */
    public static final StepRef NUMA_PTE_SAME = StepRef.in("do_numa_page", PTE_SAME);
    /** do_numa_page: the page stays (target_nid == NUMA_NO_NODE); drops the PTL. */
    public static final StepRef NUMA_STAY = StepRef.in("do_numa_page", PREP).choice(STAY);
    /** do_numa_page: the page is misplaced; drops the PTL to migrate it. */
    public static final StepRef NUMA_MIGRATE = StepRef.in("do_numa_page", PREP).choice(MIGRATE);
    /** do_numa_page: after a failed migration, the PTL is taken again and pte_same re-checked. */
    public static final StepRef NUMA_RELOCK = StepRef.in("do_numa_page", RELOCK);
    /** do_numa_page: ptep_modify_prot_start/commit, the PTE accessible again (from v5.13 at out_map, then unlocked). */
    public static final StepRef NUMA_RESTORE = StepRef.in("do_numa_page", RESTORE);
    /** do_numa_page: target_nid = numa_migrate_prep(page, vma, ...), mpol_misplaced. */
    public static final StepRef NUMA_MIGRATE_PREP = StepRef.in("do_numa_page", PREP);
    /** do_numa_page (v5.13 to v6.10): the page is misplaced but numamigrate_isolate_page fails. */
    public static final StepRef NUMA_ISOLATE_FAILS = StepRef.in("do_numa_page", PREP).choice(ISOLATE_FAILS);
    /** do_numa_page: migrated = migrate_misplaced_page(page, vma, target_nid). */
    public static final StepRef NUMA_MIGRATE_MISPLACED_PAGE = StepRef.in("do_numa_page", "migrate_misplaced_page");
    /** do_numa_page (to v5.12): task_numa_fault(last_cpupid, page_nid, 1, flags). */
    public static final StepRef NUMA_TASK_NUMA_FAULT = StepRef.in("do_numa_page", "task_numa_fault");
    /** do_numa_page (from v5.13): if (migrated) done, else TNF_MIGRATE_FAIL and re-check. */
    public static final StepRef NUMA_MIGRATE_RESULT = StepRef.in("do_numa_page", "migrate_result");
    public static final String MIGRATION_ENTRY_WAIT = "migration_entry_wait";
    /** do_swap_page: migration_entry_wait(vma->vm_mm, vmf->pmd, vmf->address). */
    public static final StepRef NUMA_MIGRATION_ENTRY_WAIT = StepRef.in("page_fault", MIGRATION_ENTRY_WAIT);
    private static final String MEMORY = "mm/memory.c:";

    private final Kernel k;
    /** pte.migration[p]: PTE p is a migration entry (try_to_unmap under TTU_MIGRATION). */
    public final FieldArray migrationEntry;
    private Procedure doNumaPage;

    /** NUMA hinting faults for {@code k}'s model; made by {@link Kernel} for a model with {@code KernelParts.numaFaults}. */
    public NumaFault(Kernel k) {
        this.k = k;
        this.migrationEntry = k.program.array("pte.migration", k.config.pages(), 0, 1);
        // thread → access → page_fault → do_numa_page → migrate_pages → flush_tlb_mm_range
        k.program.maxCallDepth(5);
    }

    private NumaFault(Kernel k, boolean absent) {
        this.k = k;
        this.migrationEntry = null;
    }

    /** The null object of a model without NUMA hinting faults: no PTE is PROT_NONE for NUMA or a migration entry. */
    public static NumaFault absent(Kernel k) {
        return new NumaFault(k, true);
    }

    /** Has the model NUMA hinting faults? do_numa_page and the migration-entry wait are built only then. */
    public boolean present() {
        return migrationEntry != null;
    }

    /**
     * pte_none(*pte) as the locked re-checks of the fault paths and UFFDIO_COPY read it: no page,
     * and no migration entry (which the model keeps beside a none PTE, and which is not none in
     * the kernel, so the re-check backs out).
     */
    public static boolean pteNone(Kernel k, long[] s, int page) {
        return k.machine.pte.get(s, page) == Machine.NONE && !k.numa.migrating(s, page);
    }

    /** orig_pte of the hinting fault: the frame of the PROT_NONE PTE handle_pte_fault read, or 0. */
    public static Field origPte(Code c, Kernel k) {
        return c.local("numa_orig_pte", 0, k.config.frames());
    }

    /** migrate_misplaced_page's result: 1 when the page was migrated (set by {@link Migration}). */
    static Field migrated(Code c) {
        return c.local("numa_migrated", 0, 1);
    }

    /** Does handle_pte_fault see a present PROT_NONE PTE at {@code page} (pte_protnone)? */
    public boolean protnone(long[] s, int page) {
        Machine m = k.machine;
        return present() && m.pte.get(s, page) != Machine.NONE && m.pteProt.get(s, page) == Machine.PROT_NONE;
    }

    /** Is PTE {@code page} a migration entry? */
    public boolean migrating(long[] s, int page) {
        return present() && migrationEntry.get(s, page) == 1;
    }

    /** The procedure {@code do_numa_page}, built once per model. */
    public Procedure doNumaPage() {
        if (doNumaPage == null) {
            doNumaPage = k.program.procedure("do_numa_page", this::body);
        }
        return doNumaPage;
    }

    /** pte_same(*vmf->pte, vmf->orig_pte): the PTE still maps orig_pte's page, PROT_NONE. */
    private boolean same(long[] s, int page, Field orig) {
        return protnone(s, page) && k.machine.pte.get(s, page) == orig.get(s);
    }

    private void body(Code c) {
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Field orig = origPte(c, k);
        Field migrated = migrated(c);
        Procedure migrate = Migration.procedure(k);
        boolean delayed = k.has(Feature.NUMA_HINT_DELAYED_MAPPING);
        String fn = MEMORY + "do_numa_page";
        boolean ptReclaim = k.has(Feature.PT_RECLAIM);

        // spin_lock(ptl); if (!pte_same(*pte, orig_pte)) { pte_unmap_unlock; goto out; }
        // The PTE pointer (vmf->pte) was computed by handle_pte_fault from the PMD it read then.
        c.await(NUMA_PTE_SAME.label(), k.src(fn + ", pte_lockptr, pte_same"), s -> m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int page = l.page.get(s);
                    l.tableFrame.useTable(s, page); // I7 if the table was freed
                    if (ptReclaim) {
                        // handle_pte_fault mapped the table under rcu_read_lock (v6.14+ in the model):
                        // from here the PTE lock keeps it (a reclaim needs that lock), and a
                        // reclaimed table's PTE is none, so pte_same fails. The kernel holds RCU
                        // to pte_unmap_unlock; ending it here lets other frees come sooner.
                        k.mm.rcuReadUnlock(s, self);
                    }
                    if (same(s, page, orig)) {
                        m.ptl.set(s, cfg.tableOf(page), self + 1);
                    } else {
                        orig.set(s, 0);
                        l.tableFrame.clear(s);
                    }
                })
                .ifGoTo(s -> orig.get(s) == 0, Code.RETURN);

        if (!delayed) {
            // v4.12-v5.12: make it present again first (pte_modify with vma->vm_page_prot,
            // pte_mkyoung, the saved write bit), then decide where the page belongs.
            c.step(NUMA_RESTORE.label(), k.src(fn + ", ptep_modify_prot_start, ptep_modify_prot_commit, update_mmu_cache"),
                    s -> restore(s, l.page.get(s), orig));
        }
        // numa_migrate_prep -> mpol_misplaced: the page's node is fine (-1) or it is misplaced.
        String prep = k.src(fn + ", numa_migrate_prep, mpol_misplaced");
        c.either(NUMA_MIGRATE_PREP.label(), prep);
        if (delayed) {
            // target_nid == NUMA_NO_NODE: goto out_map (restore, pte_unmap_unlock) under the lock.
            // From v6.11 (ee86814b0562) also when migrate_misplaced_folio_prepare cannot isolate
            // the page: the same transition.
            c.or(NUMA_STAY.choice(), k.src(fn + (k.has(Feature.NUMA_ISOLATE_UNDER_PTL)
                            ? ": target_nid == NUMA_NO_NODE or migrate_misplaced_folio_prepare fails, out_map, numa_rebuild_single_mapping, pte_unmap_unlock"
                            : ": out_map, ptep_modify_prot_commit, pte_unmap_unlock")), null,
                    s -> {
                        int page = l.page.get(s);
                        restore(s, page, orig);
                        unlock(s, l, orig, page);
                    }).ret();
        } else {
            c.or(NUMA_STAY.choice(), k.src(fn + ": pte_unmap_unlock, target_nid == -1"), null,
                    s -> unlock(s, l, orig, l.page.get(s))).ret();
        }
        // Misplaced: pte_unmap_unlock, then migrate_misplaced_page (the fault keeps mmap_sem read
        // and a reference to the page). orig_pte is kept for the re-check after a failure.
        c.or(NUMA_MIGRATE.choice(), k.src(fn + ": pte_unmap_unlock, migrate_misplaced_page"), null,
                s -> {
                    m.ptl.set(s, cfg.tableOf(l.page.get(s)), 0);
                    l.tableFrame.clear(s);
                });
        if (delayed && !k.has(Feature.NUMA_ISOLATE_UNDER_PTL)) {
            // migrate_misplaced_page returns 0 at once when numamigrate_isolate_page fails
            // (isolate_lru_page: another thread isolated the page first; or the target node is
            // short of memory): TNF_MIGRATE_FAIL. b99a342d4f11's message names this case: the
            // second of two faulting threads then makes the PTE accessible. Before v5.13 the
            // PTE is already accessible, so failing is the same as staying.
            c.or(NUMA_ISOLATE_FAILS.choice(), k.src(fn + ": pte_unmap_unlock, migrate_misplaced_page, numamigrate_isolate_page fails"), null,
                    s -> {
                        m.ptl.set(s, cfg.tableOf(l.page.get(s)), 0);
                        l.tableFrame.clear(s);
                    }).goTo(NUMA_RELOCK.label());
        }
        c.call(NUMA_MIGRATE_MISPLACED_PAGE.label(), k.src("mm/migrate.c:migrate_misplaced_page"), migrate);
        if (!delayed) {
            c.step(NUMA_TASK_NUMA_FAULT.label(), k.src(fn + ", task_numa_fault"), s -> {
                orig.set(s, 0);
                migrated.set(s, 0);
            }).ret();
            return;
        }
        // Migrated: done (task_numa_fault). Failed: re-lock the PTE and check it again.
        c.step(NUMA_MIGRATE_RESULT.label(), k.src(fn + ", migrate_misplaced_page returns"), s -> {
            if (migrated.get(s) == 1) {
                orig.set(s, 0);
                migrated.set(s, 0);
            }
        }).ifGoTo(s -> orig.get(s) == 0, Code.RETURN);
        // TNF_MIGRATE_FAIL: pte_offset_map_lock (in v6.5+ it fails if the PMD changed: return),
        // then pte_same again (40b760cfd445, v6.11: return at once when it changed).
        c.await(NUMA_RELOCK.label(), k.src(fn + ", pte_offset_map_lock, pte_same"),
                s -> m.pmd.get(s, cfg.tableOf(l.page.get(s))) == Machine.NONE || m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int page = l.page.get(s);
                    int t = cfg.tableOf(page);
                    if (m.pmd.get(s, t) != Machine.NONE && same(s, page, orig)) {
                        m.ptl.set(s, t, self + 1);
                        l.tableFrame.mapTable(s, t);
                    } else {
                        orig.set(s, 0);
                    }
                }).ifGoTo(s -> orig.get(s) == 0, Code.RETURN);
        c.step(NUMA_RESTORE.label(), k.src(fn + ": out_map, ptep_modify_prot_start, ptep_modify_prot_commit, update_mmu_cache, pte_unmap_unlock"),
                s -> {
                    int page = l.page.get(s);
                    restore(s, page, orig);
                    unlock(s, l, orig, page);
                }).ret();
    }

    /**
     * The PTE becomes accessible again: orig_pte's page with the VMA's protection (PROT_RW in the
     * model). The kernel reads the PTE back (ptep_modify_prot_start) and modifies that value;
     * under the pte_same check it is orig_pte, so writing from orig_pte is the same PTE.
     */
    private void restore(long[] s, int page, Field orig) {
        k.machine.pte.set(s, page, orig.get(s));
        k.machine.pteProt.set(s, page, Machine.PROT_RW);
    }

    private void unlock(long[] s, ThreadLocals l, Field orig, int page) {
        k.machine.ptl.set(s, k.config.tableOf(page), 0);
        l.tableFrame.clear(s);
        orig.set(s, 0);
    }

    /**
     * handle_pte_fault → do_swap_page → migration_entry_wait: the PTE is a migration entry; wait
     * until the migration is over (the page is unlocked), return, and let the access retry.
     */
    void migrationEntryWait(Code c, ThreadLocals l) {
        c.await(NUMA_MIGRATION_ENTRY_WAIT.label(), k.src("mm/memory.c:do_swap_page, mm/migrate.c:migration_entry_wait"),
                s -> !migrating(s, l.page.get(s)),
                s -> l.tableFrame.clear(s));
    }
}
