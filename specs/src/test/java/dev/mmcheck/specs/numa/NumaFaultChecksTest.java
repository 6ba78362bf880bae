package dev.mmcheck.specs.numa;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.NumaFaultChecks;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;
import dev.mmcheck.specs.scenario.Runs;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.NumaFaultMutants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NUMA hinting fault: every catalogue entry holds with its exact state count, the do_numa_page
 * steps are really taken (both outcomes, both orders), the mutants are caught by their invariant
 * with a shortest trace, and models without hinting faults keep their state counts.
 */
class NumaFaultChecksTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);
    /** -Pexhaustive also runs the exhaustive-only scenario. */
    private static final boolean EXHAUSTIVE = Boolean.getBoolean("mmcheck.exhaustive");

    /** Distinct states of each catalogue entry (scenario@variant). */
    private static final Map<String, Long> STATES = Map.ofEntries(
            Map.entry("numa-fault-vs-madvise@v4.13", 4_874L),
            Map.entry("numa-fault-vs-madvise@v4.20-fixed", 5_926L),
            Map.entry("numa-fault-vs-madvise@v5.15", 5_436L),
            Map.entry("numa-fault-vs-madvise@v5.17+ee86814b0562", 5_404L),
            Map.entry("numa-fault-vs-munmap@v4.13", 1_600L),
            Map.entry("numa-fault-vs-munmap@v4.20-fixed", 3_356L),
            Map.entry("numa-fault-vs-munmap@v5.15", 2_971L),
            Map.entry("numa-fault-vs-munmap@v5.17+ee86814b0562", 2_959L),
            Map.entry("numa-fault-vs-mprotect@v4.13", 2_883L),
            Map.entry("numa-fault-vs-mprotect@v4.20-fixed", 3_481L),
            Map.entry("numa-fault-vs-mprotect@v5.15", 3_161L),
            Map.entry("numa-fault-vs-mprotect@v5.17+ee86814b0562", 3_095L),
            Map.entry("numa-faults-one-page@v4.13", 5_200L),
            Map.entry("numa-faults-one-page@v4.20-fixed", 5_896L),
            Map.entry("numa-faults-one-page@v5.15", 5_757L),
            Map.entry("numa-faults-one-page@v5.17+ee86814b0562", 5_556L),
            Map.entry("numa-fault-vs-madvise-3cpu@v4.13", 28_688L),
            Map.entry("numa-fault-vs-madvise-3cpu@v4.20-fixed", 36_528L),
            Map.entry("numa-fault-vs-madvise-3cpu@v5.15", 32_612L),
            Map.entry("numa-fault-vs-madvise-3cpu@v5.17+ee86814b0562", 32_484L),
            Map.entry("numa-fault-vs-pending-flush@v4.13", 1_259L),
            Map.entry("numa-fault-vs-pending-flush@v4.20-fixed", 1_647L),
            Map.entry("numa-fault-vs-pending-flush@v5.15", 1_393L),
            Map.entry("numa-fault-vs-pending-flush@v5.17+ee86814b0562", 1_343L),
            Map.entry("numa-faults-vs-madvise-3cpu@v4.13", 981_063L),
            Map.entry("numa-faults-vs-madvise-3cpu@v4.20-fixed", 1_461_669L),
            Map.entry("numa-faults-vs-madvise-3cpu@v5.15", 1_833_317L),
            Map.entry("numa-faults-vs-madvise-3cpu@v5.17+ee86814b0562", 1_803_912L));

    /** Shortest counterexample of B6 through the hinting fault on v5.15. */
    private static final int B6_TRACE = 24;

    /** Shortest counterexample of each mutant. */
    private static final Map<String, Integer> TRACE = Map.of(
            "mutant-numa-fault-no-pte-same", 42,
            "mutant-numa-fault-no-recheck-after-migration", 48,
            "mutant-numa-fault-restore-without-ptl", 42,
            "mutant-migration-copy-before-flush", 9);

    @TestFactory
    Stream<DynamicTest> everyScenarioHoldsOnTheCorrectVariants() {
        return NumaFaultChecks.checks().stream().filter(c -> EXHAUSTIVE || !c.exhaustiveOnly())
                .map((Check c) -> DynamicTest.dynamicTest(c.name(), () -> {
            Result r = Runs.check(c.name(), c.model().get());
            assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
            assertEquals(STATES.get(c.name()), r.statistics().distinct(), c.name() + " distinct states");
        }));
    }

    @TestFactory
    Stream<DynamicTest> mutantsAreCaughtWithAShortestTrace() {
        return NumaFaultMutants.all().stream().map((Mutant m) -> DynamicTest.dynamicTest(m.name(), () -> {
            Result r = Runs.check(m.name(), ScenarioModel.build(m.scenario().get(), m.variant()));
            assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
            assertTrue(m.caughtBy(r.invariantId()), m.name() + " caught by " + r.invariant());
            assertEquals(TRACE.get(m.name()), r.trace().length(), m.name() + " trace length");
            // Its base version holds on the same scenario.
            Result base = Checker.check(ScenarioModel.build(m.scenario().get(), m.variant().unpatched()), OPTIONS);
            assertEquals(Verdict.HOLDS, base.verdict(), base.summary());
        }));
    }

    /** The catalogue runs the checks and the mutants. */
    @Test
    void catalogueHasTheChecksAndMutants() {
        Set<String> names = new HashSet<>();
        Catalogue.all().forEach(c -> names.add(c.name()));
        for (Check c : NumaFaultChecks.checks()) {
            assertTrue(names.contains(c.name()), c.name());
        }
        for (Mutant m : NumaFaultMutants.all()) {
            assertEquals(m.name(), Mutants.find(m.name()).name());
        }
    }

    /** Not vacuous: the hinting fault restores, migrates and re-checks in both orders. */
    @Test
    void theHintingFaultStepsAreTaken() {
        assertTaken(Variant.of(KernelVersion.V4_13), "do_numa_page.pte_same", "do_numa_page.ptep_modify_prot_commit",
                "do_numa_page.numa_migrate_prep", "migrate_pages.remove_migration_pte",
                "page_fault.migration_entry_wait");
        assertTaken(Variant.of(KernelVersion.V5_15), "do_numa_page.pte_same", "do_numa_page.pte_offset_map_lock",
                "do_numa_page.ptep_modify_prot_commit", "migrate_pages.remove_migration_pte",
                "page_fault.migration_entry_wait");
    }

    private static void assertTaken(Variant v, String... steps) {
        Model model = ScenarioModel.build(NumaFaultScenarios.numaFaultsOnOnePage(), v);
        Result r = Runs.check(model.name(), model);
        Set<String> taken = new HashSet<>();
        long[] fired = r.statistics().transitionsFired();
        for (int id = 0; id < fired.length; id++) {
            if (fired[id] > 0) {
                taken.add(model.transition(id).label());
            }
        }
        for (String step : steps) {
            assertTrue(taken.stream().anyMatch(t -> t.contains(step)), v.name() + ": never took " + step + "; took " + taken);
        }
    }

    /**
     * B6 through the real hinting fault: without 20841405940e's pte_accessible check, v5.15's
     * do_numa_page (b99a342d4f11) migrates a PROT_NONE page without a flush while CPU0 still
     * caches it; v4.13's do_numa_page makes the PTE present first, so migration flushes anyway.
     */
    @Test
    void pendingFlushCheckMattersOnceTheFaultMigratesProtNonePages() {
        Variant v515 = Variant.of(KernelVersion.V5_15).without(Feature.MIGRATION_SEES_PENDING_FLUSH);
        Result r = Runs.check("numa-fault-vs-pending-flush@" + v515.name(),
                ScenarioModel.build(NumaFaultScenarios.numaFaultVsPendingFlush(), v515));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I1.id(), r.invariantId(), r.invariant());
        assertEquals(B6_TRACE, r.trace().length());
        Variant v413 = Variant.of(KernelVersion.V4_13).without(Feature.MIGRATION_SEES_PENDING_FLUSH);
        Result old = Runs.check("numa-fault-vs-pending-flush@" + v413.name(),
                ScenarioModel.build(NumaFaultScenarios.numaFaultVsPendingFlush(), v413));
        assertEquals(Verdict.HOLDS, old.verdict(), old.summary());
    }

    /** Models without a hinting fault (no ACCESS next to NUMA_SCAN) keep their exact state space. */
    @Test
    void otherNumaScenariosKeepTheirStateCounts() {
        assertEquals(890, Runs.check("numa-scan-vs-migration", ScenarioModel.build(ReclaimScenarios.numaScanVsMigration(),
                Variant.of(KernelVersion.V4_13))).statistics().distinct());
        assertEquals(232_400, Runs.check("numa-scans-vs-migration", ScenarioModel.build(ReclaimScenarios.parallelNumaScansVsMigration(),
                Variant.of(KernelVersion.V4_13))).statistics().distinct());
    }
}
