package dev.mmcheck.specs.truncate;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.scenario.Runs;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * __split_vma of a file VMA runs under the file's i_mmap_rwsem (__vma_adjust takes it for write),
 * so it never moves a VMA's bounds while truncate's unmap_mapping_range walks the i_mmap.
 */
class IMmapSplitTest {
    /** v4.20-fixed with munmap's split recording (as I7) any split made while someone holds i_mmap_rwsem. */
    private static Variant splitWatched() {
        return Variants.v4_20Fixed().named("v4.20-fixed-split-watched", "v4.20-fixed, a split under a held i_mmap_rwsem recorded")
                .replaceEffect(Munmap.SPLIT_START, "record a split while i_mmap_rwsem is held", (k, orig) -> {
                    int self = k.threadOf(k.site().process());
                    return s -> {
                        boolean held = k.mm.iMmapRwsem.get(s) != 0 || k.mm.iMmapReaders != null && k.mm.iMmapReaders.get(s) != 0;
                        if (held) {
                            k.ghost.record(s, Ghost.USE_AFTER_FREE_VMA, 0, self);
                        }
                        orig.apply(s);
                    };
                });
    }

    @Test
    void aFileVmaIsNotSplitWhileTruncateWalksTheIMmap() {
        Result r = Runs.check(ScenarioModel.build(TruncateScenarios.munmapSplitVsTruncate(), splitWatched()));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }
}
