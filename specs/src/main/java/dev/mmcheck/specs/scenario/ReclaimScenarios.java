package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios for reclaim's deferred TLB flush, mprotect and NUMA hinting with migration
 * (SEMANTICS.md 3.4, 3.6; BUGS.md B6). Page 0 is 0x0000; pages 0-1 share page table 0.
 */
public final class ReclaimScenarios {
    private ReclaimScenarios() {
    }

    /** The scenarios every correct variant (v4.13 and later) must hold on. */
    public static List<Supplier<Scenario>> all() {
        return List.of(ReclaimScenarios::reclaimVsMadvise, ReclaimScenarios::reclaimVsMprotect,
                ReclaimScenarios::mprotectWithRemoteTlb, ReclaimScenarios::numaScanVsMigration,
                ReclaimScenarios::parallelNumaScansVsMigration, ReclaimScenarios::reclaimVsMremap);
    }

    /**
     * The scenarios of mm->tlb_flush_batched's lost mark (5ee2fa2f0636): they hold with the
     * generation form (v5.17+) and are violated with the bool form (v4.13 to v5.16).
     */
    public static List<Supplier<Scenario>> batchGenerations() {
        return List.of(ReclaimScenarios::lostBatchedMark3cpu, ReclaimScenarios::lostBatchedMark2cpu);
    }

    /**
     * The bool form's lost mark with three CPUs. mm->tlb_flush_batched starts set by an earlier,
     * already flushed reclaim. T1 mprotect(PROT_READ)s 0x2000, which is not mapped (page table 1
     * exists for 0x3000): under table 1's PTL, change_pte_range's flush_tlb_batched_pending sees
     * the mark and runs flush_tlb_mm. Once the flush has passed CPU2, CPU2 walks 0x0000 again, and
     * T0 reclaims 0x0000 (page table 0) and marks the mm; then T1 clears the mark. T2
     * madvise(DONTNEED)s 0x0000: the PTE is already clear and the mark is gone, so it flushes
     * nothing and returns while CPU2 still caches 0x0000 (I2). With generations, T1's cmpxchg
     * fails because the word changed during its flush, and T2 flushes.
     *
     * <p>T1's page is not mapped so that mprotect changes no PTE and does not flush at its end:
     * the model flushes a range as the whole mm, so a flush of T1's own page would also remove
     * CPU2's entry for 0x0000, which the kernel's INVLPG of that page would not.
     */
    public static Scenario lostBatchedMark3cpu() {
        return Scenario.named("lost-batched-mark-3cpu",
                        "tlb_flush_batched marked; T0 reclaims 0x0000 while T1 mprotect(PROT_READ)s 0x2000 (table 1, not mapped) and T2 madvise(DONTNEED)s 0x0000; CPU2 caches 0x0000")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 4).mapped(0, 3).tlb(2, 0)
                .batchedFlushMarked()
                .thread(0, Op.reclaim(0))
                .thread(1, Op.mprotectRead(2, 3))
                .thread(2, Op.madviseDontneed(0, 1));
    }

    /**
     * The same race with two CPUs: T1 first madvise(DONTNEED)s 0x2000, which is not mapped
     * (page table 1 exists for 0x3000), so its zap takes table 1's PTL and runs
     * flush_tlb_batched_pending but has nothing of its own to flush; then T1 madvise(DONTNEED)s
     * 0x0000, which T0 reclaims meanwhile. CPU1 walks 0x0000 again, in kernel mode, after the
     * flush_tlb_mm of the first call; the second call returns with that entry (I2).
     */
    public static Scenario lostBatchedMark2cpu() {
        return Scenario.named("lost-batched-mark-2cpu",
                        "tlb_flush_batched marked; T0 reclaims 0x0000 while T1 madvise(DONTNEED)s 0x2000 (table 1, not mapped), then 0x0000; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 4).mapped(0, 3).tlb(1, 0)
                .batchedFlushMarked()
                .thread(0, Op.reclaim(0))
                .thread(1, Op.madviseDontneed(2, 3), Op.madviseDontneed(0, 1));
    }

    /**
     * Reclaim clears 0x0000's PTE and defers the flush while another thread MADV_DONTNEEDs the
     * same page: that thread finds the PTE clear, but CPU1 still caches 0x0000.
     */
    public static Scenario reclaimVsMadvise() {
        return Scenario.named("reclaim-vs-madvise",
                        "T0 reclaims 0x0000 with a deferred flush while T1 madvise(DONTNEED)s it; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.reclaim(0))
                .thread(1, Op.madviseDontneed(0, 1));
    }

    /**
     * Reclaim clears 0x0000's PTE and defers the flush while another thread mprotects it
     * read-only: mprotect finds nothing to change, so it flushes nothing.
     */
    public static Scenario reclaimVsMprotect() {
        return Scenario.named("reclaim-vs-mprotect",
                        "T0 reclaims 0x0000 with a deferred flush while T1 mprotect(PROT_READ)s it; CPU1 caches 0x0000 writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.reclaim(0))
                .thread(1, Op.mprotectRead(0, 1));
    }

    /**
     * Reclaim clears 0x0000's PTE and defers the flush while another thread mremaps it away:
     * move_ptes finds nothing to move, so without flush_tlb_batched_pending (3ea277194daa, which
     * added it to move_ptes too) mremap returns while CPU1 still translates the old address.
     */
    public static Scenario reclaimVsMremap() {
        return Scenario.named("reclaim-vs-mremap",
                        "T0 reclaims 0x0000 with a deferred flush while T1 mremaps [0x0000, 0x1000) to 0x2000; the VMA [0x1000, 0x2000) keeps the old page table; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 1).vma(1, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.reclaim(0))
                .thread(1, Op.mremap(0, 1, 2));
    }

    /** mprotect(PROT_READ) while the other CPU caches the page writable and keeps re-walking it. */
    public static Scenario mprotectWithRemoteTlb() {
        return Scenario.named("mprotect-remote-tlb",
                        "T0 mprotect(PROT_READ)s [0x0000, 0x2000) while CPU1 (T1, in user space) caches both pages writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0, 1).tlb(1, 0, 1)
                .thread(0, Op.mprotectRead(0, 2));
    }

    /**
     * NUMA hinting makes 0x0000 PROT_NONE and defers the flush; meanwhile T1 migrates the page:
     * migration must flush because a protection change is pending (20841405940e).
     */
    public static Scenario numaScanVsMigration() {
        return Scenario.named("numa-scan-vs-migration",
                        "T0 change_prot_numa()s 0x0000 while T1 migrates its page; CPU1 caches 0x0000 writable")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.numaScan(0, 1))
                .thread(1, Op.migrate(0));
    }

    /**
     * Two NUMA scans of neighbouring pages and a migration: with a bool tlb_flush_pending, the
     * scan that finishes first clears the flag while the other has a deferred change
     * (16af97dc5a89).
     */
    public static Scenario parallelNumaScansVsMigration() {
        return Scenario.named("numa-scans-vs-migration",
                        "T0 and T1 change_prot_numa() 0x0000 and 0x1000 while T2 migrates 0x1000's page; CPU2 caches 0x1000")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 2).mapped(0, 1).tlb(2, 1)
                .thread(0, Op.numaScan(0, 1))
                .thread(1, Op.numaScan(1, 2))
                .thread(2, Op.migrate(1));
    }
}
