package dev.mmcheck.model.gather;

import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.versions.Feature;

/**
 * Page tables freed after an RCU grace period, from v6.14 on x86-64 ({@link Feature#PT_RECLAIM};
 * 6.14.0 and 6.18.2 arch/x86/mm/pgtable.c ___pte_free_tlb → tlb_remove_table, mm/mmu_gather.c
 * tlb_remove_table_rcu and __tlb_remove_table_one's call_rcu): the gather flushes the TLB, then
 * hands its page tables to call_rcu, so a walker that mapped a table under rcu_read_lock
 * (pte_offset_map) may still take its lock and read its entries after the PMD entry was cleared.
 * Before v6.14 native x86 freed them as soon as the flush IPI returned (the model's {@link
 * Machine#free}).
 *
 * <p>State: {@code frame.call_rcu}, the threads whose RCU read-side section must end before the
 * page table is freed; the callback runs as early as the grace period allows (as {@link
 * Mm#vmAreaFree} does for VMAs).
 */
public final class RcuTableFree {
    private final Machine machine;
    private final Mm mm;
    private final FieldArray pending;

    private RcuTableFree(Kernel k) {
        this.machine = k.machine;
        this.mm = k.mm;
        this.pending = k.program.array("frame.call_rcu", k.config.frames(), 0, (1 << k.config.threads()) - 1);
        mm.onRcuReadUnlock(this::readerLeft);
    }

    private RcuTableFree() {
        this.machine = null;
        this.mm = null;
        this.pending = null;
    }

    /** The page tables of {@code k}'s release go through RCU (v6.14+ on x86-64). */
    public static RcuTableFree of(Kernel k) {
        return k.has(Feature.PT_RECLAIM) ? new RcuTableFree(k) : new RcuTableFree();
    }

    public boolean present() {
        return pending != null;
    }

    /**
     * tlb_remove_table's batch reaches call_rcu: page-table frame {@code frame} (an index) is
     * freed now if no thread is inside rcu_read_lock, else when the last of them leaves.
     */
    public void free(long[] s, int frame) {
        int readers = mm.rcuReaders(s);
        if (readers == 0) {
            machine.free(s, frame + 1);
        } else {
            pending.set(s, frame, readers);
        }
    }

    /** The threads whose RCU read-side sections page-table frame {@code frame} (an index) still waits for. */
    public int waitingFor(long[] s, int frame) {
        return pending == null ? 0 : pending.get(s, frame);
    }

    /** rcu_read_unlock by {@code thread}: the grace periods that waited only for it end. */
    private void readerLeft(long[] s, int thread) {
        for (int f = 0; f < pending.length(); f++) {
            if (Mm.gracePeriodEnds(pending, s, f, thread)) {
                machine.free(s, f + 1); // tlb_remove_table_rcu → __tlb_remove_table → pagetable_dtor_free
            }
        }
    }
}
