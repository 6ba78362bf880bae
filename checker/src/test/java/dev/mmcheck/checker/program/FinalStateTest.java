package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Final states, deadlocks, daemons, and how states are shown. */
class FinalStateTest {

    @Test
    void finalExactlyWhenEveryNonDaemonProcessIsDone() {
        Program prog = new Program("worker and daemon");
        Field work = prog.field("work", 0, 2);
        Field ticks = prog.field("ticks", 0, 1);
        Process daemon = prog.process("kswapd").daemon();
        daemon.step("tick", "", s -> ticks.set(s, 1 - ticks.get(s)))
              .step("tock", "");
        Process worker = prog.process("T0");
        worker.step("a", "", s -> work.set(s, 1))
              .step("b", "", s -> work.set(s, 2));
        ProgramModel m = prog.build();
        Explorer e = Explorer.explore(m);

        int w = m.processIndex("T0");
        assertTrue(e.all(s -> m.isFinal(s) == m.pcLabel(s, w).equals(Code.DONE)));
        assertTrue(e.any(m::isFinal));
        assertTrue(e.all(s -> !m.isFinal(s) || work.get(s) == 2));
        // the daemon loops: after its last step it is back at its first
        assertTrue(e.all(s -> !m.pcLabel(s, m.processIndex("kswapd")).equals(Code.DONE)));
        long[] init = m.initialStates().get(0);
        long[] afterTick = successorBy(m, init, "kswapd: tick");
        long[] afterTock = successorBy(m, afterTick, "kswapd: tock");
        assertEquals("tick", m.pcLabel(afterTock, 0));
    }

    @Test
    void aProcessBlockedForeverLeavesANonFinalStateWithoutSuccessors() {
        Program prog = new Program("two philosophers");
        FieldArray fork = prog.array("fork", 2, 0, 1);
        List<Process> ps = prog.processes("Phil", 2, (p, me) -> {
            int first = me;
            int second = 1 - me;
            p.await("take_first", "", s -> fork.get(s, first) == 0, s -> fork.set(s, first, 1))
             .await("take_second", "", s -> fork.get(s, second) == 0, s -> fork.set(s, second, 1))
             .step("eat", "")
             .step("put_down", "", s -> { fork.set(s, 0, 0); fork.set(s, 1, 0); });
        });
        ProgramModel m = prog.build();
        Explorer e = Explorer.explore(m);

        Guard bothHoldOne = ps.get(0).at("take_second").and(ps.get(1).at("take_second"));
        int deadlocks = 0;
        int finals = 0;
        for (int i = 0; i < e.size(); i++) {
            long[] s = e.states.get(i);
            if (e.edges.get(i).isEmpty()) {
                if (m.isFinal(s)) {
                    finals++;
                    assertTrue(ps.get(0).terminated().test(s) && ps.get(1).terminated().test(s));
                } else {
                    deadlocks++;
                    assertTrue(bothHoldOne.test(s), m.describe(s));
                }
            }
        }
        assertEquals(1, deadlocks);
        assertEquals(1, finals);
    }

    @Test
    void finalWhenReplacesTheDefault() {
        Program prog = new Program("custom final");
        Field x = prog.field("x", 0, 2);
        prog.process("P").with("set", "", "v", 1, 2, (s, v) -> x.set(s, v));
        prog.finalWhen(prog.allTerminated().and(s -> x.get(s) == 2));
        ProgramModel m = prog.build();
        Explorer e = Explorer.explore(m);
        assertEquals(1, e.states.stream().filter(m::isFinal).count());
        assertTrue(e.all(s -> !m.isFinal(s) || x.get(s) == 2));
        assertTrue(e.any(s -> m.allTerminated(s) && !m.isFinal(s)), "x = 1 at the end is now a deadlock");
    }

    @Test
    void initialValuesAndChoicesGiveTheInitialStates() {
        Program prog = new Program("init");
        Field owner = prog.field("owner", 0, 3);
        Field pages = prog.field("pages", 0, 7);
        prog.init(pages, 5).initially(0, 2, (s, cpu) -> owner.set(s, cpu)).initially(0, 1, (s, v) -> { });
        Process p = prog.process("P");
        Field addr = p.local("addr", 2, 4);
        p.step("run", "");
        ProgramModel m = prog.build();
        List<long[]> init = m.initialStates();
        assertEquals(3, init.size(), "identical initial states are merged");
        for (int i = 0; i < 3; i++) {
            assertEquals(i, owner.get(init.get(i)));
            assertEquals(5, pages.get(init.get(i)));
            assertEquals(2, addr.get(init.get(i)), "locals start at their minimum");
            assertEquals("run", m.pcLabel(init.get(i), 0));
        }
    }

    @Test
    void describeShowsProgramCountersAsLabels() {
        ProgramModel m = PetersonTest.peterson();
        long[] init = m.initialStates().get(0);
        assertEquals("turn=0 flag[0]=0 flag[1]=0 P0.pc=set_flag P1.pc=set_flag", m.describe(init));
        assertEquals(List.of("set_flag", "set_turn", "wait", "cs", "unset_flag", "Done"), m.stepLabels(0));
        assertFalse(m.isFinal(init));
    }

    @Test
    void constraintIsExposed() {
        Program prog = new Program("constrained");
        Field x = prog.field("x", 0, 3);
        prog.process("P").step("inc", "", s -> x.set(s, (x.get(s) + 1) % 4)).goTo("inc");
        prog.constraint(s -> x.get(s) < 2);
        ProgramModel m = prog.build();
        long[] s = m.initialStates().get(0);
        assertTrue(m.withinConstraint(s));
        x.set(s, 2);
        assertFalse(m.withinConstraint(s));
    }

    private static long[] successorBy(ProgramModel m, long[] s, String title) {
        for (Explorer.Edge e : Explorer.successors(m, s)) {
            if (m.transition(e.id()).title().equals(title)) {
                return e.target();
            }
        }
        throw new AssertionError("no successor by " + title + " from " + m.describe(s));
    }
}
