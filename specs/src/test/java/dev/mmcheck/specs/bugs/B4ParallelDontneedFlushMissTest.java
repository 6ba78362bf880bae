package dev.mmcheck.specs.bugs;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import org.junit.jupiter.api.Test;

import static dev.mmcheck.specs.algorithms.UnmapScenarios.check;
import static dev.mmcheck.specs.algorithms.UnmapScenarios.indexOf;
import static dev.mmcheck.specs.algorithms.UnmapScenarios.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BUGS.md B4, fixed by 99baac21e458 (v4.13): two threads MADV_DONTNEED the same page; the one
 * that finds the PTE already clear skips the flush and returns while a third CPU still has the
 * page in its TLB. v4.12 has no tlb_flush_pending counter; v4.13 forces the flush when another
 * gather is active.
 */
class B4ParallelDontneedFlushMissTest {
    /** T0 and T1 zap 0x0; T2 only runs user code on CPU2, which caches 0x0. */
    static Scenario scenario() {
        return Scenario.named("b4-parallel-dontneed", "T0 and T1 madvise(0x0, 1 page, MADV_DONTNEED); CPU2 caches 0x0")
                .machine(new MachineConfig(3, 3, 4, 2, 5, 3, 0, 7))
                .vma(0, 2).mapped(0).tlb(2, 0)
                .thread(0, Op.madviseDontneed(0, 1)).thread(1, Op.madviseDontneed(0, 1));
    }

    @Test
    void v4_12MissesTheFlush() {
        Result r = check(scenario(), Variant.of(KernelVersion.V4_12));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I2.id(), r.invariantId(), r.invariant());
        assertTrue(r.message().contains("CPU2"), r.message());
        // One madvise clears the PTE and defers the flush; the other finds it clear, flushes
        // nothing and returns before the first one flushes.
        Trace t = r.trace();
        String story = story(t);
        int clearer = indexOf(t, "T0", "zap_pte_range.ptep_get_and_clear_full") >= 0 ? 0 : 1;
        String first = "T" + clearer;
        String second = "T" + (1 - clearer);
        int cleared = indexOf(t, first, "zap_pte_range.ptep_get_and_clear_full");
        int found = indexOf(t, second, "zap_pte_range.pte_offset_map_lock");
        int returned = indexOf(t, second, "1: return to user");
        assertTrue(cleared > 0 && cleared < found && found < returned, story);
        assertEquals(returned, t.length(), story);
        assertEquals(-1, indexOf(t, second, "zap_pte_range.ptep_get_and_clear_full"), story);
        assertEquals(-1, indexOf(t, first, "flush_tlb_mm_range." + TlbFlush.LOCAL), story);
    }

    @Test
    void v4_13ForcesTheFlush() {
        Result r = check(scenario(), Variant.of(KernelVersion.V4_13));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary() + (r.trace() == null ? "" : "\n" + story(r.trace())));
    }
}
