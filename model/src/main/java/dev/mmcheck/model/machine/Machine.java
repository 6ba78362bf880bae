package dev.mmcheck.model.machine;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.mm.PageCache;

/**
 * The hardware state: physical frames, the page tables of the one modelled mm, and per CPU the
 * loaded mm, lazy-TLB mode, mm_cpumask membership, pending flush IPIs, TLB and paging-structure
 * cache.
 *
 * <p>Encodings: a frame pointer is {@code frame + 1}, with {@link #NONE} = 0 for "no frame".
 * Page tables are two levels: {@code pmd[t]} points to the page-table page of table index t
 * (pages t*pagesPerTable ..), and {@code pte[p]} holds the frame page p maps. The top level
 * (PGD/P4D/PUD and the PMD page itself) is never freed in the scenarios and is not modelled.
 * PTEs are kept per virtual page rather than inside the page-table frame: a walk through a
 * page-table page that was freed is already a violation (I1), so what such a page would contain
 * never matters.
 */
public final class Machine {
    public static final int NONE = 0;

    /** frame.kind values. */
    public static final int FREE = 0;
    public static final int ANON = 1;
    public static final int PAGE_TABLE = 2;
    /** A device page mapped by a VM_PFNMAP VMA: no struct page, owned by its driver (model/FileMapping.java). */
    public static final int PFN = 3;
    /**
     * A page-cache page of the one regular file (a struct page): owner is its file index, which
     * is also the virtual page that maps it ({@link PageCache}). Only in models with page-cache
     * file mappings, so that the others keep frame.kind two bits wide.
     */
    public static final int FILE = 4;

    /** cpu.loaded values: which mm's page tables CR3 points to. */
    public static final int INIT_MM = 0;
    public static final int THE_MM = 1;

    public final MachineConfig config;

    /** frame[f].kind: FREE, ANON or PAGE_TABLE. */
    public final FieldArray frameKind;
    /** frame[f].owner: the page (ANON) or table index (PAGE_TABLE) it belongs to; reuse is observable. */
    public final FieldArray frameOwner;

    /** pmd[t]: frame + 1 of the page-table page for table index t, or NONE. */
    public final FieldArray pmd;
    /** pte[p]: frame + 1 mapped at page p, or NONE. Valid only while pmd[tableOf(p)] is set. */
    public final FieldArray pte;
    /** ptl[t]: the split page-table lock of table t: 0 free, else holder thread + 1. */
    public final FieldArray ptl;

    /** cpu[c].loaded: INIT_MM or THE_MM (cpu_tlbstate.loaded_mm / active_mm). */
    public final FieldArray loaded;
    /** cpu[c].lazy: running a kernel thread with the mm still loaded (enter_lazy_tlb). */
    public final FieldArray lazy;
    /** cpu[c] in mm_cpumask(mm). */
    public final FieldArray inCpumask;
    /** cpu[c]: interrupts disabled while it waits (spin_lock_irq); it then cannot take IPIs. */
    public final FieldArray irqsDisabled;
    /**
     * cpu[c]: the pages of the mm that the flush requests queued for CPU c ask it to invalidate
     * (the union of their flush_tlb_info ranges, one bit per page); 0 when no flush IPI is
     * pending. flush_tlb_func has not run for them yet ({@link TlbFlush}).
     */
    public final FieldArray ipiPages;
    /**
     * cpu[c]: inside flush_tlb_func, a lazy CPU has cleared its mm_cpumask bit and not yet loaded
     * init_mm's CR3 (leave_mm in v4.12, switch_mm_irqs_off(NULL, &amp;init_mm) in v4.14-v6.13).
     */
    public final FieldArray leavingMm;
    /** tlb[c * pages + p]: frame + 1 cached for page p on CPU c, or NONE. */
    public final FieldArray tlb;
    /** psc[c * tables + t]: page-table frame + 1 cached (PDE cache) for table t on CPU c, or NONE. */
    public final FieldArray psc;
    /**
     * frame[f].moved_from: page + 1 that mapped the anonymous page before mremap moved it to its
     * owner page (0: never moved). A translation of that old address still reaches the same page,
     * not a freed or reused one, until the frame is freed. Null in models without mremap
     * ({@code KernelParts.moves}), which keep their state vector.
     */
    public final FieldArray frameMovedFrom;
    /**
     * pte.prot[p]: the protection of PTE p ({@link #PROT_RW}, {@link #PROT_READ}, or
     * {@link #PROT_NONE}: a NUMA-hinting PTE, _PAGE_PROTNONE without _PAGE_PRESENT, which the
     * hardware does not walk). Every PTE is PROT_RW unless mprotect or change_prot_numa ran.
     */
    public final FieldArray pteProt;
    /** tlb.ro[c * pages + p]: CPU c's TLB entry for page p is read-only (0 writable; 0 when there is no entry). */
    public final FieldArray tlbReadOnly;

