package dev.mmcheck.reports;

import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextTraceTest {

    private static void fitsIn(String text, int width) {
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= width, "line longer than " + width + ": '" + line + "'\n" + text);
        }
    }

    @Test
    void brokenMutexReadsAsATable() {
        Result r = Examples.brokenMutex();
        Counterexample c = Counterexample.from(r, Map.of("scenario", "two lockers"));
        String text = TextTrace.render(c, new GenericStateView(r.trace().model()));
        List<String> lines = List.of(text.split("\n"));
        assertEquals("Counterexample: broken-mutex-2", lines.get(0));
        assertTrue(text.contains("  scenario: two lockers\n"), text);
        assertTrue(text.contains("Verdict: VIOLATED: mutual exclusion\n"), text);
        String header = lines.stream().filter(l -> l.trim().startsWith("#")).findFirst().orElseThrow();
        assertTrue(header.matches(" +# \\| P0 +\\| P1"), header);
        for (int i = 1; i <= 4; i++) {
            int step = i;
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(String.format("%3d |", step))), "step " + i + "\n" + text);
        }
        assertTrue(text.contains("await lock == 0"), text);
        assertTrue(text.contains("  at test-then-set lock"), text);
        assertTrue(text.contains("lock: 0 -> 1"), text);
        assertTrue(text.contains("state after step 4:"), text);
        assertTrue(lines.get(lines.size() - 1).startsWith("4 steps, 2 context switches"), text);
        assertTrue(text.contains("Invariant \"mutual exclusion\" is broken: 2 processes hold the lock at once"), text);
        fitsIn(text, 100);
    }

    @Test
    void eachContextSwitchIsMarkedByARule() {
        Result r = Examples.philosophers();
        Counterexample c = Counterexample.from(r, Map.of());
        String text = TextTrace.render(c, new GenericStateView(r.trace().model()));
        long rules = text.lines().filter(l -> l.startsWith("----+")).count();
        // one under the header, one before step 1, one per switch
        assertEquals(2 + c.trace().contextSwitches(), rules, text);
        assertTrue(text.contains("Deadlock: no step is enabled"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches(" +# \\| Phil0 +\\| Phil1 +\\| Phil2")), text);
    }

    @Test
    void columnsAdaptAndLongLabelsWrap() {
        ProgramModel m = Examples.racyUnmap();
        Result r = Examples.check(m);
        assertEquals(Verdict.VIOLATED, r.verdict());
        Counterexample c = Counterexample.from(r, Map.of());
        String wide = TextTrace.render(c, new GenericStateView(m, 50), 140);
        String narrow = TextTrace.render(c, new GenericStateView(m, 50), 60);
        fitsIn(wide, 140);
        fitsIn(narrow, 60);
        String label = "load_through_tlb_with_a_rather_long_label_that_has_to_wrap_somewhere";
        assertTrue(wide.contains(label), wide);
        assertFalse(narrow.contains(label), "the label wraps in 60 columns:\n" + narrow);
        assertTrue(narrow.contains("load_through_tlb"), narrow);
        assertTrue(narrow.lines().anyMatch(l -> l.endsWith("_")), "long names break at their joints:\n" + narrow);
        String header = wide.lines().filter(l -> l.trim().startsWith("#")).findFirst().orElseThrow();
        assertTrue(header.indexOf("T0") < header.indexOf("T1"), header);
    }

    @Test
    void interestingStepsGetAPicture() {
        Result r = Examples.brokenMutex();
        GenericStateView generic = new GenericStateView(r.trace().model());
        StateView view = new StateView() {
            @Override public List<String> changes(long[] before, long[] after) { return generic.changes(before, after); }
            @Override public String picture(long[] state) { return "PICTURE"; }
            @Override public boolean interesting(int step, long[] before, long[] after) { return step == 2; }
        };
        String text = TextTrace.render(Counterexample.of(r.trace(), Finding.of(r)), view);
        assertTrue(text.contains("state after step 2:"), text);
        assertFalse(text.contains("state after step 1:"), text);
        assertFalse(text.contains("state after step 3:"), text);
        assertTrue(text.contains("state after step 4:"), text);
        assertEquals(3, text.lines().filter(l -> l.endsWith(" PICTURE")).count(), "initial, step 2 and last:\n" + text);
    }

    @Test
    void aViewChoosesTheColumns() {
        Result r = Examples.philosophers();
        GenericStateView generic = new GenericStateView(r.trace().model());
        StateView oneLane = new StateView() {
            @Override public List<String> changes(long[] before, long[] after) { return generic.changes(before, after); }
            @Override public String picture(long[] state) { return ""; }
            @Override public String actorColumn(dev.mmcheck.checker.model.Transition t) { return "table"; }
        };
        String text = TextTrace.render(r.trace(), oneLane, Finding.of(r));
        assertTrue(text.lines().anyMatch(l -> l.matches(" +# \\| table")), text);
        assertFalse(text.contains("Phil0 |"), text);
    }
}
