package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.ReclaimScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I2;

/**
 * Historical bugs of deferred TLB flushes around protection changes, reclaim and migration:
 * BUGS.md B6 (both commits), the reclaim/mprotect race fixed by 3ea277194daa (not in
 * BUGS.md; listed here as BR1) and the lost mm->tlb_flush_batched mark fixed by 5ee2fa2f0636
 * (v5.17; not in BUGS.md; BR2). Each buggy and fixed variant differ by one feature.
 */
public final class ReclaimBugs {
    private ReclaimBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("B6", Feature.MIGRATION_SEES_PENDING_FLUSH, "",
                        "migration unmaps a PROT_NONE PTE without flushing while change_prot_numa's flush is still deferred",
                        I1, ReclaimScenarios::numaScanVsMigration,
                        Variant.of(KernelVersion.V4_12).without(Feature.MIGRATION_SEES_PENDING_FLUSH).named("v4.12-no-pending-check",
                                "Linux v4.12 with pte_accessible ignoring mm_tlb_flush_pending, as before 20841405940e (v3.12)"),
                        Variant.of(KernelVersion.V4_12),
                        Introduced.longStanding("fixed in v3.13, before every release the model offers"), List.of()),
                new Bug("B6", Feature.TLB_FLUSH_PENDING_ATOMIC, "",
                        "tlb_flush_pending is a bool: one change_prot_numa clears it while another's flush is still deferred",
                        I1, ReclaimScenarios::parallelNumaScansVsMigration,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.TLB_FLUSH_PENDING_ATOMIC),
                        Introduced.by(Feature.MIGRATION_SEES_PENDING_FLUSH), List.of()),
                new Bug("BR1", Feature.FLUSH_TLB_BATCHED_PENDING, "",
                        "mprotect finds the PTE reclaim just cleared, changes nothing, flushes nothing and returns with a writable TLB entry",
                        I2, ReclaimScenarios::reclaimVsMprotect,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.FLUSH_TLB_BATCHED_PENDING),
                        Introduced.longStanding("reclaim's deferred (batched) flush with no flush_tlb_batched_pending in v4.12.0"),
                        List.of(Exercise.on(ReclaimScenarios::reclaimVsMadvise), Exercise.on(ReclaimScenarios::lostBatchedMark3cpu),
                                Exercise.on(ReclaimScenarios::lostBatchedMark2cpu))),
                new Bug("BR2", Feature.TLB_FLUSH_BATCHED_GENERATIONS, "",
                        "flush_tlb_batched_pending clears the bool after its flush_tlb_mm, erasing a reclaim's mark set meanwhile; a later madvise skips the flush and returns with a stale TLB entry",
                        I2, ReclaimScenarios::lostBatchedMark3cpu,
                        Variant.of(KernelVersion.V5_15),
                        Variant.of(KernelVersion.V5_15).with(Feature.TLB_FLUSH_BATCHED_GENERATIONS),
                        Introduced.by(Feature.FLUSH_TLB_BATCHED_PENDING), List.of(Exercise.on(ReclaimScenarios::lostBatchedMark2cpu))));
    }
}
