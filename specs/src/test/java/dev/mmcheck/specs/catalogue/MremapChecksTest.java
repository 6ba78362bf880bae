package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.MremapMutants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mremap / rmap-zapper check gives its verdict; every mutant is caught where its base holds. */
public class MremapChecksTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    @TestFactory
    Stream<DynamicTest> everyCheckGivesItsVerdict() {
        return MremapChecks.checks().stream().filter(c -> !c.exhaustiveOnly()).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Result r = Checker.check(c.model().get(), OPTIONS);
            System.out.printf("%s: %s%s [%,d states, %.1f s]%n", c.name(), r.verdict(),
                    r.trace() != null ? " after " + r.trace().length() + " steps (" + r.invariant() + ")" : "",
                    r.statistics().distinct(), r.statistics().elapsed().toMillis() / 1000.0);
            assertEquals(c.expected(), r.verdict(), c.name() + ": " + r.summary());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyMutantIsCaughtByItsInvariantWhereItsBaseHolds() {
        return MremapMutants.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Result base = Checker.check(ScenarioModel.build(m.scenario().get(), MremapMutants.base(m)), OPTIONS);
            assertEquals(Verdict.HOLDS, base.verdict(), m.name() + " base: " + base.summary());
            Result r = Checker.check(ScenarioModel.build(m.scenario().get(), m.variant()), OPTIONS);
            assertEquals(Verdict.VIOLATED, r.verdict(), m.name() + ": " + r.summary());
            assertTrue(m.caughtBy(r.invariantId()), m.name() + " was caught by " + r.invariant() + ": " + r.message());
        }));
    }
}
