package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** call and return through the per-process return stack. */
class ProcedureTest {

    @Test
    void aProcedureCalledFromTwoPlacesReturnsToEach() {
        Program prog = new Program("calls");
        Field counter = prog.field("counter", 0, 3);
        Procedure inc = prog.procedure("inc", c -> c
            .step("add", "", s -> counter.set(s, counter.get(s) + 1))
            .step("leave", ""));
        prog.process("T")
            .call("first", "", inc)
            .step("between", "")
            .call("second", "", inc)
            .step("end", "");
        ProgramModel m = prog.build();

        List<String> trace = new ArrayList<>();
        long[] last = run(m, trace);
        assertEquals(List.of("first", "inc.add", "inc.leave", "between", "second", "inc.add", "inc.leave", "end"), trace);
        assertEquals(2, counter.get(last));
        assertEquals(0, m.layout().field("T.sp").get(last), "the stack is empty again");
        assertEquals(0, m.layout().field("T.ret[0]").get(last), "and its slot cleared");
        assertTrue(m.isTerminated(last, 0));
    }

    @Test
    void callsNestAndReturnEarly() {
        Program prog = new Program("nested");
        Field skip = prog.flag("skip");
        prog.init(skip, 1);
        Procedure inner = prog.procedure("inner", c -> c
            .step("check", "").ifGoTo(s -> skip.get(s) == 1, Code.RETURN)
            .step("slow_path", ""));
        Procedure outer = prog.procedure("outer", c -> c
            .call("call_inner", "", inner)
            .step("after_inner", ""));
        prog.process("T")
            .call("call_outer", "", outer)
            .step("end", "");
        ProgramModel m = prog.build();

        List<String> trace = new ArrayList<>();
        run(m, trace);
        assertEquals(List.of("call_outer", "outer.call_inner", "inner.check", "outer.after_inner", "end"), trace);
        assertEquals(2, m.layout().field("T.sp").max(), "the stack is exactly as deep as the calls nest");
        assertFalse(m.layout().hasField("T.ret[2]"));
    }

    /** A jump on a call step is tried before the call: only skipCallIf may say so; ifGoTo there is a build error. */
    @Test
    void skipCallIfSkipsTheCallAndIfGoToOnACallIsRefused() {
        Program prog = new Program("skips");
        Field skip = prog.flag("skip");
        Field counter = prog.field("counter", 0, 3);
        prog.init(skip, 1);
        Procedure inc = prog.procedure("inc", c -> c.step("add", "", s -> counter.set(s, counter.get(s) + 1)));
        prog.process("T")
            .call("maybe", "", inc).skipCallIf(s -> skip.get(s) == 1, "other")
            .step("end", "").done()
            .step("other", "");
        List<String> trace = new ArrayList<>();
        long[] last = run(prog.build(), trace);
        assertEquals(List.of("maybe", "other"), trace);
        assertEquals(0, counter.get(last));

        Program bad = new Program("refused");
        Procedure p = bad.procedure("p", c -> c.step("work", ""));
        Code t = bad.process("T").call("c", "", p);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.ifGoTo(s -> true, "c"));
        assertTrue(e.getMessage().contains("skips the call") && e.getMessage().contains("skipCallIf"), e.getMessage());
        IllegalStateException plain = assertThrows(IllegalStateException.class,
                () -> bad.process("U").step("s", "").skipCallIf(s -> true, "s"));
        assertTrue(plain.getMessage().contains("calls nothing"), plain.getMessage());
    }

    @Test
    void staticallyTooDeepCallsAreABuildError() {
        Program prog = new Program("deep");
        Procedure inner = prog.procedure("inner", c -> c.step("work", ""));
        Procedure outer = prog.procedure("outer", c -> c.call("call_inner", "", inner).step("back", ""));
        prog.process("T").call("call_outer", "", outer).step("end", "");
        prog.maxCallDepth(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, prog::build);
        assertTrue(e.getMessage().contains("calls nest 2 deep (T → outer → inner)"), e.getMessage());
        assertTrue(e.getMessage().contains("maxCallDepth is 1"), e.getMessage());
    }

    @Test
    void boundedRecursionWorksAndUnboundedOverflowsWithAClearError() {
        assertEquals(3, recursionDepthReached(3, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> recursionDepthReached(4, 3));
        assertTrue(e.getMessage().contains("T: rec.again"), e.getMessage());
        assertTrue(e.getMessage().contains("return stack overflow"), e.getMessage());
        assertTrue(e.getMessage().contains("maxCallDepth 3"), e.getMessage());
    }

    /** rec() { d++; if (d >= limit) return; rec(); }, called from T; returns d at the end. */
    private static int recursionDepthReached(int limit, int maxDepth) {
        Program prog = new Program("recursion");
        Procedure[] rec = new Procedure[1];
        rec[0] = prog.procedure("rec", c -> {
            Field d = c.local("d", 0, 7);
            c.step("down", "", s -> d.set(s, d.get(s) + 1)).ifGoTo(s -> d.get(s) >= limit, "bottom")
             .call("again", "", rec[0])
             .step("bottom", "");
        });
        prog.process("T").call("start", "", rec[0]).step("end", "");
        prog.maxCallDepth(maxDepth);
        ProgramModel m = prog.build();
        long[] last = run(m, new ArrayList<>());
        assertTrue(m.isTerminated(last, 0));
        return m.layout().field("T.d").get(last);
    }

    @Test
    void eachProcessHasItsOwnCopyAndItsOwnLocals() {
        Program prog = new Program("two callers");
        Field total = prog.field("total", 0, 7);
        List<Guard> adding = new ArrayList<>();
        Procedure add = prog.procedure("add", c -> {
            Field arg = c.local("arg", 0, 3); // the caller's local of that name
            c.step("add", "", s -> total.set(s, total.get(s) + arg.get(s)));
            adding.add(c.at("add")); // this copy's step: "add.add" of the calling process
        });
        for (int i = 0; i < 2; i++) {
            int amount = i + 2;
            Process p = prog.process("T" + i);
            Field arg = p.local("arg", 0, 3);
            p.call("call_add", "", add, s -> arg.set(s, amount)).step("end", "");
        }
        ProgramModel m = prog.build();
        assertTrue(m.stepLabels(0).contains("add.add"));
        assertTrue(m.stepLabels(1).contains("add.add"));
        Explorer e = Explorer.explore(m);
        assertTrue(e.all(s -> !m.allTerminated(s) || total.get(s) == 5));
        assertTrue(e.any(m::allTerminated));
        // T0 inside add while T1 is too: both copies are in use at once
        assertTrue(e.any(s -> m.pcLabel(s, 0).equals("add.add") && m.pcLabel(s, 1).equals("add.add")));
        assertEquals(2, adding.size());
        for (int p = 0; p < 2; p++) {
            int process = p;
            Guard at = adding.get(p);
            assertTrue(e.all(s -> at.test(s) == m.pcLabel(s, process).equals("add.add")));
        }
    }

    /** Follows the only successor until there is none, recording the labels taken. */
    static long[] run(ProgramModel m, List<String> trace) {
        long[] s = m.initialStates().get(0);
        for (int steps = 0; steps < 1000; steps++) {
            List<Explorer.Edge> out = Explorer.successors(m, s);
            if (out.isEmpty()) {
                return s;
            }
            assertEquals(1, out.size(), "a sequential program has one successor");
            trace.add(m.transition(out.get(0).id()).label());
            s = out.get(0).target();
        }
        throw new AssertionError("does not terminate: " + trace);
    }
}
