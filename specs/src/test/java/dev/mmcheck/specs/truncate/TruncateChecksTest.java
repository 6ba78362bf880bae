package dev.mmcheck.specs.truncate;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.specs.catalogue.TruncateChecks;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.TruncateMutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Truncate over page-cache file mappings: the correct variants hold with their exact state counts,
 * v4.12 is caught where madvise races truncate's zap (B4), each mutant is caught by its
 * invariant with a shortest trace of known length, and bad scenarios are rejected clearly.
 */
public class TruncateChecksTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    private static Result run(Scenario sc, Variant v) {
        Result r = Checker.check(ScenarioModel.build(sc, v), OPTIONS);
        System.out.printf("%s@%s: %s [%,d states, %.2f s]%n", sc.name(), v.name(), r.summary(),
                r.statistics().distinct(), r.statistics().elapsed().toMillis() / 1000.0);
        return r;
    }

    /** Distinct states of each scenario under v4.13, v4.20-fixed and v5.17. */
    private static final Map<String, long[]> HOLDS = Map.of(
            "file-munmap-vs-truncate-2cpu", new long[] {5_068, 5_439, 5_439},
            "file-munmap-split-vs-truncate-2cpu", new long[] {15_338, 18_125, 18_125},
            "file-fault-vs-truncate-2cpu", new long[] {5_604, 6_036, 6_036},
            "file-madvise-vs-truncate-2cpu", new long[] {7_774, 10_336, 10_336},
            "file-munmap-vs-truncate-vs-store-3cpu", new long[] {285_508, 456_541, 456_541},
            "file-madvise-vs-truncate-vs-store-3cpu", new long[] {247_073, 322_901, 322_901});

    @TestFactory
    Stream<DynamicTest> correctVariantsHoldWithTheirStateCounts() {
        List<Variant> variants = TruncateChecks.correct();
        assertEquals(List.of("v4.13", "v4.20-fixed", "v5.17"), variants.stream().map(Variant::name).toList());
        return TruncateScenarios.all().stream().flatMap(sc -> {
            String name = sc.get().name();
            return java.util.stream.IntStream.range(0, variants.size()).mapToObj(i -> DynamicTest.dynamicTest(
                    name + "@" + variants.get(i).name(), () -> {
                        Result r = run(sc.get(), variants.get(i));
                        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
                        assertEquals(HOLDS.get(name)[i], r.statistics().distinct(), name + "@" + variants.get(i).name());
                    }));
        });
    }

    @Test
    void v412HoldsWhereOnlyTruncateZaps() {
        assertEquals(3_708, holds(TruncateScenarios::munmapVsTruncate));
        assertEquals(5_080, holds(TruncateScenarios::faultVsTruncate));
        assertEquals(233_788, holds(TruncateScenarios::munmapVsTruncateVsStore));
    }

    private static long holds(Supplier<Scenario> sc) {
        Result r = run(sc.get(), Variants.v4_12());
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        return r.statistics().distinct();
    }

    /**
     * v4.12: madvise finds the PTE that truncate's unmap_mapping_range cleared and returns without
     * a flush while its own CPU still caches it (a store T0 makes now is lost); truncate flushes
     * later, before the page is freed, so only I2 breaks (B4; 99baac21e458 makes the later gather
     * flush when another one is pending).
     */
    @Test
    void v412MadviseMissesTruncatesFlush() {
        Result r = run(TruncateScenarios.madviseVsTruncate(), Variants.v4_12());
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals(KernelProperty.I2.id(), r.invariantId(), r.invariant());
        assertEquals(25, r.trace().length());
        assertEquals(Verdict.HOLDS, run(TruncateScenarios.madviseVsTruncate(), Variants.v4_13()).verdict());
    }

    @TestFactory
    Stream<DynamicTest> mutantsAreCaughtWithShortestTraces() {
        Map<String, Object[]> expected = Map.of(
                "mutant-zap-puts-file-page-at-once", new Object[] {KernelProperty.I1, 27},
                "mutant-delete-from-page-cache-frees", new Object[] {KernelProperty.I7, 29},
                "mutant-fault-no-recheck-after-lock", new Object[] {KernelProperty.I7, 64});
        assertEquals(expected.keySet(), TruncateMutants.all().stream().map(Mutant::name).collect(java.util.stream.Collectors.toSet()));
        return TruncateMutants.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            assertEquals(Verdict.HOLDS, run(m.scenario().get(), m.variant().unpatched()).verdict());
            Result r = run(m.scenario().get(), m.variant());
            assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
            assertEquals(((KernelProperty) expected.get(m.name())[0]).id(), r.invariantId(), m.name() + ": " + r.invariant());
            assertTrue(m.caughtBy(r.invariantId()));
            assertEquals(expected.get(m.name())[1], r.trace().length(), m.name());
        }));
    }

    @Test
    void badScenariosAreRejectedClearly() {
        IllegalArgumentException grow = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(
                Scenario.named("grow", "truncate beyond the size").fileVma(0, 2).thread(0, Op.truncate(2)), Variants.v4_13()));
        assertTrue(grow.getMessage().contains("scenario 'grow'") && grow.getMessage().contains("not below its size"),
                grow.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(
                Scenario.named("mixed", "two files").fileVma(0, 1).pfnVma(2, 3).thread(0, Op.truncate(0)), Variants.v4_13()));
        assertTrue(mixed.getMessage().contains("VM_PFNMAP"), mixed.getMessage());
        IllegalArgumentException reclaim = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(
                Scenario.named("reclaim-file", "reclaim a file page").fileVma(0, 2).mapped(0)
                        .thread(0, Op.reclaim(0)), Variants.v4_13()));
        assertTrue(reclaim.getMessage().contains("RECLAIM") && reclaim.getMessage().contains("not modelled"),
                reclaim.getMessage());
        IllegalArgumentException frames = assertThrows(IllegalArgumentException.class, () -> ScenarioModel.build(
                Scenario.named("too-big", "more cached pages than frames").fileVma(0, 4).mapped(0, 2)
                        .machine(dev.mmcheck.model.machine.MachineConfig.small().withMemory(4, 2, 5)), Variants.v4_13()));
        assertTrue(frames.getMessage().contains("too few"), frames.getMessage());
    }

    /**
     * The races the fault scenario is for are reachable: a fault that maps the page after
     * truncate's first pass (so truncate_inode_page unmaps it), a fault that gets to page_mkwrite, and
     * a store that ends in SIGBUS because its fault found the page truncated.
     */
    @Test
    void theFaultRacesAreReachable() {
        var model = ScenarioModel.build(TruncateScenarios.faultVsTruncate(), Variants.v4_20Fixed());
        Result r = Checker.check(model, OPTIONS);
        long[] fired = r.statistics().transitionsFired();
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (int id = 0; id < fired.length; id++) {
            if (fired[id] > 0) {
                taken.add(model.transition(id).actor() + ": " + model.transition(id).label());
            } else if (!model.transition(id).actor().is("CPU")) {
                System.out.println("never taken: " + model.transition(id).actor() + ": " + model.transition(id).label());
            }
        }
        for (String step : List.of("T1: truncate.truncate_inode_page: unmap_mapping_range",
                "T0: page_fault.alloc_set_pte", "T0: page_fault.filemap_page_mkwrite: lock_page")) {
            assertTrue(taken.contains(step), step + " never taken; taken: " + taken);
        }
        // ... and a store that ends in SIGBUS (the fault found the page truncated).
        var failed = model.layout().field("T0.failed");
        assertEquals(Verdict.VIOLATED, Checker.check(withInvariant(model, "no SIGBUS", s -> failed.get(s) == 0), OPTIONS).verdict());
    }

    /**
     * Without the re-checks after lock_page, a fault maps a page truncate already deleted from the
     * page cache (the orphan mapping is reachable); with them it is not.
     */
    @Test
    void withoutTheRechecksAFaultMapsATruncatedPage() {
        Mutant noRecheck = TruncateMutants.all().stream()
                .filter(m -> m.name().equals("mutant-fault-no-recheck-after-lock")).findFirst().orElseThrow();
        for (boolean patched : new boolean[] {true, false}) {
            var km = ScenarioModel.compile(TruncateScenarios.faultVsTruncate(),
                    patched ? noRecheck.variant() : noRecheck.variant().unpatched());
            Kernel k = km.kernel();
            PageCache pc = k.pageCache;
            Result r = Checker.check(withInvariant(km.model(), "no page outside the page cache is mapped",
                    s -> k.ghost.fault.get(s) != 0 || !(k.machine.pte.get(s, 1) != Machine.NONE
                            && pc.cache.get(s, 1) == Machine.NONE)), OPTIONS);
            if (patched) {
                assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
                assertTrue(r.invariant().startsWith("no page outside"), r.invariant());
            } else {
                assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
            }
        }
    }

    /** The kernel view of a trace names page-cache frames, the page cache, the page locks and i_size. */
    @Test
    void tracesShowThePageCacheInKernelTerms() {
        Mutant m = TruncateMutants.all().get(0);
        List<dev.mmcheck.specs.junit.Outcome> outcomes = dev.mmcheck.specs.junit.VariantCheck.of(m.variant())
                .on(m.scenario()).run();
        String report = outcomes.get(0).report();
        for (String expected : List.of("frames:  0 page table 0x0  1 page cache, file index 0",
                "file:    i_size 0x2000, page cache: 0->frame 1 1->frame 2", "i_size: 0x2000 -> 0x0",
                "page lock of frame 1: free -> T1", "page cache index 0: frame 1 -> none",
                "frame 1: page cache, file index 0 ->", "frame 1 is free")) {
            assertTrue(report.contains(expected), "missing '" + expected + "' in\n" + report);
        }
    }

    private static dev.mmcheck.checker.model.Model withInvariant(dev.mmcheck.checker.model.Model model, String name,
                                                                 dev.mmcheck.checker.program.Guard holds) {
        return model.withInvariant(dev.mmcheck.checker.model.Invariant.of(name, holds::test, s -> name));
    }
}
