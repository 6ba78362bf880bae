package dev.mmcheck.reports;

import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {

    private static Comparison sample() {
        Result incomplete = Checker.check(new CounterGrid(3, 10, 0),
                SearchOptions.defaults().withWorkers(1).withMemoryBytes(16L << 20).withMaxStates(50));
        assertEquals(Verdict.INCOMPLETE, incomplete.verdict());
        return new Comparison("v4.12", "v4.12-fix", List.of(
                new Comparison.Row("mutex", Examples.brokenMutex(), Examples.peterson()),
                new Comparison.Row("philosophers", Examples.philosophers(), Examples.philosophers()),
                new Comparison.Row("grid", incomplete, null)));
    }

    @Test
    void textTableMarksOnlyTheDifferingScenario() {
        Comparison cmp = sample();
        assertEquals(List.of("mutex"), cmp.differences());
        List<String> lines = cmp.text().lines().toList();
        assertEquals("Comparison of A = v4.12 and B = v4.12-fix", lines.get(0));
        assertTrue(lines.get(1).startsWith("scenario "), lines.get(1));
        String mutex = lines.stream().filter(l -> l.startsWith("mutex")).findFirst().orElseThrow();
        assertTrue(mutex.contains("VIOLATED (mutual exclusion)") && mutex.contains("HOLDS") && mutex.endsWith("<- differs"), mutex);
        String phil = lines.stream().filter(l -> l.startsWith("philosophers")).findFirst().orElseThrow();
        assertFalse(phil.contains("differs"), phil);
        assertTrue(phil.contains(String.format("%,d", Examples.philosophers().statistics().distinct())), phil);
        String grid = lines.stream().filter(l -> l.startsWith("grid")).findFirst().orElseThrow();
        assertTrue(grid.contains("INCOMPLETE (states)") && grid.contains("not run"), grid);
        assertEquals("3 scenarios; the verdicts differ in 1: mutex", lines.get(lines.size() - 1));
        int width = lines.get(1).length();
        for (int i : new int[] {3, 4, 5}) {
            assertEquals(lines.get(1).indexOf('|'), lines.get(i).indexOf('|'), "columns line up:\n" + cmp.text());
            assertEquals(lines.get(1).lastIndexOf('|'), lines.get(i).lastIndexOf('|'), "columns line up:\n" + cmp.text());
        }
        assertTrue(width < 100, cmp.text());
    }

    @Test
    void htmlShowsVerdictsStatesAndMessages() {
        Comparison cmp = sample();
        String html = cmp.html();
        HtmlTraceTest.selfContained(html);
        assertTrue(html.contains("<td class=\"v bad\" title=\"2 processes hold the lock"), html);
        assertTrue(html.contains(">VIOLATED (mutual exclusion)</td>"));
        assertTrue(html.contains("<td class=\"v none\">not run</td>"));
        assertTrue(html.contains("<td class=\"v undecided\""));
        assertTrue(html.contains("<tr class=\"differs\"><th>mutex <span class=\"tag\">differs</span></th>"));
    }

    @Test
    void agreementIsSaidPlainly() {
        Comparison same = new Comparison("a", "b", List.of(new Comparison.Row("p", Examples.peterson(), Examples.peterson())));
        assertTrue(same.differences().isEmpty());
        assertTrue(same.text().endsWith("1 scenario; the verdicts agree everywhere\n"), same.text());
        assertTrue(same.html().contains("Same verdicts"));
    }
}
