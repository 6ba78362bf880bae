package dev.mmcheck.specs.contextswitch;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.ContextSwitchChecks;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every context-switch catalogue entry gets its expected verdict (correct variants hold, mutants and B9 caught). */
class ContextSwitchChecksTest {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    @TestFactory
    Stream<DynamicTest> everyCheckHasItsVerdict() {
        return ContextSwitchChecks.checks().stream().filter(c -> !c.exhaustiveOnly())
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private static void run(Check c) {
        long t0 = System.nanoTime();
        Result r = Checker.check(c.model().get(), OPTIONS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder sb = new StringBuilder("[" + c.name() + "] " + r.summary() + " in " + ms + " ms");
        if (r.verdict() == Verdict.VIOLATED || r.verdict() == Verdict.DEADLOCK) {
            sb.append(" trace length ").append(r.trace().length()).append(" (").append(r.invariant()).append(")\n  ").append(r.message());
            for (int i = 1; i < r.trace().steps().size(); i++) {
                var t = r.trace().steps().get(i).transition();
                sb.append("\n  ").append(i).append(". ").append(t.actor()).append(": ").append(t.label());
            }
        }
        System.out.println(sb);
        assertEquals(c.expected(), r.verdict(), sb.toString());
    }
}
