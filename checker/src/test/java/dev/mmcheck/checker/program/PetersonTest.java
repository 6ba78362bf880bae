package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutual exclusion, written in the DSL and checked against a hand-written enumeration. */
class PetersonTest {

    static ProgramModel peterson() {
        Program prog = new Program("peterson");
        Field turn = prog.field("turn", 0, 1);
        FieldArray flag = prog.array("flag", 2, 0, 1);
        List<Process> ps = prog.processes("P", 2, (p, me) -> {
            int other = 1 - me;
            p.step("set_flag", "", s -> flag.set(s, me, 1))
             .step("set_turn", "", s -> turn.set(s, other))
             .await("wait", "", s -> flag.get(s, other) == 0 || turn.get(s) == me)
             .step("cs", "")
             .step("unset_flag", "", s -> flag.set(s, me, 0)).goTo("set_flag");
        });
        prog.invariant("mutual exclusion", ps.get(0).at("cs").and(ps.get(1).at("cs")).negate());
        return prog.build();
    }

    @Test
    void petersonKeepsMutualExclusion() {
        ProgramModel m = peterson();
        Explorer e = Explorer.explore(m);
        assertTrue(e.all(s -> m.invariants().get(0).holds(s)));
        // and independently of the invariant's guards: count processes at "cs"
        assertTrue(e.all(s -> inCriticalSection(m, s) <= 1));
        assertTrue(e.any(s -> inCriticalSection(m, s) == 1), "someone does get in");
    }

    @Test
    void petersonHasTheStatesOfAHandWrittenEnumeration() {
        assertEquals(handEnumeratedPeterson(), Explorer.explore(peterson()).size());
    }

    /**
     * Peterson over plain ints, no DSL: state (pc0, pc1, flag0, flag1, turn) with pc 0 set_flag,
     * 1 set_turn, 2 wait, 3 cs, 4 unset_flag.
     */
    static int handEnumeratedPeterson() {
        Set<List<Integer>> seen = new HashSet<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        int[] init = {0, 0, 0, 0, 0};
        seen.add(List.of(0, 0, 0, 0, 0));
        queue.add(init);
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            for (int i = 0; i < 2; i++) {
                int[] t = s.clone();
                int other = 1 - i;
                boolean enabled = true;
                switch (s[i]) {
                    case 0 -> { t[2 + i] = 1; t[i] = 1; }
                    case 1 -> { t[4] = other; t[i] = 2; }
                    case 2 -> {
                        enabled = s[2 + other] == 0 || s[4] == i;
                        t[i] = 3;
                    }
                    case 3 -> t[i] = 4;
                    case 4 -> { t[2 + i] = 0; t[i] = 0; }
                    default -> throw new AssertionError();
                }
                if (enabled && seen.add(List.of(t[0], t[1], t[2], t[3], t[4]))) {
                    queue.add(t);
                }
            }
        }
        return seen.size();
    }

    @Test
    void testAndSetSplitIntoReadAndWriteBreaksMutualExclusion() {
        Program prog = new Program("broken mutex");
        Field lock = prog.flag("lock");
        List<Process> ps = prog.processes("T", 2, (p, me) -> {
            Field seen = p.local("seen", 0, 1);
            p.step("read_lock", "", s -> seen.set(s, lock.get(s)))
                .ifGoTo(s -> seen.get(s) == 1, "read_lock")
             .step("write_lock", "", s -> lock.set(s, 1))
             .step("cs", "")
             .step("unlock", "", s -> lock.set(s, 0)).done();
        });
        ProgramModel m = prog.build();
        Explorer e = Explorer.explore(m);
        assertTrue(e.any(s -> inCriticalSection(m, s) == 2));
        assertTrue(e.any(s -> ps.get(0).at("cs").test(s) && ps.get(1).at("cs").test(s)));
    }

    @Test
    void atomicTestAndSetKeepsMutualExclusion() {
        Program prog = new Program("mutex");
        Field lock = prog.flag("lock");
        prog.processes("T", 2, (p, me) ->
            p.await("lock", "", s -> lock.get(s) == 0, s -> lock.set(s, 1))
             .step("cs", "")
             .step("unlock", "", s -> lock.set(s, 0)));
        ProgramModel m = prog.build();
        Explorer e = Explorer.explore(m);
        assertFalse(e.any(s -> inCriticalSection(m, s) == 2));
        assertTrue(e.any(m::allTerminated));
    }

    private static int inCriticalSection(ProgramModel m, long[] s) {
        int n = 0;
        for (int p = 0; p < m.processCount(); p++) {
            if (m.pcLabel(s, p).equals("cs")) {
                n++;
            }
        }
        return n;
    }
}
