package dev.mmcheck.specs.tlb;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.ChangeProtection;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Runs;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flushes are ranges, as on x86: flush_tlb_func INVLPGs each page of the request (each table with
 * a PMD stride), and a flush of one page does not reach another. Before range flushes every flush
 * was a flush of the whole mm, which hid a flush of too short a range.
 */
class RangeFlushTest {
    @Test
    void invlpgPerPageOrPerTable() {
        assertEquals(0b1111, TlbFlush.invalidatedPages(0, 4, 1));
        assertEquals(0b0101, TlbFlush.invalidatedPages(0, 4, 2), "a PMD stride invalidates the first page of each table");
        assertEquals(0b0010, TlbFlush.invalidatedPages(1, 2, 1));
        assertEquals(0, TlbFlush.invalidatedPages(2, 2, 1), "an empty range invalidates nothing");
    }

    @Test
    void aFlushOfTooShortARangeIsCaught() {
        Mutant m = Mutants.find("mutant-mprotect-flushes-first-page");
        Result r = Runs.check(ScenarioModel.build(m.scenario().get(), m.variant()));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I2.id(), r.invariantId(), r.invariant());
        assertTrue(r.message().contains("0x1000") && r.message().contains("writable"), r.message());
    }

    @Test
    void theSameMutantWithAWholeMmFlushWouldHold() {
        Variant wholeMm = Variants.v4_13().named("v4.13-mprotect-flushes-everything", "mprotect flushes the whole mm")
                .replaceEffect(ChangeProtection.RANGE_FLUSH, "end = every page", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        l.flushStart.set(s, 0);
                        l.flushEnd.set(s, k.config.pages());
                    };
                });
        assertEquals(Verdict.HOLDS, Runs.check(ScenarioModel.build(ReclaimScenarios.mprotectWithRemoteTlb(), wholeMm)).verdict());
    }
}
