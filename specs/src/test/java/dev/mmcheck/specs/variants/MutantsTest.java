package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.specs.scenario.ScenarioModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mutant is caught on its scenario, where the variant it patches holds. */
public class MutantsTest {

    private static Result run(Mutant m, boolean patched) {
        var variant = patched ? m.variant() : m.variant().unpatched();
        return Checker.check(ScenarioModel.build(m.scenario().get(), variant), SearchOptions.defaults().withWorkers(2));
    }

    @TestFactory
    Stream<DynamicTest> everyMutantIsCaughtWhereTheBaseHolds() {
        return Mutants.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Result base = run(m, false);
            assertEquals(Verdict.HOLDS, base.verdict(), m.variant().unpatched().name() + " on " + m.scenario().get().name() + ": " + base.summary());
            Result r = run(m, true);
            assertEquals(m.expected(), r.verdict(), m.name() + ": " + r.summary());
            assertNotNull(r.trace());
            if (r.verdict() == Verdict.VIOLATED) {
                assertTrue(m.caughtBy(r.invariantId()), m.name() + " was caught by " + r.invariant() + ": " + r.message());
            }
            System.out.printf("%s: %s after %d steps (%,d states)%n", m.name(),
                    r.invariant() == null ? r.verdict() : r.invariant(), r.trace().length(), r.statistics().distinct());
        }));
    }

    @Test
    void atLeastEightDistinctMutants() {
        Set<String> names = new HashSet<>();
        for (Mutant m : Mutants.all()) {
            assertTrue(names.add(m.name()));
            assertEquals(m.name(), Mutants.find(m.name()).name());
            assertTrue(!m.variant().patches().isEmpty(), m.name() + " patches nothing");
        }
        assertTrue(names.size() >= 8);
        assertThrows(IllegalArgumentException.class, () -> Mutants.find("mutant-nope"));
    }
}
