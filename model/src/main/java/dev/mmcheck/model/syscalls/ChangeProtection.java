package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaLock;
import dev.mmcheck.model.versions.Feature;

/**
 * change_protection_range (mm/mprotect.c, v4.12 and v4.13+), shared by mprotect and by NUMA
 * hinting (change_prot_numa, called from task_numa_work under mmap_sem read), and the two
 * callers:
 * <ul>
 *   <li>{@code mprotect_read}: mprotect(start, len, PROT_READ): down_write, change_protection
 *       to read-only, up_write (SYSCALL_DEFINE3(mprotect), mprotect_fixup);</li>
 *   <li>{@code change_prot_numa}: down_read, change_protection to PROT_NONE with prot_numa
 *       (already-PROT_NONE PTEs are skipped), up_read (kernel/sched/fair.c:task_numa_work,
 *       mm/mempolicy.c:change_prot_numa).</li>
 * </ul>
 * change_protection_range: mark a flush pending (v4.12: set_tlb_flush_pending, a bool;
 * {@link Feature#TLB_FLUSH_PENDING_ATOMIC}, v4.13: inc_tlb_flush_pending); per page table take
 * the PTL, from v4.13 ({@link Feature#FLUSH_TLB_BATCHED_PENDING}) flush_tlb_batched_pending,
 * change each present PTE in one step (ptep_modify_prot_start/commit), release the PTL; if any
 * PTE changed, flush_tlb_range over [start, end); then clear the pending
 * flag (clear_tlb_flush_pending / dec_tlb_flush_pending). From v5.19
 * ({@link Feature#MPROTECT_MMU_GATHER}) the callers own an mmu_gather instead: tlb_gather_mmu
 * raises tlb_flush_pending, each changed PTE whose permissions were demoted
 * (pte_needs_flush) widens the gather's range (tlb_flush_pte_range), and tlb_finish_mmu flushes
 * it, with the nested-gather rule, and lowers the counter (do_mprotect_pkey, change_prot_numa,
 * change_pte_range, v5.19.0).
 *
 * <p>From v6.4 ({@link Feature#PER_VMA_LOCK}) mprotect_fixup write-locks the VMA after the
 * gather is set up and before its flags and PTEs change, which waits for a page fault that holds
 * the VMA's read lock; change_prot_numa takes no VMA lock.
 *
 * <p>Simplified: vm_flags and VMA splitting by mprotect_fixup are not modelled (the range is
 * assumed to be one VMA, and no scenario faults on a page after changing its protection); a
 * PROT_NONE PTE keeps its frame and is not walked by the hardware (pte_protnone).
 */
public final class ChangeProtection {
    /** Locals of the calling thread for change_protection_range. */
    public static final class Locals {
        /** The protection being applied (Machine.PROT_*). */
        public final Field newProt;
        /** change_pte_range: the next page to look at. */
        public final Field addr;
        /** change_pte_range: end of the part of the range in the current page table. */
        public final Field next;
        /** Some PTE was changed (pages != 0): flush_tlb_range is needed. */
        public final Field changed;

        private Locals(Code c, MachineConfig cfg) {
            newProt = c.local("cp_newprot", 0, Machine.PROT_NONE);
            addr = c.local("cp_addr", 0, cfg.pages());
            next = c.local("cp_next", 0, cfg.pages());
            changed = c.local("cp_changed", 0, 1);
        }

        public static Locals of(Code c, Kernel k) {
            return new Locals(c, k.config);
        }
    }

