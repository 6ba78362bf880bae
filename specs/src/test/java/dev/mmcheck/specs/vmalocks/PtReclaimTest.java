package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.model.versions.UnmodelledChange;
import dev.mmcheck.specs.catalogue.AllScenarios;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PT_RECLAIM (v6.14+, docs/model-vma-locks.md "PT_RECLAIM"): a MADV_DONTNEED over a whole page
 * table frees the table it emptied, after the flush and an RCU grace period; a fault that mapped
 * the table re-checks the PMD under the PTE lock and starts over.
 */
class PtReclaimTest {
    private static final Variant V6_12 = Variant.of(KernelVersion.V6_12);
    private static final Variant V6_18 = Variant.of(KernelVersion.V6_18);

    /** The zap clears the PMD of the table it emptied while the VMA stays; v6.12 keeps the table. */
    @Test
    void aWholeTableDontneedFreesTheTableFromV614() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsFault, "the table reclaimed, the VMA still mapped",
                (k, s) -> k.machine.pmd.get(s, 0) == Machine.NONE && k.mm.vmaInTree.get(s, 0) == 1);
        KernelInvariant kept = k -> Invariant.of(InvariantId.of("X3"), "the page table stays", s -> k.machine.pmd.get(s, 0) != Machine.NONE);
        VariantCheck.of(V6_12).invariant(kept).on(PtReclaimScenarios::reclaimVsFault).assertHolds();
    }

    /** The reclaimed table's free waits for the fault that mapped it under rcu_read_lock. */
    @Test
    void theFreeWaitsForAFaultThatMappedTheTable() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsFault, "a reclaimed table waits for T1's RCU section",
                (k, s) -> k.rcuTables.waitingFor(s, 0) == 1 << 1 && k.machine.pmd.get(s, 0) == Machine.NONE);
    }

    /** A fault that finds the PMD gone releases its page and faults again, into a new table. */
    @Test
    void aFaultAfterTheReclaimAllocatesANewTable() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsFault, "0x1000 mapped through a new table",
                (k, s) -> k.machine.pmd.get(s, 0) > 1 && k.machine.pte.get(s, 1) != Machine.NONE);
    }

    /**
     * With a batch of one page the zap drops the PTE lock midway, so only try_to_free_pte
     * reclaims, after re-checking every PTE: a store that refilled 0x0000 keeps the table.
     */
    @Test
    void afterAForcedFlushTheTableIsReclaimedOnlyIfStillEmpty() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimAfterForcedFlushVsFault, "reclaimed by try_to_free_pte",
                (k, s) -> k.machine.pmd.get(s, 0) == Machine.NONE);
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimAfterForcedFlushVsFault, "kept: T1 refilled 0x0000, T0 done",
                (k, s) -> k.machine.pmd.get(s, 0) == 1 && k.machine.pte.get(s, 0) != Machine.NONE && k.machine.pte.get(s, 1) == Machine.NONE
                        && k.mm.tlbFlushPending.get(s) == 0 && k.mm.vmaLockReaders.get(s, 0) == 0);
        VariantCheck.of(V6_18).on(PtReclaimScenarios::reclaimAfterForcedFlushVsFault).assertHolds();
    }

    /** A shared file fault holds RCU from finish_fault's map; with the table gone it returns VM_FAULT_NOPAGE and faults again. */
    @Test
    void aFileFaultReChecksThePmdToo() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::fileReclaimVsFault, "a reclaimed table waits for T1's file fault",
                (k, s) -> k.rcuTables.waitingFor(s, 0) == 1 << 1 && k.machine.pmd.get(s, 0) == Machine.NONE);
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::fileReclaimVsFault, "0x1000 mapped through a new table",
                (k, s) -> k.machine.pmd.get(s, 0) > 1 && k.machine.pte.get(s, 1) != Machine.NONE);
        VariantCheck.of(V6_18).on(PtReclaimScenarios::fileReclaimVsFault).assertHolds();
    }

    /** The scenarios whose MADV_DONTNEED covers a table (refused on v6.18 before PT_RECLAIM was modelled) hold. */
    @Test
    void theTableCoveringScenariosHoldOnV618() {
        VariantCheck.of(V6_18).on(PtReclaimScenarios::reclaimVsFault, AllScenarios.byName().get("madvise-one-thread"),
                AllScenarios.byName().get("munmap-vs-madvise-2cpu"), AllScenarios.byName().get("file-madvise-vs-truncate-2cpu"))
                .assertHolds();
    }

    /** A NUMA hinting fault holds RCU from handle_pte_fault's map to do_numa_page's PTE lock; the scenario holds. */
    @Test
    void aNumaHintingFaultHoldsRcuUntilItsPteLock() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::numaFaultVsReclaim, "a reclaimed table waits for T0's NUMA fault",
                (k, s) -> k.rcuTables.waitingFor(s, 0) == 1 && k.machine.pmd.get(s, 0) == Machine.NONE);
        VariantCheck.of(V6_18).on(PtReclaimScenarios::numaFaultVsReclaim).assertHolds();
    }

    /** A table-covering MADV_DONTNEED with a userfaultfd (UFFDIO_COPY's install has no PMD re-check in the model) is refused from v6.14. */
    @Test
    void aUserfaultfdBesideItIsRefused() {
        Scenario sc = Scenario.named("reclaim-vs-uffd", "MADV_DONTNEED of a table with a userfaultfd monitor")
                .machine(MachineConfig.small())
                .uffdVma(0, 2)
                .thread(0, Op.madviseDontneed(0, 2))
                .uffdMonitor(1);
        assertTrue(sc.unmodelled().contains(UnmodelledChange.PT_RECLAIM_UNDER_OTHER_WALKERS));
        assertFalse(sc.runsOn(V6_18));
        assertTrue(sc.runsOn(V6_12));
        VmaLockTest.refused(sc, V6_18, "PT_RECLAIM_UNDER_OTHER_WALKERS");
    }
}