    /** pte.prot values. */
    public static final int PROT_RW = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_NONE = 2;

    /**
     * @param pageCache the model has page-cache pages ({@link #FILE} frames)
     * @param moves     mremap moves anonymous pages ({@link #frameMovedFrom})
     */
    public Machine(Program prog, MachineConfig config, boolean pageCache, boolean moves) {
        this.config = config;
        int f = config.frames();
        int cpus = config.cpus();
        frameKind = prog.array("frame.kind", f, FREE, pageCache ? FILE : PFN);
        frameOwner = prog.array("frame.owner", f, 0, Math.max(config.pages(), config.tables()) - 1);
        pmd = prog.array("pmd", config.tables(), NONE, f);
        pte = prog.array("pte", config.pages(), NONE, f);
        ptl = prog.array("ptl", config.tables(), 0, config.threads());
        loaded = prog.array("cpu.loaded_mm", cpus, INIT_MM, THE_MM);
        lazy = prog.array("cpu.is_lazy", cpus, 0, 1);
        inCpumask = prog.array("cpu.in_mm_cpumask", cpus, 0, 1);
        irqsDisabled = prog.array("cpu.irqs_disabled", cpus, 0, 1);
        ipiPages = prog.array("cpu.flush_ipi_pages", cpus, 0, allPages());
        leavingMm = prog.array("cpu.leaving_mm", cpus, 0, 1);
        tlb = prog.array("tlb", cpus * config.pages(), NONE, f);
        psc = prog.array("psc", cpus * config.tables(), NONE, f);
        pteProt = prog.array("pte.prot", config.pages(), PROT_RW, PROT_NONE);
        tlbReadOnly = prog.array("tlb.ro", cpus * config.pages(), 0, 1);
        frameMovedFrom = moves ? prog.array("frame.moved_from", config.frames(), 0, config.pages()) : null;
    }

    /** Is frame+1 {@code ptr} an anonymous page that mremap moved away from {@code page}? */
    public boolean isMovedFrom(long[] s, int ptr, int page) {
        return frameMovedFrom != null && ptr != NONE && frameKind.get(s, ptr - 1) == ANON
                && frameMovedFrom.get(s, ptr - 1) == page + 1;
    }

    // ---- queries (pure; usable in guards, effects and invariants) ------------------------------

    public int tlb(long[] s, int cpu, int page) {
        return tlb.get(s, cpu * config.pages() + page);
    }

    public void setTlb(long[] s, int cpu, int page, int framePlusOne) {
        tlb.set(s, cpu * config.pages() + page, framePlusOne);
        if (framePlusOne == NONE) {
            tlbReadOnly.set(s, cpu * config.pages() + page, 0);
        }
    }

    /** CPU c's TLB entry for page p is read-only. */
    public boolean tlbReadOnly(long[] s, int cpu, int page) {
        return tlbReadOnly.get(s, cpu * config.pages() + page) == 1;
    }

    /**
     * Fills CPU c's TLB entry for page p from its PTE (frame and write permission), as a page
     * walk does; the caller has checked that the PTE is present and not PROT_NONE.
     */
    public void fillTlb(long[] s, int cpu, int page) {
        tlb.set(s, cpu * config.pages() + page, pte.get(s, page));
        tlbReadOnly.set(s, cpu * config.pages() + page, pteProt.get(s, page) == PROT_READ ? 1 : 0);
    }

    /** True when a walk can use PTE p: present and not PROT_NONE (pte_present for the hardware). */
    public boolean walkable(long[] s, int page) {
        return pte.get(s, page) != NONE && pteProt.get(s, page) != PROT_NONE;
    }

    /** CPU c's TLB entry for page p differs from what a walk of PTE p would give (frame or permission). */
    public boolean tlbDiffers(long[] s, int cpu, int page) {
        return tlb(s, cpu, page) != pte.get(s, page) || tlbReadOnly(s, cpu, page) != (pteProt.get(s, page) == PROT_READ);
    }

