package dev.mmcheck.model.faults;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.Truncate;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;

/**
 * A write fault on a none PTE of a VM_SHARED file VMA (v4.12 mm/memory.c:handle_pte_fault →
 * do_fault → do_shared_fault; mm/filemap.c:filemap_fault and filemap_page_mkwrite, the
 * generic_file_vm_ops of a filesystem using the page cache), added to the {@code page_fault}
 * procedure of {@link PageFault}, which has taken mmap_sem for read and made sure the page
 * table exists. Steps:
 * <ol>
 *   <li>{@code filemap_fault: find_get_page}: offset &ge; i_size → VM_FAULT_SIGBUS; else look
 *       the page up and take a reference ({@link ThreadLocals#newFrame}).</li>
 *   <li>{@code filemap_fault: lock_page}: sleep until the page lock is free and take it, then
 *       the two re-checks that stop a fault from mapping a truncated page: page-&gt;mapping is
 *       still the file's (truncate clears it under the page lock), and offset &lt; i_size
 *       (truncate_setsize wrote i_size first). Either fails: unlock, put_page, SIGBUS.</li>
 *   <li>{@code do_shared_fault: unlock_page} before page_mkwrite, then
 *       {@code filemap_page_mkwrite: lock_page}: lock again and re-check page-&gt;mapping; a
 *       truncated page gives VM_FAULT_NOPAGE: unlock, put_page, return 0 (the store retries).</li>
 *   <li>{@code finish_fault: pte_offset_map} and {@code alloc_set_pte} under the PTL: if the PTE
 *       is no longer none (another fault won) VM_FAULT_NOPAGE (unlock_page, put_page), else
 *       set_pte_at: the fault's reference becomes the mapping's (page_add_file_rmap).</li>
 *   <li>{@code fault_dirty_shared_page: unlock_page}; up_read.</li>
 * </ol>
 * In v5.x/v6.x the same checks sit in filemap_fault (folio_lock, folio-&gt;mapping, i_size),
 * filemap_page_mkwrite and finish_fault (set_pte_range under the PTL after the pte_none re-check).
 *
 * <p>Simplifications (docs/model-file.md): a page that is not in the cache is not read in
 * (page_cache_read): the scenarios start with every page below i_size cached and the file only
 * shrinks, so a missing page is beyond i_size and the kernel's re-check after reading it would
 * give SIGBUS anyway, leaving an unmapped page beyond EOF that the model omits. lock_page sleeps
 * with mmap_sem held (no VM_FAULT_RETRY from lock_page_or_retry). The page table is allocated
 * before filemap_fault (v4.12 allocates it in alloc_set_pte → pte_alloc_one_map, after it);
 * neither holds a lock across the other. No fault-around, no dirty accounting, no THP.
 */
public final class FileFault {
    /** The first step, where page_fault jumps for a none PTE in a shared file VMA. */
    public static final String DO_FAULT = "filemap_fault: find_get_page";
    /** filemap_fault's lock_page and re-checks (patched by a mutant). */
    public static final String LOCK = "filemap_fault: lock_page";
    /** filemap_page_mkwrite's lock_page and page-&gt;mapping check. */
    public static final String MKWRITE_LOCK = "filemap_page_mkwrite: lock_page";
    /** filemap_fault: lock_page, then the page->mapping re-check. */
    public static final StepRef FAULT_LOCK = StepRef.in("page_fault", LOCK);
    /** filemap_page_mkwrite: lock_page, then the page->mapping re-check. */
    public static final StepRef MKWRITE_LOCKED = StepRef.in("page_fault", MKWRITE_LOCK);
    /** do_fault, do_shared_fault, filemap_fault: find_get_page (filemap_get_folio from v5.17). */
    public static final StepRef FIND_GET_PAGE = StepRef.in("page_fault", DO_FAULT);
    /** do_shared_fault: unlock_page before do_page_mkwrite. */
    public static final StepRef SHARED_FAULT_UNLOCK = StepRef.in("page_fault", "do_shared_fault: unlock_page");
    /** finish_fault: the PTE pointer from the PMD (alloc_set_pte; pte_offset_map_lock from v5.12). */
    public static final StepRef FINISH_FAULT_MAP = StepRef.in("page_fault", "finish_fault: pte_offset_map");
    /** finish_fault: alloc_set_pte (do_set_pte from v5.12) under the PTL. */
    public static final StepRef ALLOC_SET_PTE = StepRef.in("page_fault", "alloc_set_pte");
    /** do_shared_fault, fault_dirty_shared_page: unlock_page after the PTE is set. */
    public static final StepRef DIRTY_SHARED_UNLOCK = StepRef.in("page_fault", "fault_dirty_shared_page: unlock_page");

    private FileFault() {
    }

    /** Adds the steps to the page-fault code {@code c}; they end at {@code upRead}. */
    static void steps(Kernel k, Code c, PageCache pc, String upRead) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        // The page the fault has locked after set_pte_at handed its reference to the mapping.
        Field locked = c.local("locked_page", Machine.NONE, k.config.frames());
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        String filemap = "mm/filemap.c:filemap_fault";
        // Source names by version: v5.12 folded alloc_set_pte into finish_fault/do_set_pte
        // (v5.15 here); v5.17 works on folios in filemap_fault (filemap_get_folio, lock_folio_maybe_drop_mmap).
        boolean folios = Truncate.folios(k);
        boolean v515 = k.variant.base().compareTo(KernelVersion.V5_15) >= 0;
        // v6.14+ (PT_RECLAIM): as do_anonymous_page, rcu_read_lock from the map, and the PMD
        // re-check under the PTE lock; a table gone: finish_fault returns VM_FAULT_NOPAGE.
        boolean ptReclaim = k.has(Feature.PT_RECLAIM);

