package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.catalogue.ContextSwitchChecks;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bug is listed on another scenario only if its fix is what makes the scenario hold: on the
 * oldest release the bug affects, the release with the fix added (and the fixes of any bug that
 * fix uncovers on the same scenario, e.g. UF2 after B11's fix) holds. The release matrix
 * (CatalogueTest) checks that the releases themselves are caught.
 */
class BugScenariosTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);
    /** -Pexhaustive also checks the bugs' large scenarios. */
    private static final boolean EXHAUSTIVE = Boolean.getBoolean("mmcheck.exhaustive");

    @TestFactory
    Stream<DynamicTest> theFixMakesEachExercisedScenarioHold() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Bug b : Bugs.all()) {
            List<Supplier<Scenario>> scenarios = new ArrayList<>();
            scenarios.add(b.scenario());
            b.alsoExercised().forEach(e -> scenarios.add(e.scenario()));
            for (Supplier<Scenario> sc : scenarios) {
                String name = sc.get().name();
                Optional<Variant> oldest = Variants.releases().stream()
                        .filter(r -> b.affects(r.base(), r.configs()) && b.exercisedBy(name, r) && sc.get().runsOn(r))
                        .findFirst();
                if (oldest.isPresent() && !EXHAUSTIVE && (sc.get().isExhaustiveOnly() || ContextSwitchChecks.large(sc.get(), oldest.get()))) {
                    continue; // a large scenario: the exhaustive profile checks it
                }
                if (oldest.isEmpty()) {
                    // A bug of no offered release (CS1, B18) may name scenarios for its composites;
                    // a bug of some release must be exercisable by one that has it.
                    boolean ofSomeRelease = Variants.releases().stream().anyMatch(r -> b.affects(r.base(), r.configs()));
                    assertTrue(!ofSomeRelease || b.scenario() == sc, b.id() + " affects no release that can run " + name);
                    continue; // its bug checks cover it
                }
                tests.add(DynamicTest.dynamicTest(b.id() + " " + b.fixCommit() + " on " + name + "@" + oldest.get().name(),
                        () -> assertHoldsWithFixes(sc.get(), oldest.get().with(b.fix()))));
            }
        }
        return tests.stream();
    }

    /** Runs {@code v} on {@code sc}; while a listed bug of the scenario still shows, adds its fix. */
    private static void assertHoldsWithFixes(Scenario sc, Variant v) {
        for (int i = 0; i <= Bugs.all().size(); i++) {
            Result r = Checker.check(ScenarioModel.build(sc, v), OPTIONS);
            if (r.verdict() == Verdict.HOLDS) {
                return;
            }
            Variant at = v;
            Optional<Bug> next = Bugs.all().stream()
                    .filter(b -> b.affects(at) && b.exercisedBy(sc.name(), at) && r.violated(b.invariantOn(sc.name()).id()))
                    .findFirst();
            if (next.isEmpty()) {
                fail(sc.name() + "@" + v.name() + " is " + r.summary() + " and no bug listed for the scenario explains it");
            }
            v = v.with(next.get().fix());
        }
        fail(sc.name() + ": fixes do not converge");
    }

    @Test
    void eachBugAffectsItsBuggyVariantAndNotItsFixedOne() {
        for (Bug b : Bugs.all()) {
            assertTrue(b.affects(b.buggy()), b.id() + " " + b.fixCommit() + ": buggy " + b.buggy().name());
            assertFalse(b.affects(b.fixed()), b.id() + " " + b.fixCommit() + ": fixed " + b.fixed().name());
        }
    }

    @Test
    void affectedReleasesComeFromTheFacts() {
        Bug b2 = Bugs.find("B2");
        assertEquals(List.of("v4.20", "v5.2", "v5.4"), Variants.releases().stream()
                .filter(r -> b2.affects(r.base(), r.configs())).map(Variant::name).toList());
        Bug b9 = Bugs.find("B9");
        assertEquals(List.of("v4.14"), Variants.releases().stream()
                .filter(r -> b9.affects(r.base(), r.configs())).map(Variant::name).toList());
        Bug cs1 = Bugs.find("CS1");
        assertTrue(Variants.releases().stream().noneMatch(r -> cs1.affects(r.base(), r.configs())),
                "CS1 is a bug of v6.14 to v6.15-rc5 and of stable trees: no release the model offers has it");
        assertEquals("v6.15", cs1.fixedIn().label());
    }
}
