package dev.mmcheck.reports;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterexampleTest {

    @Test
    void aViolationIsReorderedAndStillViolates() {
        Result r = Examples.brokenMutex();
        Counterexample c = Counterexample.from(r, Map.of());
        Invariant mutex = r.trace().model().invariants().get(0);
        assertEquals(r.trace().length(), c.trace().length());
        assertFalse(mutex.holds(c.trace().lastState()));
        assertEquals(r.trace().contextSwitches(), c.originalSwitches());
        assertTrue(c.trace().contextSwitches() <= c.originalSwitches());
        assertEquals(2, c.trace().contextSwitches(), "both test, then one sets, then the other: two switches at least");
        assertEquals(new Finding(Verdict.VIOLATED, InvariantId.of("mutual exclusion"), "mutual exclusion", mutex.explain(c.trace().lastState())), c.finding());
        assertTrue(c.stepsAndSwitches().startsWith("4 steps, 2 context switches"), c.stepsAndSwitches());
    }

    @Test
    void aDeadlockKeepsItsLastState() {
        Result r = Examples.philosophers();
        Counterexample c = Counterexample.from(r, Map.of("scenario", "three"));
        assertArrayEquals(r.trace().lastState(), c.trace().lastState());
        assertEquals(Verdict.DEADLOCK, c.finding().verdict());
        assertEquals("Deadlock: " + Finding.DEADLOCK_MESSAGE + ".", c.finding().sentence());
        assertEquals("3 steps, 2 context switches", c.stepsAndSwitches());
    }

    @Test
    void aRunWithoutTraceHasNoCounterexample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Counterexample.from(Examples.peterson(), Map.of()));
        assertTrue(e.getMessage().contains("HOLDS"), e.getMessage());
    }

    @Test
    void aTraceWithoutStepsRendersEverywhere() {
        Program prog = new Program("born-broken");
        Field x = prog.field("x", 0, 1);
        prog.init(x, 1);
        prog.process("T0").step("noop", "");
        prog.invariant("x is clear", s -> x.get(s) == 0);
        ProgramModel m = prog.build();
        Result r = Examples.check(m);
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals(0, r.trace().length());
        Counterexample c = Counterexample.from(r, Map.of());
        GenericStateView view = new GenericStateView(m);
        String text = TextTrace.render(c, view);
        assertTrue(text.contains("  0 | initial state #0") && text.endsWith("0 steps, 0 context switches.\n"), text);
        assertTrue(HtmlTrace.render(c, view).contains("id=\"step-0\""));
        ReplayCheck replay = TraceFiles.replay(JsonTrace.write(c, view), m);
        assertTrue(replay.confirmed(), replay.message());
    }

    @Test
    void sentencesEndOnce() {
        assertEquals("Invariant \"I1\" is broken: CPU1 still maps frame 2.",
                new Finding(Verdict.VIOLATED, InvariantId.of("I1"), "I1", "CPU1 still maps frame 2.").sentence());
        assertEquals("Invariant \"I1\" is broken.", new Finding(Verdict.VIOLATED, InvariantId.of("I1"), "I1", "").sentence());
        assertEquals("VIOLATED: I1", new Finding(Verdict.VIOLATED, InvariantId.of("I1"), "I1", null).headline());
    }
}
