package org.example.proposals;

import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two proposals for tlb_finish_mmu, checked against v4.20 with its later fixes. */
class TlbFinishMmuProposalTest {
    @Test
    void droppingTheNestedCheckLosesAFlush() {
        Violation v = VariantCheck.of(Variants.v4_20Fixed())
                .replaceEffect(MmuGather.FINISH_NESTED, "skip the nested-gather check", (k, original) -> s -> { })
                .named("v4.20-fixed-no-nested-check", "v4.20-fixed without the nested-gather flush")
                .on(Scenarios::parallelDontneed)
                .assertViolates(KernelProperty.I2);
        assertEquals("parallel-madv-dontneed", v.scenario());
        System.out.println(v); // the shortest trace, in kernel words
    }

    @Test
    void alwaysFlushingEverythingHolds() {
        VariantCheck.of(Variants.v4_20Fixed())
                .replaceEffect(MmuGather.FINISH_NESTED, "always flush the whole mm", (k, original) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);      // the patched thread's mmu_gather
                    return s -> {
                        l.gatherWholeMm(s);
                        l.gatherFreedTables.set(s, 1);
                    };
                })
                .on(Scenarios::parallelDontneed, Scenarios::nestedFlushWithLazyCpu)
                .assertHolds();
    }
}
