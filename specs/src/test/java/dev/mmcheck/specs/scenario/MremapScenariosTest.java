package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** mremap and the rmap zapper: the correct variants hold, the pre-fix ones are caught. */
public class MremapScenariosTest {
    private static final Variant V4_13_PFNMAP = Variants.v4_13().with(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA);

    private static Result run(Scenario sc, Variant v) {
        return Runs.check(ScenarioModel.build(sc, v));
    }

    @Test
    void mremapVsFaultHolds() {
        for (Variant v : Variants.correct()) {
            assertEquals(Verdict.HOLDS, run(MremapScenarios.mremapVsFault(), v).verdict(), v.name());
        }
    }

    @Test
    void mremapLockedHolds() {
        assertEquals(Verdict.HOLDS, run(MremapScenarios.mremapLocked(), Variants.v4_12()).verdict());
    }

    @Test
    void dontunmapLockedHolds() {
        assertEquals(Verdict.HOLDS, run(MremapScenarios.mremapDontunmapLocked(), Variant.of(KernelVersion.V5_8)).verdict());
    }

    @Test
    void pfnmapMunmapVsRevoke() {
        assertEquals(Verdict.VIOLATED, run(MremapScenarios.pfnmapMunmapVsRevoke(), Variants.v4_13()).verdict());
        assertEquals(Verdict.HOLDS, run(MremapScenarios.pfnmapMunmapVsRevoke(), V4_13_PFNMAP).verdict());
    }

    @Test
    void pfnmapMremapVsRevoke() {
        assertEquals(Verdict.VIOLATED, run(MremapScenarios.pfnmapMremapVsRevoke(), Variants.v4_12()).verdict());
        assertEquals(Verdict.HOLDS, run(MremapScenarios.pfnmapMremapVsRevoke(),
                Variants.v4_12().with(Feature.MREMAP_FLUSH_UNDER_PTL)).verdict());
    }
}
