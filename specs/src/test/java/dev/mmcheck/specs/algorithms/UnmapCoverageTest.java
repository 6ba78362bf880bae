package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race scenarios reach the paths they were made for, so that their HOLDS means something:
 * forced flushes under the page-table lock, a page-table page filling the batch, the error path
 * of munmap, and the downgrade that v5.8 skips next to a stack.
 */
class UnmapCoverageTest {
    private static final Variant V4_20_FIXED = Variant.of(KernelVersion.V4_20).with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES);

    @Test
    void aGatherOfOnePageFlushesUnderThePteLock() {
        for (Variant v : UnmapScenarios.correctVariants()) {
            UnmapScenarios.Run run = UnmapScenarios.run(UnmapScenarios.munmapVsMadvise(1), v);
            assertEquals(Verdict.HOLDS, run.result().verdict());
            for (String t : new String[] {"T0", "T1"}) {
                assertTrue(run.fired(t, "zap_pte_range.tlb_flush_mmu_tlbonly") > 0, t + " @ " + v);
                assertTrue(run.fired(t, "zap_pte_range.tlb_flush_mmu_free") > 0, t + " @ " + v);
            }
        }
    }

    @Test
    void aPageTableCanFillTheBatch() {
        for (Variant v : UnmapScenarios.correctVariants()) {
            UnmapScenarios.Run run = UnmapScenarios.run(UnmapScenarios.munmapVsMadviseLazy(2), v);
            assertTrue(run.fired("T0", "free_pgtables.tlb_remove_page: batch full") > 0, v.name());
            assertTrue(run.fired("T0", "tlb_flush_mmu.tlb_flush_mmu_free") > 0, v.name());
        }
    }

    @Test
    void bothMunmapsSplitAndOneCanRunOutOfVmaSlots() {
        UnmapScenarios.Run run = UnmapScenarios.run(UnmapScenarios.munmapVsMunmap(), Variant.of(KernelVersion.V4_12));
        assertTrue(run.fired("T1", "munmap.__split_vma(vma, start)") > 0);
        assertTrue(run.fired("T1", "munmap.__split_vma(last, end)") > 0);
        // T1 both succeeds (after T0's munmap freed a VMA slot) and returns -ENOMEM (its second
        // split finds no free slot), which ends at up_write without remove_vma_list.
        assertTrue(run.fired("T1", "munmap.detach_vmas_to_be_unmapped") > 0);
        assertTrue(run.fired("T1", "munmap.up_write") > run.fired("T1", "munmap.remove_vma_list"),
                "some T1 runs must return -ENOMEM without reaching remove_vma_list");
    }

    @Test
    void v5_8KeepsTheWriteLockNextToAStackAndV4_20DowngradesAnyway() {
        UnmapScenarios.Run v58 = UnmapScenarios.run(UnmapScenarios.munmapBelowStack(), Variant.of(KernelVersion.V5_8));
        assertEquals(Verdict.HOLDS, v58.result().verdict());
        assertEquals(0, v58.fired("T0", "munmap.downgrade_write"));
        assertTrue(v58.fired("T0", "munmap.detach_vmas_to_be_unmapped") > 0);
        UnmapScenarios.Run v420 = UnmapScenarios.run(UnmapScenarios.munmapBelowStack(), V4_20_FIXED);
        assertEquals(Verdict.HOLDS, v420.result().verdict());
        assertTrue(v420.fired("T0", "munmap.downgrade_write") > 0);
        assertTrue(v420.fired("T0", "munmap.up_read") > 0);
    }
}
