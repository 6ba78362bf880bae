package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.catalogue.AllScenarios;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import org.junit.jupiter.api.Test;

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

    /**
     * UFFDIO_COPY into a table being reclaimed (v6.14+): the copy may find the PMD none at
     * mfill_atomic's second read (-EEXIST though nothing was ever mapped at 0x1000), or map the
     * table under RCU and lose it before its PTE lock (the free waits for the monitor), then
     * -EAGAIN, or install first, which keeps the table. The scenario holds on v6.12 and v6.18.
     */
    @Test
    void aCopyIntoAReclaimedTableFailsWithEexistOrEagain() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsUffdCopy, "-EEXIST with the PMD none",
                (k, s) -> k.userfaultfd.copyResult.get(s) == Userfaultfd.EEXIST && k.machine.pmd.get(s, 0) == Machine.NONE);
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsUffdCopy, "a reclaimed table waits for the monitor's RCU section",
                (k, s) -> k.rcuTables.waitingFor(s, 0) == 1 << 1 && k.machine.pmd.get(s, 0) == Machine.NONE);
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsUffdCopy, "-EAGAIN from the reclaimed PMD, no event in flight",
                (k, s) -> k.userfaultfd.copyResult.get(s) == Userfaultfd.EAGAIN && k.userfaultfd.mmapChanging.get(s) == 0
                        && k.machine.pmd.get(s, 0) == Machine.NONE);
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsUffdCopy, "the copy installed, the table kept",
                (k, s) -> k.machine.pte.get(s, 1) != Machine.NONE && k.machine.pte.get(s, 0) == Machine.NONE
                        && k.mm.tlbFlushPending.get(s) == 0);
        KernelInvariant noSpuriousEexist = k -> Invariant.of(InvariantId.of("X4"), "no -EEXIST from UFFDIO_COPY",
                s -> k.userfaultfd.copyResult.get(s) != Userfaultfd.EEXIST);
        VariantCheck.of(V6_12).invariant(noSpuriousEexist).on(PtReclaimScenarios::reclaimVsUffdCopy).assertHolds();
        VariantCheck.of(V6_12).on(PtReclaimScenarios::reclaimVsUffdCopy).assertHolds();
        VariantCheck.of(V6_18).on(PtReclaimScenarios::reclaimVsUffdCopy).assertHolds();
    }

    /** A userfault resolved by a copy that the reclaim makes fail is woken and faults again; the scenario holds. */
    @Test
    void aUserfaultWhoseCopyFailsFaultsAgain() {
        VmaLockTest.reachable(V6_18, PtReclaimScenarios::reclaimVsUserfault3cpu, "0x1000 mapped through a new table after a failed copy",
                (k, s) -> k.machine.pmd.get(s, 0) > 1 && k.machine.pte.get(s, 1) != Machine.NONE);
        VariantCheck.of(V6_18).on(PtReclaimScenarios::reclaimVsUserfault3cpu).assertHolds();
    }
}
