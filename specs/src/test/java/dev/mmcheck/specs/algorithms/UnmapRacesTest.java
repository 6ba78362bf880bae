package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * munmap racing with madvise(MADV_DONTNEED) and with another munmap, on two CPUs and on three
 * with a lazy CPU, including gathers small enough to force flushes under the page-table lock:
 * every variant without a known bug in these paths holds, exhaustively. The distinct-state
 * counts are printed ({@code [mmcheck] ...} lines).
 */
class UnmapRacesTest {
    static Stream<Arguments> cases() {
        return UnmapScenarios.races().stream()
                .flatMap(sc -> UnmapScenarios.correctVariants().stream().map(v -> Arguments.of(sc.name(), v.name(), sc, v)));
    }

    @ParameterizedTest(name = "{0} @ {1} holds")
    @MethodSource("cases")
    void correctVariantsHold(String scenarioName, String variantName, Scenario scenario, Variant variant) {
        Result r = UnmapScenarios.check(scenario, variant);
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary()
                + (r.trace() == null ? "" : "\n" + UnmapScenarios.story(r.trace())));
        assertTrue(r.statistics().distinct() > 100, "suspiciously few states: " + r.summary());
    }
}