    public static final String SET_PENDING = "set_tlb_flush_pending";
    public static final String LOCK = "pte_offset_map_lock";
    public static final String MODIFY = "ptep_modify_prot_commit";
    public static final String UNLOCK = "pte_unmap_unlock";
    public static final String FLUSH = "flush_tlb_range";
    /** The call of flush_tlb_mm_range with the range [start, end) (v4.12 to v5.18). */
    public static final String FLUSH_RANGE = "flush_tlb_mm_range";
    public static final String CLEAR_PENDING = "clear_tlb_flush_pending";
    /** change_protection_range: set_tlb_flush_pending (inc_tlb_flush_pending from v4.15). */
    public static final StepRef RANGE_SET_PENDING = StepRef.in("change_protection_range", SET_PENDING);
    /** change_pte_range: ptep_modify_prot_commit of one PTE. */
    public static final StepRef RANGE_MODIFY = StepRef.in("change_protection_range", MODIFY);
    /** change_protection_range: flush_tlb_range of the changed range. */
    public static final StepRef RANGE_FLUSH = StepRef.in("change_protection_range", FLUSH_RANGE);
    /** change_protection_range: clear_tlb_flush_pending (dec_tlb_flush_pending from v4.15). */
    public static final StepRef RANGE_CLEAR_PENDING = StepRef.in("change_protection_range", CLEAR_PENDING);
    /** do_mprotect_pkey / change_prot_numa: tlb_gather_mmu (from v5.19). */
    public static final StepRef RANGE_TLB_GATHER_MMU = StepRef.in("change_protection_range", "tlb_gather_mmu");
    /** change_prot_numa's tlb_gather_mmu with per-VMA locks (v6.4+): no mprotect_fixup, no vma_start_write after it. */
    public static final StepRef RANGE_NUMA_TLB_GATHER_MMU = StepRef.in("change_protection_range", "change_prot_numa: tlb_gather_mmu");
    /** change_pmd_range → change_pte_range: pte_offset_map_lock. */
    public static final StepRef RANGE_PTE_LOCK = StepRef.in("change_protection_range", LOCK);
    /** change_pte_range: pte_unmap_unlock. */
    public static final StepRef RANGE_PTE_UNLOCK = StepRef.in("change_protection_range", UNLOCK);
    /** change_protection_range: if (pages) flush_tlb_range (from v5.19: tlb_end_vma, no flush on x86). */
    public static final StepRef RANGE_IF_PAGES_FLUSH = StepRef.in("change_protection_range", FLUSH);
    /** do_mprotect_pkey / change_prot_numa: tlb_finish_mmu (from v5.19). */
    public static final StepRef RANGE_TLB_FINISH_MMU = StepRef.in("change_protection_range", "tlb_finish_mmu");
    /** change_protection_range: return pages (from v5.19). */
    public static final StepRef RANGE_RETURN_PAGES = StepRef.in("change_protection_range", "return pages");
    /** SYSCALL_DEFINE3(mprotect): down_write_killable, queueing as a writer. */
    public static final StepRef MPROTECT_DOWN_WRITE_QUEUE = StepRef.in("mprotect_read", Rwsem.queueLabel("down_write"));
    /** SYSCALL_DEFINE3(mprotect): down_write_killable(&current->mm->mmap_sem). */
    public static final StepRef MPROTECT_DOWN_WRITE = StepRef.in("mprotect_read", "down_write");
    /** mprotect_fixup: change_protection(vma, start, end, newprot, ...). */
    public static final StepRef MPROTECT_CHANGE_PROTECTION = StepRef.in("mprotect_read", "change_protection");
    /**
     * mprotect_fixup: vma_start_write(vma) before the flags and PTEs change (v6.4+; v6.6.9
     * mm/mprotect.c:660), after do_mprotect_pkey's tlb_gather_mmu.
     */
    public static final StepRef RANGE_VMA_START_WRITE = StepRef.in("change_protection_range", "mprotect_fixup: vma_start_write");
    /** The down_write of {@link #RANGE_VMA_START_WRITE} that waits for the VMA's per-VMA readers. */
    public static final StepRef RANGE_VMA_START_WRITE_WAIT = StepRef.in("change_protection_range",
            VmaLock.waitLabel(RANGE_VMA_START_WRITE.label()));
    /** The same wait from v6.15 (__vma_enter_locked on vm_refcnt). */
    public static final StepRef RANGE_VMA_START_WRITE_REFCOUNT_WAIT = StepRef.in("change_protection_range",
            VmaLock.refcountWaitLabel(RANGE_VMA_START_WRITE.label()));
    /** SYSCALL_DEFINE3(mprotect): up_write(&current->mm->mmap_sem). */
    public static final StepRef MPROTECT_UP_WRITE = StepRef.in("mprotect_read", "up_write");
    /** task_numa_work: down_read(&mm->mmap_sem). */
    public static final StepRef NUMA_WORK_DOWN_READ = StepRef.in("task_numa_work", "down_read");
    /** task_numa_work: change_prot_numa(vma, start, end). */
    public static final StepRef NUMA_WORK_CHANGE_PROT_NUMA = StepRef.in("task_numa_work", "change_prot_numa");
    /** task_numa_work: up_read(&mm->mmap_sem). */
    public static final StepRef NUMA_WORK_UP_READ = StepRef.in("task_numa_work", "up_read");

    /** change_protection_range over the caller's [start, end) with its {@code cp_newprot}. */
    public final Procedure changeProtectionRange;

    private ChangeProtection(Kernel k) {
        changeProtectionRange = k.program.procedure("change_protection_range", c -> body(k, c));
    }

    /** The shared procedure of {@code k}'s model (declared on first use). */
    public static ChangeProtection of(Kernel k) {
        return k.shared(ChangeProtection.class, ChangeProtection::new);
    }

