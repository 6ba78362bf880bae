package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.TlbEndVma;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.IMmapLock;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;

/**
 * A driver revoking user access to its device memory: unmap_mapping_range over the whole device
 * file, then reusing the pfns (mm/memory.c:unmap_mapping_range, v4.12). It walks the file's
 * i_mmap under i_mmap_rwsem (taken for write in v4.12) and <b>without mmap_sem</b>, and zaps every
 * VM_PFNMAP VMA it finds with zap_page_range_single (its own mmu_gather): under the PTE lock it
 * clears each present PTE (one step per PTE: hardware walkers see each clear), drops the lock,
 * and tlb_finish_mmu flushes the TLBs of the range it cleared (the gather's range, a range flush,
 * not the whole mm: {@link TlbFlush}). Once the walk is over the driver frees the device pages: any
 * translation that survives is a use of freed memory (I1). A VMA already unlinked by
 * unlink_file_vma (free_pgtables) is not found, which is why munmap must flush a VM_PFNMAP range
 * before it unlinks (b67fbebd4cf9, {@link TlbEndVma}).
 *
 * <p>Simplifications: every VM_PFNMAP VMA maps the one device file and lies within one page
 * table; the i_mmap interval tree is walked in VMA-slot order (mremap's copy_vma appends the
 * new VMA after the old one, which the scenarios give a lower slot); from v4.13 the gather raises
 * tlb_flush_pending like every mmu_gather, and a nested gather forces the flush (99baac21e458),
 * as {@link MmuGather}'s tlb_finish_mmu does.
 */
public final class UnmapMappingRange {
    private static final String SRC = "mm/memory.c:unmap_mapping_range";
    /** zap_pte_range as unmap_mapping_range runs it: the PTE is cleared. */
    public static final StepRef CLEAR_PTE = StepRef.in("unmap_mapping_range", "ptep_get_and_clear_full");
    /** unmap_mapping_range: i_mmap_lock_write(mapping) (up to v5.17; {@link IMmapLock}). */
    public static final StepRef I_MMAP_LOCK_WRITE = StepRef.in("unmap_mapping_range", "i_mmap_lock_write");
    /** unmap_mapping_range: i_mmap_lock_read(mapping) (from 2c8659951654; {@link IMmapLock}). */
    public static final StepRef I_MMAP_LOCK_READ = StepRef.in("unmap_mapping_range", "i_mmap_lock_read");
    /** unmap_mapping_range_tree → zap_page_range_single: tlb_gather_mmu. */
    public static final StepRef TLB_GATHER_MMU = StepRef.in("unmap_mapping_range", "tlb_gather_mmu");
    /** zap_pte_range as unmap_mapping_range runs it: pte_offset_map_lock. */
    public static final StepRef ZAP_PTE_LOCK = StepRef.in("unmap_mapping_range", "pte_offset_map_lock");
    /** zap_pte_range as unmap_mapping_range runs it: pte_unmap_unlock. */
    public static final StepRef ZAP_PTE_UNLOCK = StepRef.in("unmap_mapping_range", "pte_unmap_unlock");
    /** unmap_mapping_range_tree → zap_page_range_single: tlb_finish_mmu. */
    public static final StepRef TLB_FINISH_MMU = StepRef.in("unmap_mapping_range", "tlb_finish_mmu");
    /** unmap_mapping_range_tree: vma_interval_tree_foreach, the next VMA of the file. */
    public static final StepRef VMA_INTERVAL_TREE_FOREACH = StepRef.in("unmap_mapping_range", "vma_interval_tree_foreach");
    /** unmap_mapping_range: i_mmap_unlock_write(mapping) (up to v5.17; {@link IMmapLock}). */
    public static final StepRef I_MMAP_UNLOCK_WRITE = StepRef.in("unmap_mapping_range", "i_mmap_unlock_write");
    /** unmap_mapping_range: i_mmap_unlock_read(mapping) (from 2c8659951654; {@link IMmapLock}). */
    public static final StepRef I_MMAP_UNLOCK_READ = StepRef.in("unmap_mapping_range", "i_mmap_unlock_read");
    /** The driver, once unmap_mapping_range returned: the device pages are reused. */
    public static final StepRef DRIVER_REUSES_PFNS = StepRef.in("unmap_mapping_range", "driver reuses the pfns");

    private UnmapMappingRange() {
    }

    /** The procedure; it takes no arguments (the whole file is revoked). */
    public static Procedure procedure(Kernel k) {
        k.require(KernelParts.NONE.withFiles(), "unmap_mapping_range");
        return k.program.procedure("unmap_mapping_range", c -> body(k, c));
    }