    public int psc(long[] s, int cpu, int table) {
        return psc.get(s, cpu * config.tables() + table);
    }

    public void setPsc(long[] s, int cpu, int table, int framePlusOne) {
        psc.set(s, cpu * config.tables() + table, framePlusOne);
    }

    /** True when CPU c can use translations of the mm (its CR3 is the mm's, lazy or not). */
    public boolean usesMm(long[] s, int cpu) {
        return loaded.get(s, cpu) == THE_MM;
    }

    /** True when CPU c runs a thread of the mm (loaded and not lazy). */
    public boolean runsMm(long[] s, int cpu) {
        return loaded.get(s, cpu) == THE_MM && lazy.get(s, cpu) == 0;
    }

    /** Is frame+1 {@code ptr} the anonymous page of {@code page}? */
    public boolean isAnonOf(long[] s, int ptr, int page) {
        int f = ptr - 1;
        return ptr != NONE && frameKind.get(s, f) == ANON && frameOwner.get(s, f) == page;
    }

    /** Is frame+1 {@code ptr} the page-table page of table index {@code table}? */
    public boolean isTableOf(long[] s, int ptr, int table) {
        int f = ptr - 1;
        return ptr != NONE && frameKind.get(s, f) == PAGE_TABLE && frameOwner.get(s, f) == table;
    }

    /** Is frame+1 {@code ptr} the page-cache page of file index {@code page} (not yet freed)? */
    public boolean isFilePageOf(long[] s, int ptr, int page) {
        int f = ptr - 1;
        return ptr != NONE && frameKind.get(s, f) == FILE && frameOwner.get(s, f) == page;
    }

    /** Is frame+1 {@code ptr} a device page still owned by its driver (a VM_PFNMAP target)? */
    public boolean isLivePfn(long[] s, int ptr) {
        return ptr != NONE && frameKind.get(s, ptr - 1) == PFN;
    }

    /** The lowest free frame + 1, or NONE when memory is exhausted (the page allocator). */
    public int firstFreeFrame(long[] s) {
        for (int f = 0; f < config.frames(); f++) {
            if (frameKind.get(s, f) == FREE) {
                return f + 1;
            }
        }
        return NONE;
    }

    /** Allocates frame+1 {@code ptr} as {@code kind} owned by {@code owner}. */
    public void allocate(long[] s, int ptr, int kind, int owner) {
        frameKind.set(s, ptr - 1, kind);
        frameOwner.set(s, ptr - 1, owner);
        if (frameMovedFrom != null) {
            frameMovedFrom.set(s, ptr - 1, 0);
        }
    }

    /** Frees frame+1 {@code ptr} (free_page / free_pages_and_swap_cache). */
    public void free(long[] s, int ptr) {
        frameKind.set(s, ptr - 1, FREE);
        frameOwner.set(s, ptr - 1, 0);
        if (frameMovedFrom != null) {
            frameMovedFrom.set(s, ptr - 1, 0);
        }
    }

    /** Drops every TLB and paging-structure-cache entry of the mm on CPU c (full flush or CR3 switch). */
    public void flushCpu(long[] s, int cpu) {
        flushPages(s, cpu, allPages());
    }

    /**
     * INVLPG of every page in {@code pages} (a bit per page) on CPU c: drops the TLB entries of
     * those pages and, whatever the address, every paging-structure-cache entry of the current
     * PCID (Intel SDM 4.10.4.1: INVLPG "invalidates all entries in the paging-structure caches
     * associated with the current PCID"). With every page set it equals a full flush of the mm.
     */
    public void flushPages(long[] s, int cpu, int pages) {
        for (int p = 0; pages >> p != 0; p++) {
            if ((pages >> p & 1) == 1) {
                setTlb(s, cpu, p, NONE);
            }
        }
        for (int t = 0; t < config.tables(); t++) {
            setPsc(s, cpu, t, NONE);
        }
    }

    /** Every page of the mm as a page set: TLB_FLUSH_ALL (the model's address space is all of it). */
    public int allPages() {
        return (1 << config.pages()) - 1;
    }

    /** A flush IPI is pending on CPU c. */
    public boolean ipiPending(long[] s, int cpu) {
        return ipiPages.get(s, cpu) != 0;
    }

    /** Page address for messages: page 3 is 0x3000. */
    public static String addr(int page) {
        return "0x" + Integer.toHexString(page * 0x1000);
    }
}