    /** mprotect(start, len, PROT_READ) under mmap_sem write. */
    public static Procedure mprotectRead(Kernel k) {
        ChangeProtection cp = of(k);
        return k.program.procedure("mprotect_read", c -> {
            int self = k.threadOf(c.process());
            Locals p = Locals.of(c, k);
            Rwsem.downWrite(k, c, self, MPROTECT_DOWN_WRITE.label());
            c.call(MPROTECT_CHANGE_PROTECTION.label(), k.src("mm/mprotect.c:mprotect_fixup, change_protection"), cp.changeProtectionRange,
                    s -> p.newProt.set(s, Machine.PROT_READ));
            Rwsem.upWrite(k, c, self, MPROTECT_UP_WRITE.label());
        });
    }

    /** task_numa_work's change_prot_numa over [start, end) under mmap_sem read. */
    public static Procedure changeProtNuma(Kernel k) {
        ChangeProtection cp = of(k);
        return k.program.procedure("task_numa_work", c -> {
            int self = k.threadOf(c.process());
            Locals p = Locals.of(c, k);
            Rwsem.downRead(k, c, self, NUMA_WORK_DOWN_READ.label());
            c.call(NUMA_WORK_CHANGE_PROT_NUMA.label(), k.src("mm/mempolicy.c:change_prot_numa, mm/mprotect.c:change_protection"),
                    cp.changeProtectionRange, s -> p.newProt.set(s, Machine.PROT_NONE));
            Rwsem.upRead(k, c, self, NUMA_WORK_UP_READ.label());
        });
    }

