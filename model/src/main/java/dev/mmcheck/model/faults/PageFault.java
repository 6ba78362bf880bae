package dev.mmcheck.model.faults;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.LockVmaUnderRcu;
import dev.mmcheck.model.mm.MapleNodes;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * The x86 user page fault on an anonymous page, v4.12: {@code arch/x86/mm/fault.c:__do_page_fault}
 * down to {@code mm/memory.c:do_anonymous_page} for a write fault at {@link ThreadLocals#page}
 * (SEMANTICS.md §5.1–5.3).
 *
 * <ol>
 *   <li>down_read(mmap_sem); find_vma. No VMA, or a VMA above the page that is not
 *       VM_GROWSDOWN: bad_area (up_read, SIGSEGV: {@link ThreadLocals#failed} = 1).</li>
 *   <li>A VM_GROWSDOWN VMA above the page: expand_stack (expand_downwards), one atomic step
 *       under mmap_sem <em>read</em> and mm->page_table_lock.</li>
 *   <li>handle_pte_fault reads the PMD and the PTE without locks. A present PTE (another thread
 *       or the hardware walk raced us): take the PTE lock, nothing to do.</li>
 *   <li>No page table: __pte_alloc allocates a page-table page with no lock held, then under the
 *       PMD lock populates the PMD if it is still empty, else frees the new page.</li>
 *   <li>do_anonymous_page allocates the data page with no lock held, computes the PTE pointer
 *       (pte_offset_map_lock reads the PMD), then under the PTE lock re-checks pte_none and
 *       installs the PTE, or frees the page if another fault won.</li>
 *   <li>up_read.</li>
 * </ol>
 *
 * <p>Simplifications, each harmless for what the model checks:
 * <ul>
 *   <li>All VMAs are private anonymous and writable: access_error, the zero page (read faults),
 *       THP, swap, NUMA hinting and do_wp_page are not modelled.</li>
 *   <li>VM_FAULT_RETRY comes only from handle_userfault ({@link Userfaultfd}, in models with a
 *       userfaultfd): the fault retries with FAULT_FLAG_TRIED, once before v5.7 and as often as it
 *       userfaults from v5.7 ({@link Feature#FAULT_RETRY_MULTIPLE}); nothing sleeps on a page lock.</li>
 *   <li>VM_FAULT_OOM (no free frame) ends the access with {@code failed} = 1 after up_read; the
 *       kernel would run the OOM killer (pagefault_out_of_memory) and retry the instruction.</li>
 *   <li>The stack guard gap is 1 page against a previous VMA that is not itself VM_GROWSDOWN
 *       (stack_guard_gap, 256 pages by default from v4.12), none against one that is: a stack
 *       never grows to abut a VMA that cannot grow down, and may abut one that can (what
 *       StackRot needs). acct_stack_growth's rlimit checks always pass; mmap_min_addr is not
 *       modelled.</li>
 *   <li>pmd_lock (the split lock of the PMD page on x86_64, ARCH_ENABLE_SPLIT_PMD_PTLOCK) and
 *       mm-&gt;page_table_lock are not in the state: every section they guard here
 *       (pmd_populate, expand_stack's update) is one atomic step that takes and drops the lock,
 *       so a lock field would never be seen held.</li>
 *   <li>The split PTE lock is {@code ptl[table]}, one per table index, rather than a lock inside
 *       each page-table page: a fault that waits on the lock of a table that was freed is caught
 *       when it writes the PTE (I7, {@link Ghost#PTE_IN_FREED_TABLE}).</li>
 * </ul>
 *
 * <p>Locals: {@code vma}, {@code new_frame} and {@code table_frame} are 0 again when the fault
 * returns; {@code failed} is the result.
 */
public final class PageFault {
    private static final String FAULT = "arch/x86/mm/fault.c:__do_page_fault";
    /** The x86 fault handler from v5.8 ({@link Feature#X86_EXC_PAGE_FAULT}). */
    private static final String FAULT_6X = "arch/x86/mm/fault.c:do_user_addr_fault";
    private static final String MEMORY = "mm/memory.c:";

    /** do_anonymous_page: set_pte_at under the PTL. */
    public static final StepRef SET_PTE_AT = StepRef.in("page_fault", "set_pte_at");
    /** __pte_alloc: pmd_populate of a new page table. */
    public static final StepRef PMD_POPULATE = StepRef.in("page_fault", "pmd_populate");
    /** expand_downwards: the stack VMA grows (and is accounted). */
    public static final StepRef EXPAND_STACK = StepRef.in("page_fault", "expand_stack");
    /** expand_downwards: mas_prev starts with mas_walk, which records the tree's node (with {@link MapleNodes}). */
    public static final StepRef EXPAND_MAS_WALK = StepRef.in("page_fault", "expand_downwards: mas_prev: mas_walk");
    /** expand_downwards: mas_prev reads the previous slot of the recorded node (with {@link MapleNodes}). */
    public static final StepRef EXPAND_MAS_PREV = StepRef.in("page_fault", "expand_downwards: mas_prev");
    /** __do_page_fault: down_read(mmap_sem). */
    public static final StepRef DOWN_READ = StepRef.in("page_fault", "down_read");
    /** __do_page_fault: find_vma of the faulting address. */
    public static final StepRef FIND_VMA = StepRef.in("page_fault", "find_vma");
    /** __pte_alloc: pte_alloc_one allocates a page-table page. */
    public static final StepRef PTE_ALLOC_ONE = StepRef.in("page_fault", "pte_alloc_one");
    /** do_anonymous_page: the new page is allocated. */
    public static final StepRef ALLOC_PAGE = StepRef.in("page_fault", "alloc_page");
    /** __do_page_fault: up_read(mmap_sem). */
    public static final StepRef UP_READ = StepRef.in("page_fault", "up_read");
    /** __do_page_fault: bad_area, __bad_area: up_read(mmap_sem) before the SIGSEGV. */
    public static final StepRef BAD_AREA = StepRef.in("page_fault", "bad_area");
    /** handle_pte_fault: the lockless read of the PMD and of the PTE (pte_offset_map). */
    public static final StepRef HANDLE_PTE_FAULT = StepRef.in("page_fault", "handle_pte_fault");
    /** handle_pte_fault: a present PTE, spin_lock(ptl) and pte_same. */
    public static final StepRef PTE_SAME = StepRef.in("page_fault", "pte_same");
    /** do_anonymous_page: pte_offset_map_lock reads the PMD for the PTE pointer. */
    public static final StepRef PTE_OFFSET_MAP = StepRef.in("page_fault", "pte_offset_map");
    /** do_anonymous_page: return handle_userfault(vmf, VM_UFFD_MISSING). */
    public static final StepRef HANDLE_USERFAULT = StepRef.in("page_fault", "handle_userfault");
    /** __do_page_fault: VM_FAULT_RETRY, FAULT_FLAG_TRIED and goto retry. */
    public static final StepRef FAULT_RETRY = StepRef.in("page_fault", "VM_FAULT_RETRY");
    /** handle_pte_fault: return do_numa_page(vmf) for a PROT_NONE PTE. */
    public static final StepRef DO_NUMA_PAGE = StepRef.in("page_fault", "do_numa_page");

    // lock_mm_and_find_vma (Feature.STACK_EXPANSION_WRITE_LOCK: v6.5, 6.1.37), mm/memory.c.
    /** upgrade_mmap_lock_carefully: mmap_read_unlock (x86 has no real upgrade). */
    public static final StepRef STACK_READ_UNLOCK = StepRef.in("page_fault", "lock_mm_and_find_vma: mmap_read_unlock");
    /** upgrade_mmap_lock_carefully: mmap_write_lock_killable. */
    public static final StepRef STACK_WRITE_LOCK = StepRef.in("page_fault", "lock_mm_and_find_vma: mmap_write_lock_killable");
    /** upgrade_mmap_lock_carefully: mmap_write_lock_killable queues as a waiting writer. */
    public static final StepRef STACK_WRITE_LOCK_QUEUE = StepRef.in("page_fault", Rwsem.queueLabel(STACK_WRITE_LOCK.label()));
    /** lock_mm_and_find_vma: find_vma again under the write lock. */
    public static final StepRef STACK_FIND_VMA = StepRef.in("page_fault", "lock_mm_and_find_vma: find_vma");
    /** lock_mm_and_find_vma: expand_stack_locked → expand_downwards under the write lock. */
    public static final StepRef STACK_EXPAND_LOCKED = StepRef.in("page_fault", "expand_stack_locked");
    /** lock_mm_and_find_vma, success: mmap_write_downgrade, and the fault goes on under the read lock. */
    public static final StepRef STACK_DOWNGRADE = StepRef.in("page_fault", "lock_mm_and_find_vma: mmap_write_downgrade");
    /** lock_mm_and_find_vma, fail: mmap_write_unlock, then bad_area_nosemaphore (SIGSEGV). */
    public static final StepRef STACK_WRITE_UNLOCK = StepRef.in("page_fault", "lock_mm_and_find_vma: mmap_write_unlock");
    /** expand_downwards: the guard gap check and anon_vma_prepare, before vma_start_write (v6.4+). */
    public static final StepRef STACK_ANON_VMA_PREPARE = StepRef.in("page_fault", "expand_downwards: anon_vma_prepare");
    /** expand_downwards: vma_start_write(vma) (v6.4+), which waits for the stack VMA's per-VMA readers. */
    public static final StepRef STACK_VMA_START_WRITE = StepRef.in("page_fault", "expand_downwards: vma_start_write");
    /** The down_write of {@link #STACK_VMA_START_WRITE} that waits for the stack VMA's readers. */
    public static final StepRef STACK_VMA_START_WRITE_WAIT = StepRef.in("page_fault", VmaLock.waitLabel(STACK_VMA_START_WRITE.label()));
    /** The same wait from v6.15 (__vma_enter_locked on vm_refcnt). */
    public static final StepRef STACK_VMA_START_WRITE_REFCOUNT_WAIT = StepRef.in("page_fault",
            VmaLock.refcountWaitLabel(STACK_VMA_START_WRITE.label()));

    // The per-VMA-lock attempt of do_user_addr_fault (Feature.PER_VMA_LOCK: v6.4+), mm/memory.c.
    /** lock_vma_under_rcu: rcu_read_lock and mas_walk of the faulting address (also its retry). */
    public static final StepRef MAS_WALK = StepRef.in("page_fault", LockVmaUnderRcu.MAS_WALK);
    /** vma_start_read: the early check, READ_ONCE(vma->vm_lock_seq) == READ_ONCE(mm->mm_lock_seq). */
    public static final StepRef VMA_START_READ = StepRef.in("page_fault", LockVmaUnderRcu.START_READ);
    /** vma_start_read: down_read_trylock(&vma->vm_lock->lock). */
    public static final StepRef VMA_READ_TRYLOCK = StepRef.in("page_fault", LockVmaUnderRcu.TRYLOCK);
    /** vma_start_read from v6.15: __refcount_inc_not_zero_limited_acquire(&vma->vm_refcnt, .., VMA_REF_LIMIT). */
    public static final StepRef VMA_REFCOUNT_INC = StepRef.in("page_fault", LockVmaUnderRcu.REFCOUNT_INC);
    /**
     * vma_start_read's re-check against mm_lock_seq, then lock_vma_under_rcu's anon_vma, address
     * and detached checks; on success rcu_read_unlock and handle_mm_fault with FAULT_FLAG_VMA_LOCK.
     */
    public static final StepRef VMA_LOCK_CHECKS = StepRef.in("page_fault", LockVmaUnderRcu.CHECKS);
    /**
     * The end of a fault from v6.4: vma_end_read for a fault that holds the VMA lock
     * (FAULT_FLAG_VMA_LOCK), else mmap_read_unlock, as do_user_addr_fault does (release_fault_lock).
     */
    public static final StepRef RELEASE_FAULT_LOCK = StepRef.in("page_fault", "release_fault_lock");
    /**
     * vmf_anon_prepare under FAULT_FLAG_VMA_LOCK on a VMA without anon_vma (v6.10+): mmap_read_trylock,
     * __anon_vma_prepare and mmap_read_unlock; or, when the trylock fails, vma_end_read and VM_FAULT_RETRY.
     */
    public static final StepRef ANON_PREPARE = StepRef.in("page_fault", "vmf_anon_prepare: mmap_read_trylock");
    /** do_shared_fault under FAULT_FLAG_VMA_LOCK, v6.4 to v6.6: vma_end_read, return VM_FAULT_RETRY (the fault goes on under mmap_lock). */
    public static final StepRef SHARED_FAULT_RETRY = StepRef.in("page_fault", "do_shared_fault: vma_end_read, VM_FAULT_RETRY");

    private PageFault() {
    }

    /** The x86 fault handler the fault's steps cite: __do_page_fault, or from v5.8 do_user_addr_fault. */
    public static String entry(Kernel k) {
        return k.has(Feature.X86_EXC_PAGE_FAULT) ? "arch/x86/mm/fault.c:exc_page_fault, do_user_addr_fault" : FAULT;
    }

    /** Where find_vma is called: the fault handler, or from v6.5 lock_mm_and_find_vma. */
    private static String findVmaSite(Kernel k) {
        return k.has(Feature.STACK_EXPANSION_WRITE_LOCK) ? MEMORY + "lock_mm_and_find_vma" : handler(k);
    }

    private static String handler(Kernel k) {
        return k.has(Feature.X86_EXC_PAGE_FAULT) ? FAULT_6X : FAULT;
    }

    /** The procedure {@code page_fault}; build it once per kernel. */
    public static Procedure procedure(Kernel k) {
        return k.program.procedure("page_fault", c -> body(k, c));
    }

    private static void body(Kernel k, Code c) {
        int t = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Machine m = k.machine;
        Mm mm = k.mm;
        MachineConfig cfg = k.config;
        // With a userfaultfd in the model: do_anonymous_page may hand the fault to handle_userfault.
        Userfaultfd uffd = k.userfaultfd;
        boolean perVma = mm.perVmaLocks();
        // v6.14+ (PT_RECLAIM): a MADV_DONTNEED may clear the PMD and free the table (after an RCU
        // grace period) while the fault holds the pointer pte_offset_map gave it under
        // rcu_read_lock: the fault holds RCU from the map to the unlock, and under the PTE lock
        // pte_offset_map_lock re-checks the PMD. (The re-check exists from v6.5; before v6.14 no
        // modelled writer clears a PMD under a fault that mapped it, so the model has it from there.)
        boolean ptReclaim = k.has(Feature.PT_RECLAIM);
        // 1: handle_userfault is called under mmap_lock; 2: under the VMA lock (v6.6+).
        Field userfault = uffd.present() ? c.local("userfault", 0, perVma ? 2 : 1) : null;
        Field tried = uffd.present() ? Userfaultfd.tried(c, k) : null;
        // With NUMA hinting in the model: a PROT_NONE PTE goes to do_numa_page, a migration
        // entry to migration_entry_wait (handle_pte_fault, SEMANTICS.md 5.2 step 3).
        NumaFault numa = k.numa;
        Field numaOrig = numa.present() ? NumaFault.origPte(c, k) : null;
        PageCache pc = k.pageCache;
        // The fault's end: from v6.4 it releases whichever lock the fault holds.
        String end = perVma ? RELEASE_FAULT_LOCK.label() : UP_READ.label();

        // v6.4 to v6.6: a shared file fault gives the VMA lock back (VM_FAULT_RETRY); from v6.7
        // it runs under it (FileFault's steps end at `end`, which releases whichever lock).
        boolean fileRetry = perVma && pc.present() && !k.has(Feature.FILE_FAULTS_UNDER_VMA_LOCK);
        if (perVma) {
            // do_user_addr_fault (arch/x86/mm/fault.c, v6.6.9 1353-1381): lock_vma_under_rcu first;
            // success goes on at handle_pte_fault holding only the VMA's read lock, failure falls
            // back to mmap_lock at DOWN_READ (the lock_mm_and_find_vma path).
            LockVmaUnderRcu.steps(k, c, l, t, DOWN_READ.label(), HANDLE_PTE_FAULT.label());
            if (fileRetry) {
                sharedFaultRetry(k, c, l, t);
            }
        }
        Rwsem.downRead(k, c, t, DOWN_READ.label());

        // vma = find_vma(mm, address): no VMA, or one above us that cannot grow down -> bad_area.
        c.step(FIND_VMA.label(), k.src(findVmaSite(k) + ", " + FindVma.source(k)), s -> findVma(k, l, t, s))
                .ifGoTo(s -> l.failed.get(s) == 1, BAD_AREA.label())
                .ifGoTo(s -> mm.vmaStart.get(s, l.vma.slot(s)) <= l.page.get(s), HANDLE_PTE_FAULT.label());

        boolean stackUnderWriteLock = k.has(Feature.STACK_EXPANSION_WRITE_LOCK);
        if (stackUnderWriteLock) {
            c.goTo(STACK_READ_UNLOCK.label()); // lock_mm_and_find_vma: the stack grows under the write lock
        } else {
            MapleNodes nodes = k.mapleNodes;
            if (nodes.present()) {
                // expand_downwards: prev = mas_prev(&mas, 0) for the guard gap check, a walk and a
                // read of the node outside RCU (a second reader of the stack's node rewrite). The guard gap check
                // itself stays in expand_stack: prev->vm_end cannot change under the read lock.
                c.step(EXPAND_MAS_WALK.label(), k.src("mm/mmap.c:expand_downwards, lib/maple_tree.c:mas_prev, mas_walk"),
                        s -> nodes.walk(s, t));
                c.step(EXPAND_MAS_PREV.label(), k.src("mm/mmap.c:expand_downwards, lib/maple_tree.c:mas_prev_entry"),
                        s -> nodes.read(s, t));
            }
            // expand_stack -> expand_downwards under mmap_sem read; mm->page_table_lock serialises
            // concurrent expanders, so taking, updating and releasing it is one step.
            c.step(EXPAND_STACK.label(), k.src("mm/mmap.c:expand_downwards"), s -> expandDownwards(mm, nodes, l, s))
                    .ifGoTo(s -> l.failed.get(s) == 1, BAD_AREA.label());
        }

        // handle_pte_fault: lockless look at the PMD and the PTE (pte_offset_map keeps the pointer).
        c.step(HANDLE_PTE_FAULT.label(), k.src(MEMORY + "handle_pte_fault"), s -> {
            int page = l.page.get(s);
            int pmd = m.pmd.get(s, cfg.tableOf(page));
            if (pmd != Machine.NONE && m.pte.get(s, page) != Machine.NONE) {
                l.tableFrame.set(s, pmd);
                if (numa.protnone(s, page)) {
                    numaOrig.set(s, m.pte.get(s, page)); // vmf->orig_pte, pte_protnone
                }
                if (ptReclaim) {
                    mm.rcuReadLock(s, t); // pte_offset_map_rw_nolock, until pte_same (or do_numa_page's)
                }
            }
        });
        if (fileRetry) {
            // do_fault -> do_shared_fault under FAULT_FLAG_VMA_LOCK: vma_end_read, VM_FAULT_RETRY,
            // before anything is allocated (v6.6.9 mm/memory.c:4633).
            c.ifGoTo(s -> mm.faultVmaLocked.get(s, t) != Mm.NONE && l.tableFrame.isNull(s) && pc.isFileVma(s, l.vma.get(s)),
                    SHARED_FAULT_RETRY.label());
        }
        c.ifGoTo(s -> m.pmd.get(s, cfg.tableOf(l.page.get(s))) == Machine.NONE, PTE_ALLOC_ONE.label());
        if (numa.present()) {
            c.ifGoTo(s -> numaOrig.get(s) != 0, DO_NUMA_PAGE.label())
                    .ifGoTo(s -> l.tableFrame.isNull(s) && numa.migrating(s, l.page.get(s)),
                            NumaFault.MIGRATION_ENTRY_WAIT);
        }
        // With page-cache file mappings: a none PTE in a shared file VMA goes to do_fault.
        if (pc.present()) {
            c.ifGoTo(s -> l.tableFrame.isNull(s) && pc.isFileVma(s, l.vma.get(s)), FileFault.FIND_GET_PAGE.label());
        }
        // v6.10+: under the VMA lock a VMA without anon_vma goes through vmf_anon_prepare first.
        boolean anonPrepare = perVma && k.has(Feature.DELAYED_ANON_VMA_CHECK);
        Guard needsAnonVma = s -> mm.faultVmaLocked.get(s, t) != Mm.NONE && mm.vmaAnonVma.get(s, l.vma.slot(s)) == 0;
        if (anonPrepare) {
            c.ifGoTo(s -> l.tableFrame.isNull(s) && needsAnonVma.test(s), ANON_PREPARE.label());
        }
        c.ifGoTo(s -> l.tableFrame.isNull(s), ALLOC_PAGE.label());

        // The PTE is present: spin_lock(ptl); pte_same; set young/dirty; unlock. Nothing changes.
        c.await(PTE_SAME.label(), k.src(MEMORY + "handle_pte_fault"), s -> m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int page = l.page.get(s);
                    // I7 if the table was freed. From v6.14 a reclaimed table's PTE is none, so
                    // pte_same fails and the fault returns: no PMD re-check is needed here.
                    l.tableFrame.useTable(s, page);
                    l.tableFrame.clear(s);
                    l.vma.set(s, Mm.NONE);
                    if (ptReclaim) {
                        mm.rcuReadUnlock(s, t); // pte_unmap_unlock
                    }
                })
                .goTo(end);

        // __pte_alloc: pte_alloc_one, no lock held (it may sleep). No frame: VM_FAULT_OOM.
        c.step(PTE_ALLOC_ONE.label(), k.src(MEMORY + "__pte_alloc"), s -> {
            int f = m.firstFreeFrame(s);
            if (f == Machine.NONE) {
                l.failed.set(s, 1);
                l.vma.set(s, Mm.NONE);
                return;
            }
            m.allocate(s, f, Machine.PAGE_TABLE, cfg.tableOf(l.page.get(s)));
            l.newFrame.set(s, f);
        })
                .ifGoTo(s -> l.failed.get(s) == 1, end);

        // pmd_lock; if (pmd_none) pmd_populate else pte_free. A fresh page table is zeroed.
        c.step(PMD_POPULATE.label(), k.src(MEMORY + "__pte_alloc"),
                s -> {
                    int table = cfg.tableOf(l.page.get(s));
                    int f = l.newFrame.get(s);
                    if (m.pmd.get(s, table) == Machine.NONE) {
                        m.pmd.set(s, table, f);
                        for (int p = table * cfg.pagesPerTable(); p < (table + 1) * cfg.pagesPerTable(); p++) {
                            m.pte.set(s, p, Machine.NONE);
                        }
                    } else {
                        m.free(s, f); // another fault populated it first
                    }
                    l.newFrame.clear(s);
                });
        if (pc.present()) {
            c.ifGoTo(s -> pc.isFileVma(s, l.vma.get(s)), FileFault.FIND_GET_PAGE.label());
        }
        if (anonPrepare) {
            c.ifGoTo(s -> !needsAnonVma.test(s), ALLOC_PAGE.label());
            anonPrepare(k, c, l, t);
        }

        // do_anonymous_page: alloc_zeroed_user_highpage_movable, no lock held. No frame: OOM.
        // From v6.4 the step also shows anon_vma_prepare, which comes first: under the VMA lock
        // the VMA has an anon_vma already (lock_vma_under_rcu refused it otherwise, and from
        // v6.10 vmf_anon_prepare set it up); under mmap_lock read it sets vma->anon_vma, which
        // only lock_vma_under_rcu (to v6.9) and vmf_anon_prepare read, and the allocation in
        // between touches only the free frames, so merging the two is invisible.
        c.step(ALLOC_PAGE.label(), k.src(MEMORY + "do_anonymous_page"), s -> {
            if (perVma) {
                mm.vmaAnonVma.set(s, l.vma.deref(s), 1);
            }
            int f = m.firstFreeFrame(s);
            if (f == Machine.NONE) {
                l.failed.set(s, 1);
                l.vma.set(s, Mm.NONE);
                return;
            }
            m.allocate(s, f, Machine.ANON, l.page.get(s));
            l.newFrame.set(s, f);
        })
                .ifGoTo(s -> l.failed.get(s) == 1, end);

        // pte_offset_map_lock, first half: the PTE pointer comes from the PMD read now; the lock
        // lives in that page-table page and is taken next.
        c.step(PTE_OFFSET_MAP.label(), k.src(MEMORY + "do_anonymous_page"), s -> {
            l.tableFrame.mapTableOf(s, l.page.get(s));
            if (ptReclaim && !l.tableFrame.isNull(s)) {
                mm.rcuReadLock(s, t); // __pte_offset_map: rcu_read_lock, until pte_unmap_unlock
            }
        });

        // Under the PTE lock: if (!pte_none(*pte)) release the page; else set_pte_at. From v6.14
        // the map may have found the PMD none (a reclaimed table): pte_offset_map_lock returns
        // NULL without locking, and the fault releases its page (goto release) and returns.
        c.await(SET_PTE_AT.label(), k.src(MEMORY + "do_anonymous_page"),
                s -> ptReclaim && l.tableFrame.isNull(s) || m.ptl.get(s, cfg.tableOf(l.page.get(s))) == 0,
                s -> {
                    int page = l.page.get(s);
                    int vma = l.vma.deref(s) + 1; // page_add_new_anon_rmap(page, vma, ...)
                    l.vma.set(s, Mm.NONE);
                    if (ptReclaim && !pmdSame(k, l, s, page, t)) {
                        m.free(s, l.newFrame.get(s)); // release: folio_put
                        l.newFrame.clear(s);
                        return;
                    }
                    if (ptReclaim) {
                        mm.rcuReadUnlock(s, t); // pte_unmap_unlock
                    }
                    if (!l.tableFrame.useTable(s, page)) {
                        // The kernel writes into a freed page table; the page goes with it.
                        l.tableFrame.clear(s);
                        return;
                    }
                    if (!NumaFault.pteNone(k, s, page)) {
                        m.free(s, l.newFrame.get(s)); // another fault won the race
                    } else if (uffd.missing(s, vma)) {
                        // userfaultfd_missing(vma): unlock, release the page, handle_userfault.
                        m.free(s, l.newFrame.get(s));
                        userfault.set(s, perVma && mm.faultVmaLocked.get(s, t) != Mm.NONE ? 2 : 1);
                    } else {
                        m.pte.set(s, page, l.newFrame.get(s));
                    }
                    l.newFrame.clear(s);
                    l.tableFrame.clear(s);
                });
        if (uffd.present()) {
            c.ifGoTo(s -> userfault.get(s) != 0, HANDLE_USERFAULT.label());
        }

        if (perVma) {
            releaseFaultLock(k, c, l, t);
        } else {
            Rwsem.upRead(k, c, t, UP_READ.label()).ret();
        }

        // __bad_area: up_read, then SIGSEGV (failed was set by the step that jumped here).
        // bad_area returns; every step below is reached only by a jump.
        Rwsem.upRead(k, c, t, BAD_AREA.label()).ret();
        if (uffd.present()) {
            // do_anonymous_page returns handle_userfault(vmf, VM_UFFD_MISSING) (SEMANTICS.md 5.2, 6.2).
            c.call(HANDLE_USERFAULT.label(), k.src(MEMORY + "do_anonymous_page"), uffd.handleUserfault);
            // VM_FAULT_RETRY: mmap_sem was released; set FAULT_FLAG_TRIED (before v5.7 also clear
            // ALLOW_RETRY, which only the tried flag records) and goto retry (down_read, a new
            // find_vma). VM_FAULT_SIGBUS: up_read, then the signal. Under the VMA lock (v6.6+) the
            // lock was released and the fault goes on at lock_mmap without FAULT_FLAG_TRIED
            // (handle_userfault's VM_FAULT_RETRY has no VM_FAULT_MAJOR).
            String retry = FAULT_RETRY.label();
            c.step(retry, k.src(handler(k)), s -> {
                if (tried != null && l.failed.get(s) == 0 && userfault.get(s) == 1) {
                    tried.set(s, 1);
                }
                userfault.set(s, 0);
            }).ifGoTo(s -> l.failed.get(s) == 1, BAD_AREA.label()).goTo(DOWN_READ.label());
        }
        if (numa.present()) {
            // handle_pte_fault: if (pte_protnone(vmf->orig_pte) && vma_is_accessible(vma))
            // return do_numa_page(vmf); then up_read, and the access is retried.
            // From v6.4 both run to the end under the VMA lock when the fault holds it (6.6.9,
            // 6.12.0, 6.18.2: no FAULT_FLAG_VMA_LOCK test in do_numa_page nor on do_swap_page's
            // migration-entry path), and the fault ends with release_fault_lock
            // (docs/research/v6.x-numa-migration-under-vma-lock.md).
            c.call(DO_NUMA_PAGE.label(), k.src(MEMORY + "handle_pte_fault"), numa.doNumaPage(), s -> l.vma.set(s, Mm.NONE))
                    .goTo(end);
            numa.migrationEntryWait(c, l);
            c.goTo(end);
        }
        if (pc.present()) {
            FileFault.steps(k, c, pc, end); // from v6.4 the end releases whichever lock the fault holds
        }
        if (stackUnderWriteLock) {
            lockMmAndExpand(k, c, l, t);
        }
    }

    /**
     * pte_offset_map_lock's re-check (v6.14+ in the model), after the PTE lock of the table the
     * fault mapped (the lock lives in that page: I7 if it was freed, which RCU prevents): the PMD
     * still points to it, or the map starts over from the PMD, which now points to another table
     * (the fault goes on with it) or to none (NULL: false, with the pointer and RCU let go); a
     * map that found no table returned NULL at once (false).
     */
    static boolean pmdSame(Kernel k, ThreadLocals l, long[] s, int page, int t) {
        if (l.tableFrame.isNull(s)) {
            return false; // the map found no table: NULL at once, no lock taken
        }
        int now = k.machine.pmd.get(s, k.config.tableOf(page));
        if (l.tableFrame.get(s) == now) {
            return true;
        }
        l.tableFrame.useTable(s, page); // spin_lock(ptl) in the old table, then pmd_same fails
        if (now == Machine.NONE) {
            l.tableFrame.clear(s);
            k.mm.rcuReadUnlock(s, t); // pte_unmap: the retried map finds no table
            return false;
        }
        l.tableFrame.set(s, now);
        return true;
    }

    /**
     * vmf_anon_prepare (v6.12.0 mm/memory.c:3296 __vmf_anon_prepare, mm/internal.h:369) in
     * do_anonymous_page under the VMA lock, on a VMA without anon_vma: mmap_read_trylock, which
     * fails while a writer holds or waits for mmap_lock; on success __anon_vma_prepare and
     * mmap_read_unlock, and the fault goes on; on failure vma_end_read and VM_FAULT_RETRY, and
     * do_user_addr_fault retries under mmap_lock (lock_mm_and_find_vma at {@link #DOWN_READ}).
     * One step: holding mmap_lock for read here only keeps writers out, and what it guards,
     * vma->anon_vma, is read by nobody else in between.
     */
    private static void anonPrepare(Kernel k, Code c, ThreadLocals l, int t) {
        Mm mm = k.mm;
        c.step(ANON_PREPARE.label(), k.src(MEMORY + "__vmf_anon_prepare, mm/internal.h:vmf_anon_prepare"), s -> {
            int v = l.vma.deref(s);
            if (Rwsem.readerMayEnter(mm, s)) {
                mm.vmaAnonVma.set(s, v, 1); // trylock, __anon_vma_prepare, mmap_read_unlock
                return;
            }
            VmaLock.endHeldRead(k, s, t);
            l.vma.set(s, Mm.NONE);
        }).ifGoTo(s -> l.vma.get(s) == Mm.NONE, DOWN_READ.label());
    }

    /**
     * A write fault on a none PTE of a shared file VMA under the VMA lock (v6.6.9 mm/memory.c:
     * do_fault → do_shared_fault): vma_end_read and VM_FAULT_RETRY at once; do_user_addr_fault
     * then retries under mmap_lock (lock_mm_and_find_vma), where {@link FileFault} runs. Placed
     * after lock_vma_under_rcu, it falls through to {@link #DOWN_READ}.
     */
    private static void sharedFaultRetry(Kernel k, Code c, ThreadLocals l, int t) {
        Mm mm = k.mm;
        c.step(SHARED_FAULT_RETRY.label(), k.src(MEMORY + "do_shared_fault, " + VmaLock.MM_H + "vma_end_read; " + FAULT_6X), s -> {
            VmaLock.endHeldRead(k, s, t);
            l.vma.set(s, Mm.NONE);
        });
    }

    /**
     * The end of the fault from v6.4 (arch/x86/mm/fault.c, v6.6.9 do_user_addr_fault): a fault
     * that ran under the VMA lock ends with vma_end_read (inside rcu_read_lock, which the model
     * needs no step for: the read lock alone keeps the VMA), one under mmap_lock with
     * mmap_read_unlock.
     */
    private static void releaseFaultLock(Kernel k, Code c, ThreadLocals l, int t) {
        Mm mm = k.mm;
        c.step(RELEASE_FAULT_LOCK.label(), k.src(FAULT_6X + ", " + VmaLock.MM_H + "vma_end_read"), s -> {
            int v = mm.faultVmaLocked.get(s, t);
            if (v == Mm.NONE) {
                Rwsem.releaseRead(k, s, t);
                return;
            }
            VmaLock.endHeldRead(k, s, t);
            l.vma.set(s, Mm.NONE);
        }).ret();
    }

    /**
     * vma = find_vma(mm, address): {@code failed} when there is none, or the one above the page
     * cannot grow down (bad_area); else {@code vma} (a stale pointer of an earlier lookup is dropped).
     */
    private static void findVma(Kernel k, ThreadLocals l, int t, long[] s) {
        Mm mm = k.mm;
        int page = l.page.get(s);
        int v = FindVma.find(k, s, t, page);
        if (v == Mm.NONE || (mm.vmStart(s, v) > page && mm.vmaGrowsDown.get(s, v - 1) == 0)) {
            l.failed.set(s, 1);
            l.vma.set(s, Mm.NONE);
        } else {
            l.vma.set(s, v);
        }
    }

    /**
     * expand_downwards of the VMA {@code vma} down to the faulting page: nothing if somebody else
     * expanded it already; -ENOMEM (failed, bad_area) if the VMA below ends above the page, or
     * would be closer than the guard gap and is not itself VM_GROWSDOWN; else locked_vm += the
     * growth of a VM_LOCKED stack and vm_start = page. With {@link MapleNodes}, a growth that
     * removes the gap below (the stack now abuts prev) rewrites the tree's node.
     */
    private static void expandDownwards(Mm mm, MapleNodes nodes, ThreadLocals l, long[] s) {
        int v = l.vma.deref(s);
        int page = l.page.get(s);
        int start = mm.vmaStart.get(s, v);
        if (page >= start) {
            return; // somebody else expanded it already
        }
        int prev = mm.prevInTree(s, v);
        if (prev != Mm.NONE && page - mm.vmEnd(s, prev) < guardGap(mm, prev, s)) {
            l.failed.set(s, 1); // -ENOMEM, bad_area
            l.vma.set(s, Mm.NONE);
            return;
        }
        if (mm.vmaLocked.get(s, v) == 1) {
            mm.lockedVm.set(s, mm.lockedVm.get(s) + (start - page));
        }
        mm.vmaStart.set(s, v, page);
        if (nodes.present() && prev != Mm.NONE && mm.vmEnd(s, prev) == page) {
            nodes.rewrite(s); // vma_mas_store overwrote the whole NULL range: mas_wr_node_store
        }
    }

    /**
     * stack_guard_gap in pages against {@code prev}: none next to another VM_GROWSDOWN VMA, else
     * 1 page here (256 by default in the kernel, whose address space is larger than the model's):
     * a stack never grows to abut a VMA that cannot grow down.
     */
    private static int guardGap(Mm mm, int prev, long[] s) {
        return mm.vmaGrowsDown.get(s, prev - 1) == 1 ? 0 : 1;
    }

    /**
     * The stack part of lock_mm_and_find_vma (mm/memory.c, v6.6.9 5309-5423; 6.1.37 by backport),
     * reached by a jump from find_vma when the page is below a VM_GROWSDOWN VMA: drop the read
     * lock, take the write lock (mmap_upgrade_trylock always fails), find the VMA again; it may be
     * gone or have grown meanwhile; expand_stack_locked; then mmap_write_downgrade and the fault
     * goes on at handle_pte_fault under the read lock, or on failure mmap_write_unlock and
     * bad_area_nosemaphore (SIGSEGV).
     */
    private static void lockMmAndExpand(Kernel k, Code c, ThreadLocals l, int t) {
        Mm mm = k.mm;
        Rwsem.upRead(k, c, t, STACK_READ_UNLOCK.label());
        Rwsem.downWrite(k, c, t, STACK_WRITE_LOCK.label());
        c.step(STACK_FIND_VMA.label(), k.src(MEMORY + "lock_mm_and_find_vma, " + FindVma.source(k)), s -> findVma(k, l, t, s))
                .ifGoTo(s -> l.failed.get(s) == 1, STACK_WRITE_UNLOCK.label())
                .ifGoTo(s -> mm.vmaStart.get(s, l.vma.slot(s)) <= l.page.get(s), STACK_DOWNGRADE.label());
        if (mm.perVmaLocks()) {
            // expand_downwards (mm/mmap.c, v6.6.9 2052-2139): the guard gap check, then
            // anon_vma_prepare, then vma_start_write(vma), all under the mmap write lock.
            c.step(STACK_ANON_VMA_PREPARE.label(), k.src("mm/mmap.c:expand_downwards, anon_vma_prepare"), s -> {
                int v = l.vma.deref(s);
                int prev = mm.prevInTree(s, v);
                if (prev != Mm.NONE && mm.vmEnd(s, prev) > l.page.get(s)) {
                    l.failed.set(s, 1); // guard gap: -ENOMEM
                    l.vma.set(s, Mm.NONE);
                    return;
                }
                mm.vmaAnonVma.set(s, v, 1);
            }).ifGoTo(s -> l.failed.get(s) == 1, STACK_WRITE_UNLOCK.label());
            VmaLock.startWrite(k, c, STACK_VMA_START_WRITE.label(), "mm/mmap.c:expand_downwards", l.vma::slot,
                    STACK_EXPAND_LOCKED.label());
        }
        c.step(STACK_EXPAND_LOCKED.label(), k.src("mm/mmap.c:expand_stack_locked, expand_downwards"),
                        s -> expandDownwards(mm, k.mapleNodes, l, s))
                .ifGoTo(s -> l.failed.get(s) == 1, STACK_WRITE_UNLOCK.label());
        Rwsem.downgrade(k, c, t, STACK_DOWNGRADE.label()).goTo(HANDLE_PTE_FAULT.label());
        Rwsem.upWrite(k, c, t, STACK_WRITE_UNLOCK.label()).ret();
    }
}
