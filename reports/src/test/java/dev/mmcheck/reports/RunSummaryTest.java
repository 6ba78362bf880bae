package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Result;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSummaryTest {

    @Test
    void jsonOfAViolation() {
        Result r = Examples.brokenMutex();
        Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(RunSummary.json("mutex", r, Map.of("variant", "broken")));
        assertEquals("mmcheck-run/1", doc.get("schema"));
        assertEquals("mutex", doc.get("check"));
        assertEquals(Map.of("variant", "broken"), doc.get("metadata"));
        assertEquals("VIOLATED", doc.get("verdict"));
        assertEquals(new BigDecimal(1), doc.get("exitCode"));
        assertEquals("mutual exclusion", doc.get("invariant"));
        assertEquals(r.message(), doc.get("message"));
        Map<?, ?> trace = (Map<?, ?>) doc.get("trace");
        assertEquals(new BigDecimal(4), trace.get("length"));
        assertEquals(new BigDecimal(r.trace().contextSwitches()), trace.get("contextSwitches"));
        Map<?, ?> stats = (Map<?, ?>) doc.get("statistics");
        assertEquals(new BigDecimal(r.statistics().distinct()), stats.get("distinct"));
        assertEquals(r.statistics().transitionsFired().length, ((List<?>) stats.get("transitionsFired")).size());
    }

    @Test
    void jsonOfAHoldingRunHasNoTrace() {
        Result r = Examples.peterson();
        Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(RunSummary.json("peterson", r));
        assertEquals("HOLDS", doc.get("verdict"));
        assertEquals(new BigDecimal(0), doc.get("exitCode"));
        assertTrue(doc.containsKey("trace"));
        assertNull(doc.get("trace"));
        assertNull(doc.get("limit"));
        assertEquals(Map.of(), doc.get("metadata"));
    }

    @Test
    void textStillSummarises() {
        String text = RunSummary.text("mutex", Examples.brokenMutex());
        assertTrue(text.startsWith("mutex: VIOLATED\n"), text);
        assertTrue(text.contains("trace:       4 steps"), text);
    }
}
