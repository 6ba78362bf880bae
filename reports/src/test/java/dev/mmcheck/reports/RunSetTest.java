package dev.mmcheck.reports;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multi-run summary: lines, counts, and JSON that embeds one run document per run. */
public class RunSetTest {
    @Test
    void summarisesRunsAgainstTheirExpectations() {
        SearchOptions o = SearchOptions.defaults().withWorkers(1);
        RunSet set = new RunSet("mmcheck catalogue");
        set.add(new RunSet.Entry("peterson-2", Map.of("check", "peterson-2"), Checker.check(new Peterson(2), o), Verdict.HOLDS));
        set.add(new RunSet.Entry("broken-mutex", Map.of(), Checker.check(new BrokenMutex(2), o), Verdict.HOLDS));
        assertEquals(List.of(true, false), set.entries().stream().map(RunSet.Entry::asExpected).toList());
        String text = set.text();
        assertTrue(text.contains("UNEXPECTED, expected HOLDS"), text);
        assertTrue(set.counts().endsWith("1 HOLDS, 1 VIOLATED, 0 DEADLOCK, 0 INCOMPLETE; 1 unexpected"), set.counts());
        Object doc = JsonReader.parse(set.json(1));
        Map<?, ?> root = (Map<?, ?>) doc;
        assertEquals(RunSet.SCHEMA, root.get("schema"));
        List<?> runs = (List<?>) root.get("runs");
        assertEquals(2, runs.size());
        Map<?, ?> second = (Map<?, ?>) runs.get(1);
        assertEquals(Boolean.FALSE, second.get("asExpected"));
        assertEquals(RunSummary.SCHEMA, ((Map<?, ?>) second.get("run")).get("schema"));
        assertEquals("VIOLATED", ((Map<?, ?>) second.get("run")).get("verdict"));
    }
}
