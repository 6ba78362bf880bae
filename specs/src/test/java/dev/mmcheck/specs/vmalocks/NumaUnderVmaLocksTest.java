package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import org.junit.jupiter.api.Test;

import java.util.function.BiPredicate;

/**
 * NUMA hinting faults and migration on kernels with per-VMA locks
 * (docs/research/v6.x-numa-migration-under-vma-lock.md): do_numa_page and its migration run to
 * the end under the VMA's read lock, change_prot_numa raises tlb_flush_pending through its own
 * mmu_gather, and from v6.3 migration batches its flush.
 */
class NumaUnderVmaLocksTest {
    private static final Variant V6_1 = Variant.of(KernelVersion.V6_1);
    private static final Variant V6_6 = Variant.of(KernelVersion.V6_6);
    private static final Variant V6_12 = Variant.of(KernelVersion.V6_12);
    private static final Variant V6_18 = Variant.of(KernelVersion.V6_18);

    /** The hinting fault migrates the page (its PTE a migration entry) holding only the VMA's read lock. */
    @Test
    void theHintingFaultMigratesUnderTheVmaLock() {
        for (Variant v : new Variant[] {V6_6, V6_12, V6_18}) {
            VmaLockTest.reachable(v, NumaFaultScenarios::numaFaultVsMunmap, "T0 migrates 0x0000 under the VMA lock",
                    (k, s) -> k.mm.faultVmaLocked.get(s, 0) != Mm.NONE && k.numa.migrationEntry.get(s, 0) == 1
                            && k.mm.semReaders.get(s) == 0);
        }
    }

    /** change_prot_numa's own tlb_gather_mmu raises tlb_flush_pending before the PTE turns PROT_NONE. */
    @Test
    void changeProtNumaRaisesThePendingFlush() {
        VmaLockTest.reachable(V6_12, ReclaimScenarios::numaScanVsMigration, "the scan holds a pending flush",
                (k, s) -> k.mm.tlbFlushPending.get(s) > 0);
    }

    /** From v6.3 an accessible PTE's flush is batched (set_tlb_ubc_flush_pending); v6.1 flushes at once. */
    @Test
    void migrationBatchesItsFlushFromV63() {
        BiPredicate<Kernel, long[]> batched = (k, s) -> k.locals(1).ubcCpumask.get(s) != 0;
        VmaLockTest.reachable(V6_6, ReclaimScenarios::numaScanVsMigration, "T1's migration batched its flush", batched);
        KernelInvariant never = k -> Invariant.of(InvariantId.of("X1"), "no batched migration flush",
                s -> !batched.test(k, s));
        VariantCheck.of(V6_1).invariant(never).on(ReclaimScenarios::numaScanVsMigration).assertHolds();
    }
}