    /** The first VMA at or after slot {@code from} linked in the file's i_mmap, + 1, or NONE. */
    static int nextInIMmap(Mm mm, long[] s, int from) {
        for (int v = from; v < mm.config.vmaSlots(); v++) {
            if (mm.vmaInIMmap.get(s, v) == 1) {
                return v + 1;
            }
        }
        return Mm.NONE;
    }

    private static void body(Kernel k, Code c) {
        Mm mm = k.mm;
        Machine m = k.machine;
        MachineConfig cfg = k.config;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        MmuGather gather = MmuGather.of(k);
        MmuGather.Locals g = MmuGather.Locals.of(c, k);
        Field rmapVma = c.local("rmap_vma", Mm.NONE, cfg.vmaSlots());

        IMmapLock iMmap = IMmapLock.forRmapWalk(k, self);
        c.await(iMmap.lock(), k.src(SRC + ", " + iMmap.lock()), iMmap::available, s -> {
            iMmap.take(s);
            rmapVma.set(s, nextInIMmap(mm, s, 0));
        }).ifGoTo(s -> rmapVma.get(s) == Mm.NONE, iMmap.unlock());

        // zap_page_range_single(vma, vm_start, vm_end - vm_start): its own gather.
        String zapSrc = k.src("mm/memory.c:unmap_mapping_range_tree, zap_page_range_single");
        c.call(TLB_GATHER_MMU.label(), zapSrc, gather.tlbGatherMmu, s -> {
            int v = rmapVma.get(s) - 1;
            gather.recordRange(g, s, mm.vmaStart.get(s, v), mm.vmaEnd.get(s, v));
        });
        String ptl = ZAP_PTE_LOCK.label();
        c.await(ptl, k.src("mm/memory.c:zap_pmd_range, zap_pte_range"), s -> {
            int t = cfg.tableOf(mm.vmStart(s, rmapVma.get(s)));
            return m.pmd.get(s, t) == Machine.NONE || m.ptl.get(s, t) == 0;
        }, s -> {
            int v = rmapVma.get(s) - 1;
            int t = cfg.tableOf(mm.vmaStart.get(s, v));
            if (m.pmd.get(s, t) == Machine.NONE) {
                return; // pmd_none: nothing mapped, nothing to lock
            }
            m.ptl.set(s, t, self + 1);
            l.tableFrame.mapTable(s, t);
            l.cursor.set(s, nextPresent(m, s, mm.vmaStart.get(s, v), mm.vmaEnd.get(s, v)));
        })
                .ifGoTo(s -> l.tableFrame.isNull(s), TLB_FINISH_MMU.label())
                .ifGoTo(s -> l.cursor.get(s) >= mm.vmEnd(s, rmapVma.get(s)), ZAP_PTE_UNLOCK.label());
        String clear = CLEAR_PTE.label();
        c.step(clear, k.src("mm/memory.c:zap_pte_range"), s -> {
            int page = l.cursor.get(s);
            m.pte.set(s, page, Machine.NONE);
            l.tableFrame.useTable(s, page); // I7 if the table was freed
            gather.removeTlbEntry(l, s, page); // VM_PFNMAP: no page to batch
            l.cursor.set(s, nextPresent(m, s, page + 1, mm.vmEnd(s, rmapVma.get(s))));
        }).ifGoTo(s -> l.cursor.get(s) < mm.vmEnd(s, rmapVma.get(s)), clear);
        String unlock = ZAP_PTE_UNLOCK.label();
        c.step(unlock, k.src("mm/memory.c:zap_pte_range"), s -> {
            m.ptl.set(s, cfg.tableOf(mm.vmStart(s, rmapVma.get(s))), 0);
            l.tableFrame.clear(s);
            l.cursor.set(s, 0);
        });

        c.call(TLB_FINISH_MMU.label(), zapSrc, gather.tlbFinishMmu);

        String next = VMA_INTERVAL_TREE_FOREACH.label();
        c.step(next, k.src("mm/memory.c:unmap_mapping_range_tree"), s -> rmapVma.set(s, nextInIMmap(mm, s, rmapVma.get(s))))
                .ifGoTo(s -> rmapVma.get(s) != Mm.NONE, TLB_GATHER_MMU.label());

        c.step(iMmap.unlock(), k.src(SRC + ", " + iMmap.unlock()), iMmap::release);

        // The driver now owns the pfns again and reuses them (e.g. evicts the buffer).
        String release = DRIVER_REUSES_PFNS.label();
        c.step(release, "driver: after unmap_mapping_range the device pages are no longer mapped", s -> {
            for (int f = 0; f < cfg.frames(); f++) {
                if (m.frameKind.get(s, f) == Machine.PFN) {
                    m.free(s, f + 1);
                }
            }
        });
    }

    private static int nextPresent(Machine m, long[] s, int from, int to) {
        for (int p = from; p < to; p++) {
            if (m.pte.get(s, p) != Machine.NONE) {
                return p;
            }
        }
        return to;
    }
}