    private static void body(Kernel k, Code c) {
        Machine m = k.machine;
        Mm mm = k.mm;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals p = Locals.of(c, k);
        TlbFlush flush = TlbFlush.of(k);
        boolean counter = k.has(Feature.TLB_FLUSH_PENDING_ATOMIC);
        boolean gathers = k.has(Feature.MPROTECT_MMU_GATHER);
        MmuGather gather = gathers ? MmuGather.of(k) : null;
        String src = "mm/mprotect.c:change_protection_range";

        if (gathers) {
            c.call(RANGE_TLB_GATHER_MMU.label(), k.src("mm/mprotect.c:do_mprotect_pkey, mm/mempolicy.c:change_prot_numa"),
                    gather.tlbGatherMmu, s -> p.addr.set(s, l.start.get(s)));
            if (mm.perVmaLocks()) {
                // mprotect write-locks the VMA of the range (the model's mprotect covers one VMA)
                // after its tlb_gather_mmu and before changing it (mprotect_fixup); change_prot_numa
                // takes no VMA lock: it makes its own call of tlb_gather_mmu, which returns to the
                // page-table walk (RANGE_NUMA_TLB_GATHER_MMU, at the end of the procedure).
                c.skipCallIf(s -> p.newProt.get(s) != Machine.PROT_READ, RANGE_NUMA_TLB_GATHER_MMU.label());
                VmaLock.startWrite(k, c, RANGE_VMA_START_WRITE.label(), "mm/mprotect.c:mprotect_fixup",
                        s -> mm.findInTree(s, l.start.get(s)) - 1, RANGE_PTE_LOCK.label());
            }
        } else {
            c.step(RANGE_SET_PENDING.label(), k.src(src + (counter ? ", inc_tlb_flush_pending" : ", set_tlb_flush_pending")),
                    s -> {
                        mm.tlbFlushPending.set(s, counter ? mm.tlbFlushPending.get(s) + 1 : 1);
                        p.addr.set(s, l.start.get(s));
                    });
        }

        c.await(RANGE_PTE_LOCK.label(), k.src("mm/mprotect.c:change_pmd_range, change_pte_range"),
                s -> {
                    int t = cfg.tableOf(p.addr.get(s));
                    return m.pmd.get(s, t) == Machine.NONE || m.ptl.get(s, t) == 0;
                },
                s -> {
                    int addr = p.addr.get(s);
                    int t = cfg.tableOf(addr);
                    int next = Math.min((t + 1) * cfg.pagesPerTable(), l.end.get(s));
                    p.next.set(s, next);
                    if (m.pmd.get(s, t) == Machine.NONE) {
                        p.addr.set(s, next); // change_pmd_range: pmd_none_or_clear_bad, skip
                        return;
                    }
                    m.ptl.set(s, t, self + 1);
                    l.tableFrame.mapTable(s, t);
                    p.addr.set(s, nextToChange(m, s, addr, next, p.newProt.get(s)));
                })
                .ifGoTo(s -> l.tableFrame.isNull(s) && p.addr.get(s) >= l.end.get(s), RANGE_IF_PAGES_FLUSH.label())
                .ifGoTo(s -> l.tableFrame.isNull(s), RANGE_PTE_LOCK.label());
        boolean batchedPending = k.has(Feature.FLUSH_TLB_BATCHED_PENDING);
        if (batchedPending) {
            MmuGather.checkBatchedPending(k, c);
        }
        c.ifGoTo(s -> p.addr.get(s) >= p.next.get(s), RANGE_PTE_UNLOCK.label());

        // One PTE per step under the PTL: each change is visible to other CPUs' walkers.
        c.step(RANGE_MODIFY.label(), k.src("mm/mprotect.c:change_pte_range, ptep_modify_prot_start, ptep_modify_prot_commit"),
                s -> {
                    int page = p.addr.get(s);
                    l.tableFrame.useTable(s, page); // the PTE is written through pte_offset_map_lock's pointer
                    m.pteProt.set(s, page, p.newProt.get(s));
                    if (gathers) {
                        // pte_needs_flush: the permissions were demoted; tlb_flush_pte_range.
                        gather.removeTlbEntry(l, s, page);
                    } else {
                        p.changed.set(s, 1);
                    }
                    p.addr.set(s, nextToChange(m, s, page + 1, p.next.get(s), p.newProt.get(s)));
                })
                .ifGoTo(s -> p.addr.get(s) < p.next.get(s), RANGE_MODIFY.label());

        c.step(RANGE_PTE_UNLOCK.label(), k.src("mm/mprotect.c:change_pte_range"), s -> {
            m.ptl.set(s, cfg.tableOf(p.next.get(s) - 1), 0);
            l.tableFrame.clear(s);
            p.addr.set(s, p.next.get(s));
        }).ifGoTo(s -> p.addr.get(s) < l.end.get(s), RANGE_PTE_LOCK.label());

        if (gathers) {
            // tlb_end_vma does not flush an anonymous VMA on x86 (MMU_GATHER_MERGE_VMAS);
            // tlb_finish_mmu flushes the gathered range and lowers tlb_flush_pending.
            c.step(RANGE_IF_PAGES_FLUSH.label(), k.src(src + ", tlb_end_vma"), s -> {
                p.addr.set(s, 0);
                p.next.set(s, 0);
            });
            c.call(RANGE_TLB_FINISH_MMU.label(), k.src("mm/mprotect.c:do_mprotect_pkey, mm/mempolicy.c:change_prot_numa"),
                    gather.tlbFinishMmu);
            String done = RANGE_RETURN_PAGES.label();
            c.step(done, k.src(src), s -> p.newProt.set(s, 0)).ret();
        } else {
            // flush_tlb_range only if some PTE changed (if (pages) flush_tlb_range).
            c.step(RANGE_IF_PAGES_FLUSH.label(), k.src(src), s -> { })
                    .ifGoTo(s -> p.changed.get(s) == 0, RANGE_CLEAR_PENDING.label());
            c.call(RANGE_FLUSH.label(), k.src(src + ", flush_tlb_range"), flush.flushTlbMmRange,
                    s -> l.flushRange(s, l.start.get(s), l.end.get(s)));
            c.step(RANGE_CLEAR_PENDING.label(), k.src(src + (counter ? ", dec_tlb_flush_pending" : ", clear_tlb_flush_pending")),
                    s -> {
                        mm.tlbFlushPending.set(s, counter ? mm.tlbFlushPending.get(s) - 1 : 0);
                        p.addr.set(s, 0);
                        p.next.set(s, 0);
                        p.changed.set(s, 0);
                        p.newProt.set(s, 0);
                    }).ret();
        }

        if (batchedPending) {
            MmuGather.flushBatchedPending(k, c, flush);
            c.ifGoTo(s -> p.addr.get(s) >= p.next.get(s), RANGE_PTE_UNLOCK.label()).goTo(RANGE_MODIFY.label());
        }
        if (gathers && mm.perVmaLocks()) {
            c.call(RANGE_NUMA_TLB_GATHER_MMU.label(), k.src("mm/mempolicy.c:change_prot_numa"), gather.tlbGatherMmu)
                    .goTo(RANGE_PTE_LOCK.label());
        }
    }

    /**
     * The first page in [from, to) whose PTE change_pte_range changes to {@code prot}: present,
     * and (prot_numa) not already PROT_NONE; or {@code to}.
     */
    private static int nextToChange(Machine m, long[] s, int from, int to, int prot) {
        for (int page = from; page < to; page++) {
            if (m.pte.get(s, page) != Machine.NONE && m.pteProt.get(s, page) != prot) {
                return page;
            }
        }
        return to;
    }
}
