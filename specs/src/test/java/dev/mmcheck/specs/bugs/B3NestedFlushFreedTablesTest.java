package dev.mmcheck.specs.bugs;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.algorithms.UnmapScenarios;
import org.junit.jupiter.api.Test;

import static dev.mmcheck.specs.algorithms.UnmapScenarios.check;
import static dev.mmcheck.specs.algorithms.UnmapScenarios.indexOf;
import static dev.mmcheck.specs.algorithms.UnmapScenarios.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BUGS.md B3, fixed by 7a30df49f63a (v5.2): munmap, downgraded to the read lock, frees a page
 * table; a concurrent MADV_DONTNEED makes its tlb_finish_mmu nested, and v4.20's
 * __tlb_reset_range forgets freed_tables, so the flush skips the lazy CPU2, which keeps the freed
 * table in its paging-structure cache.
 */
class B3NestedFlushFreedTablesTest {
    @Test
    void v4_20SkipsTheLazyCpuAndFreesThePageTable() {
        Result r = check(UnmapScenarios.munmapVsMadviseLazy(7), Variant.of(KernelVersion.V4_20));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I1.id(), r.invariantId(), r.invariant());
        assertTrue(r.message().contains("CPU2 (lazy") && r.message().contains("page-table pointer"), r.message());
        Trace t = r.trace();
        String story = story(t);
        int freedTable = indexOf(t, "T0", "free_pgtables.free_pte_range");
        int nestedGather = indexOf(t, "T1", "tlb_gather_mmu.inc_tlb_flush_pending");
        int nested = indexOf(t, "T0", "tlb_finish_mmu.mm_tlb_flush_nested");
        int flushed = indexOf(t, "T0", "flush_tlb_mm_range." + TlbFlush.SEND);
        int freed = indexOf(t, "T0", "tlb_finish_mmu.tlb_flush_mmu_free");
        assertTrue(indexOf(t, "T0", "munmap.downgrade_write") < freedTable, story);
        assertTrue(freedTable > 0 && nestedGather > 0 && nestedGather < nested && nested < flushed && flushed < freed, story);
        assertEquals(freed, t.length(), story);
        assertEquals(-1, indexOf(t, "CPU2", "hw [flush IPI]"), story);
    }

    /**
     * With the fix alone the lazy CPU2 leaves on madvise's full flush, clearing its cpumask bit
     * before its CR3 write, and munmap's flush skips it (CS3); with the cpumask kept until a flush
     * finds the CPU gone (209954cbc7d0) as well, it holds.
     */
    @Test
    void keepingFreedTablesInTheNestedFlushFixesIt() {
        Result r = check(UnmapScenarios.munmapVsMadviseLazy(7), Variant.of(KernelVersion.V4_20)
                .with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES).with(Feature.LAZY_MM_CPUMASK));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary() + (r.trace() == null ? "" : "\n" + story(r.trace())));
    }
}