        c.step(FIND_GET_PAGE.label(), k.src("mm/memory.c:do_fault, do_shared_fault, " + filemap + (folios ? ", filemap_get_folio" : ", find_get_page")),
                s -> {
                    int index = l.page.get(s);
                    l.vma.set(s, Mm.NONE);
                    int page = index < pc.iSize.get(s) ? pc.cache.get(s, index) : Machine.NONE;
                    if (page == Machine.NONE) {
                        l.failed.set(s, 1); // VM_FAULT_SIGBUS (beyond i_size)
                        return;
                    }
                    l.newFrame.set(s, page); // find_get_page: page_cache_get_speculative
                })
                .ifGoTo(s -> l.failed.get(s) == 1, upRead);

        c.await(FAULT_LOCK.label(), k.src(filemap + (folios ? ", lock_folio_maybe_drop_mmap" : v515 ? ", lock_page_maybe_drop_mmap" : ", lock_page_or_retry")), s -> pc.unlocked(s, l.newFrame.get(s)),
                s -> {
                    int page = l.newFrame.get(s);
                    pc.pageLocked.set(s, page - 1, t + 1);
                    // "Did it get truncated?" then the i_size re-check, both under the page lock.
                    if (!pc.inCache(s, page - 1) || l.page.get(s) >= pc.iSize.get(s)) {
                        pc.pageLocked.set(s, page - 1, 0);
                        l.newFrame.clear(s);
                        pc.put(s, page, t);
                        l.failed.set(s, 1); // retry_find finds nothing beyond i_size: VM_FAULT_SIGBUS
                    }
                })
                .ifGoTo(s -> l.failed.get(s) == 1, upRead);

        String unlock = SHARED_FAULT_UNLOCK.label();
        c.step(unlock, k.src("mm/memory.c:do_shared_fault"), s -> pc.pageLocked.set(s, l.newFrame.frame(s), 0));

        c.await(MKWRITE_LOCKED.label(), k.src("mm/memory.c:do_page_mkwrite, mm/filemap.c:filemap_page_mkwrite"),
                s -> pc.unlocked(s, l.newFrame.get(s)),
                s -> {
                    int page = l.newFrame.get(s);
                    pc.pageLocked.set(s, page - 1, t + 1);
                    if (!pc.inCache(s, page - 1)) {
                        // VM_FAULT_NOPAGE: unlock_page; do_shared_fault: put_page, return.
                        pc.pageLocked.set(s, page - 1, 0);
                        l.newFrame.clear(s);
                        pc.put(s, page, t);
                    }
                })
                .ifGoTo(s -> l.newFrame.isNull(s), upRead);

        String map = FINISH_FAULT_MAP.label();
        c.step(map, k.src(v515 ? "mm/memory.c:finish_fault, pte_offset_map_lock" : "mm/memory.c:finish_fault, alloc_set_pte"), s -> {
            l.tableFrame.mapTableOf(s, l.page.get(s));
            if (ptReclaim && !l.tableFrame.isNull(s)) {
                k.mm.rcuReadLock(s, t); // __pte_offset_map, until pte_unmap_unlock
            }
        });

        String set = ALLOC_SET_PTE.label();
        c.await(set, k.src(v515 ? "mm/memory.c:finish_fault, do_set_pte" : "mm/memory.c:alloc_set_pte"),
                s -> ptReclaim && l.tableFrame.isNull(s) || m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int index = l.page.get(s);
                    int page = l.newFrame.get(s);
                    boolean mapped = !ptReclaim || PageFault.pmdSame(k, l, s, index, t);
                    if (ptReclaim && mapped) {
                        k.mm.rcuReadUnlock(s, t); // pte_unmap_unlock
                    }
                    // A freed table is I7 at this use; the write into it is lost (VM_FAULT_NOPAGE's path).
                    if (mapped && l.tableFrame.useTable(s, index) && NumaFault.pteNone(k, s, index)) {
                        // set_pte_at; the reference of find_get_page is now the mapping's. The
                        // page stays locked until fault_dirty_shared_page.
                        m.pte.set(s, index, page);
                        l.tableFrame.clear(s);
                        l.newFrame.clear(s);
                        locked.set(s, page);
                        return;
                    }
                    // !pte_none, or no table (v6.14+): VM_FAULT_NOPAGE; do_shared_fault unlocks and puts the page.
                    l.tableFrame.clear(s);
                    pc.pageLocked.set(s, l.newFrame.frame(s), 0);
                    l.newFrame.clear(s);
                    pc.put(s, page, t);
                })
                .ifGoTo(s -> locked.get(s) == Machine.NONE, upRead);

        String done = DIRTY_SHARED_UNLOCK.label();
        c.step(done, k.src("mm/memory.c:do_shared_fault, fault_dirty_shared_page"), s -> {
            pc.pageLocked.set(s, locked.get(s) - 1, 0);
            locked.set(s, Machine.NONE);
        }).goTo(upRead);
    }
}
