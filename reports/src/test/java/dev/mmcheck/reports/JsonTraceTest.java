package dev.mmcheck.reports;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.DiningPhilosophers;
import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTraceTest {
    private static final Map<String, String> META = new LinkedHashMap<>();

    static {
        META.put("scenario", "two \"lockers\"\n<race>");
        META.put("variant", "v4.12 \u2192 fix");
    }

    private static Counterexample mutex() {
        return Counterexample.from(Examples.brokenMutex(), META);
    }

    private static String mutexJson() {
        Counterexample c = mutex();
        return JsonTrace.write(c, new GenericStateView(c.trace().model()));
    }

    @Test
    void documentHoldsEverythingTheSchemaPromises() {
        Counterexample c = mutex();
        Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(mutexJson());
        assertEquals("mmcheck-trace/1", doc.get("schema"));
        assertEquals("mmcheck", ((Map<?, ?>) doc.get("tool")).get("name"));
        assertFalse(((String) ((Map<?, ?>) doc.get("tool")).get("version")).isEmpty());
        assertEquals("broken-mutex-2", doc.get("model"));
        assertEquals(META, doc.get("metadata"));
        assertEquals("VIOLATED", doc.get("verdict"));
        assertEquals("mutual exclusion", doc.get("invariant"));
        assertTrue(((String) doc.get("explanation")).contains("2 processes hold the lock"));
        assertEquals(new BigDecimal(0), doc.get("initialOrdinal"));
        assertEquals(new BigDecimal(4), doc.get("length"));
        assertEquals(new BigDecimal(c.trace().contextSwitches()), doc.get("contextSwitches"));
        assertEquals(new BigDecimal(c.originalSwitches()), doc.get("contextSwitchesBeforeReordering"));
        List<String> names = new ArrayList<>();
        for (Field f : c.trace().model().layout().fields()) {
            names.add(f.name());
        }
        assertEquals(names, doc.get("fields"));
        List<?> steps = (List<?>) doc.get("steps");
        assertEquals(4, steps.size());
        for (int i = 0; i < 4; i++) {
            Map<?, ?> st = (Map<?, ?>) steps.get(i);
            var t = c.trace().steps().get(i + 1).transition();
            assertEquals(new BigDecimal(i + 1), st.get("index"));
            assertEquals(new BigDecimal(t.id()), st.get("transition"));
            assertEquals(t.actor().toString(), st.get("actor"));
            assertEquals(t.actor().toString(), st.get("column"));
            assertEquals(t.label(), st.get("label"));
            assertEquals(t.source(), st.get("source"));
            assertFalse(((List<?>) st.get("changes")).isEmpty());
            Map<?, ?> state = (Map<?, ?>) st.get("state");
            assertEquals(names, new ArrayList<>(state.keySet()));
            for (Field f : c.trace().model().layout().fields()) {
                assertEquals(new BigDecimal(f.get(c.trace().steps().get(i + 1).state())), state.get(f.name()));
            }
        }
        Map<?, ?> stats = (Map<?, ?>) doc.get("statistics");
        assertEquals(new BigDecimal(Examples.brokenMutex().statistics().distinct()), stats.get("distinct"));
    }

    @Test
    void readBackGivesWhatReplayNeeds() {
        Counterexample c = mutex();
        TraceFile f = JsonTrace.read(mutexJson());
        assertEquals("broken-mutex-2", f.model());
        assertEquals(META, f.metadata());
        assertEquals(List.copyOf(META.keySet()), List.copyOf(f.metadata().keySet()), "order kept");
        assertEquals(Verdict.VIOLATED, f.verdict());
        assertEquals("mutual exclusion", f.invariant());
        assertEquals(InvariantId.of("mutual exclusion"), f.invariantId());
        assertEquals(0, f.initialOrdinal());
        assertArrayEquals(c.trace().transitionIds(), f.transitions());
    }

    @Test
    void replayConfirmsViolationsAndDeadlocks() {
        ReplayCheck ok = TraceFiles.replay(mutexJson(), new BrokenMutex(2));
        assertTrue(ok.confirmed(), ok.message());
        assertTrue(ok.message().contains("breaks \"mutual exclusion\""), ok.message());

        Result deadlock = Examples.philosophers();
        Counterexample dc = Counterexample.from(deadlock, Map.of());
        String json = JsonTrace.write(dc, new GenericStateView(deadlock.trace().model()));
        ReplayCheck dr = TraceFiles.replay(json, new DiningPhilosophers(3));
        assertTrue(dr.confirmed(), dr.message());
        assertEquals(3, dr.trace().length());
    }

    @Test
    void replayMatchesTheInvariantByIdNotByItsDisplayName() {
        String json = mutexJson();
        assertTrue(json.contains("\"invariantId\": \"mutual exclusion\""), json);
        // The display name may be reworded; the id is what identifies the invariant.
        ReplayCheck renamed = TraceFiles.replay(json.replace("\"invariant\": \"mutual exclusion\"", "\"invariant\": \"at most one in the critical section\""), new BrokenMutex(2));
        assertTrue(renamed.confirmed(), renamed.message());
        // The same name under another id is another invariant.
        ReplayCheck other = TraceFiles.replay(json.replace("\"invariantId\": \"mutual exclusion\"", "\"invariantId\": \"U9\""), new BrokenMutex(2));
        assertFalse(other.confirmed());
        assertTrue(other.message().contains("no invariant with id U9"), other.message());
        // A file from before ids matches by name.
        ReplayCheck old = TraceFiles.replay(json.replace("\"invariantId\": \"mutual exclusion\",", ""), new BrokenMutex(2));
        assertTrue(old.confirmed(), old.message());
        assertNull(JsonTrace.read(json.replace("\"invariantId\": \"mutual exclusion\",", "")).invariantId());
    }

    @Test
    void replayReportsATraceThatNoLongerShowsItsClaim() {
        // Drop the last step: the trace replays but the invariant still holds.
        String json = mutexJson();
        Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(json);
        List<?> steps = (List<?>) doc.get("steps");
        int last = ((BigDecimal) ((Map<?, ?>) steps.get(3)).get("transition")).intValue();
        String shortened = json.substring(0, json.lastIndexOf("    {\n      \"index\": 4")).replaceAll(",\\s*$", "\n")
                + "  ],\n  \"statistics\": null\n}\n";
        ReplayCheck r = TraceFiles.replay(shortened.replace("\"length\": 4", "\"length\": 3"), new BrokenMutex(2));
        assertFalse(r.confirmed());
        assertTrue(r.message().contains("satisfies \"mutual exclusion\""), r.message());
        assertTrue(last >= 0);

        // A transition that is not enabled where the trace takes it.
        String first = "\"transition\": " + ((Map<?, ?>) steps.get(0)).get("transition") + ",";
        String broken = json.replaceFirst("\"index\": 2,\n(\\s*)\"transition\": \\d+,", "\"index\": 2,\n$1" + first);
        ReplayCheck b = TraceFiles.replay(broken, new BrokenMutex(2));
        assertFalse(b.confirmed());
        assertNull(b.trace());
        assertTrue(b.message().contains("does not replay") && b.message().contains("step 2"), b.message());
    }

    @Test
    void replayComparesEveryRecordedStateAndNamesTheFirstStepAndFieldThatDiffer() {
        String json = mutexJson();
        Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(json);
        List<?> steps = (List<?>) doc.get("steps");
        Map<?, ?> state2 = (Map<?, ?>) ((Map<?, ?>) steps.get(1)).get("state");
        String field = (String) state2.keySet().iterator().next();
        String value = state2.get(field).toString();
        // Edit one field of the state after step 2: the steps still replay and the end still breaks the invariant.
        int at = json.indexOf("\"index\": 2");
        int f = json.indexOf("\"" + field + "\": " + value, json.indexOf("\"state\"", at));
        String edited = json.substring(0, f) + "\"" + field + "\": " + (Integer.parseInt(value) + 1)
                + json.substring(f + field.length() + 4 + value.length());
        ReplayCheck r = TraceFiles.replay(edited, new BrokenMutex(2));
        assertFalse(r.confirmed());
        assertEquals("step 2: field '" + field + "' is " + (Integer.parseInt(value) + 1) + " in the file but " + value
                + " when re-executed", r.message());

        String initial = json.replaceFirst("(\"initialState\": \\{\"[^\"]+\": )(\\d+)", "$17");
        ReplayCheck ri = TraceFiles.replay(initial, new BrokenMutex(2));
        assertFalse(ri.confirmed());
        assertTrue(ri.message().startsWith("the initial state: field '"), ri.message());

        String missing = json.replaceFirst("(\"initialState\": \\{)\"[^\"]+\": \\d+, ", "$1");
        assertTrue(TraceFiles.replay(missing, new BrokenMutex(2)).message().contains("records no field"));
        String extra = json.replaceFirst("(\"initialState\": \\{)", "$1\"ghost\": 1, ");
        assertTrue(TraceFiles.replay(extra, new BrokenMutex(2)).message().contains("field 'ghost' the model does not have"));
        String notANumber = json.replaceFirst("(\"initialState\": \\{\"[^\"]+\": )(\\d+)", "$1\"x\"");
        assertTrue(readError(notANumber).startsWith("$.initialState."), readError(notANumber));
    }

    @Test
    void replayOnAnotherModelIsAUsageError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceFiles.replay(mutexJson(), new Peterson(2)));
        assertTrue(e.getMessage().contains("$.model") && e.getMessage().contains("broken-mutex-2"), e.getMessage());
    }

    private static String readError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> JsonTrace.read(json)).getMessage();
    }

    @Test
    void malformedOrForeignDocumentsSayWhatIsWrong() {
        String json = mutexJson();
        assertTrue(readError("not json").startsWith("not valid JSON: line 1, column 1"), readError("not json"));
        assertTrue(readError(json.substring(0, json.length() / 2)).startsWith("not valid JSON"));
        assertTrue(readError("[1, 2]").contains("$: expected an object"), readError("[1, 2]"));
        assertTrue(readError("{\"name\": \"package.json\"}").contains("$.schema is missing: this is not an mmcheck trace"));
        String run = RunSummary.json("x", Examples.brokenMutex());
        assertTrue(readError(run).contains("$.schema: \"mmcheck-run/1\" is not supported"), readError(run));
        assertTrue(readError(json.replace("mmcheck-trace/1", "mmcheck-trace/2")).contains("mmcheck-trace/2"));
        String badId = json.replaceFirst("\"transition\": \\d+", "\"transition\": \"P0\"");
        assertEquals("$.steps[0].transition: expected a non-negative integer, found a string", readError(badId));
        String negative = json.replace("\"initialOrdinal\": 0", "\"initialOrdinal\": -1");
        assertTrue(readError(negative).contains("$.initialOrdinal: expected a non-negative integer, found -1"), readError(negative));
        String fraction = json.replace("\"initialOrdinal\": 0", "\"initialOrdinal\": 0.5");
        assertTrue(readError(fraction).contains("$.initialOrdinal"));
        String noSteps = json.replace("\"steps\"", "\"stepz\"");
        assertEquals("$.steps is missing", readError(noSteps));
        String badMeta = json.replace("\"variant\": ", "\"variant\": 7, \"x\": ");
        assertTrue(readError(badMeta).contains("$.metadata.variant: expected a string, found the number 7"), readError(badMeta));
        String holds = json.replace("\"verdict\": \"VIOLATED\"", "\"verdict\": \"HOLDS\"");
        assertTrue(readError(holds).contains("$.verdict"), readError(holds));
        String wrongLength = json.replace("\"length\": 4", "\"length\": 5");
        assertTrue(readError(wrongLength).contains("$.length"), readError(wrongLength));
        String reordered = json.replace("\"index\": 2", "\"index\": 7");
        assertTrue(readError(reordered).contains("$.steps[1].index: expected 2"), readError(reordered));
    }

    @Test
    void filesRoundTripAndErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Counterexample c = mutex();
        Path file = dir.resolve("mutex.json");
        TraceFiles.write(file, c, new GenericStateView(c.trace().model()));
        assertArrayEquals(c.trace().transitionIds(), TraceFiles.read(file).transitions());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"schema\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceFiles.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": $.schema: expected a string"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TraceFiles.read(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json: cannot read"), missing.getMessage());
    }
}
