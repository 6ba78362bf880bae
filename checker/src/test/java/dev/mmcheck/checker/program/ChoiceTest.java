package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** either/or and with: one transition per (step, alternative, value), labelled with the choice. */
class ChoiceTest {

    @Test
    void eitherOffersOneTransitionPerEnabledAlternative() {
        Program prog = new Program("either");
        Field x = prog.field("x", 0, 3);
        prog.process("P")
            .either("pick", "lib/pick.c:pick")
                .or("one", s -> x.set(s, 1))
                .or("two", "lib/two.c:two", s -> true, s -> x.set(s, 2))
                .or("never", s -> false, s -> x.set(s, 3))
            .step("after", "");
        ProgramModel m = prog.build();
        long[] init = m.initialStates().get(0);

        List<Explorer.Edge> out = Explorer.successors(m, init);
        assertEquals(2, out.size());
        assertEquals(Set.of(1, 2), Set.of(x.get(out.get(0).target()), x.get(out.get(1).target())));
        assertEquals(3 + 1, m.transitionCount(), "three alternatives (the disabled one too) and 'after'");
        Transition one = m.transition(out.get(0).id());
        Transition two = m.transition(out.get(1).id());
        assertEquals("pick [one]", one.label());
        assertEquals("lib/pick.c:pick", one.source());
        assertEquals("pick [two]", two.label());
        assertEquals("lib/two.c:two", two.source(), "an alternative may cite its own source");
        assertEquals("P", one.actor().toString());
        for (Explorer.Edge e : out) {
            assertEquals("after", m.pcLabel(e.target(), 0), "both branches fall through to the next step");
        }
    }

    @Test
    void withOffersOneTransitionPerAcceptedValue() {
        Program prog = new Program("with");
        FieldArray online = prog.array("online", 4, 0, 1);
        Field target = prog.field("target", 0, 3);
        prog.init(online, 1).initially(s -> online.set(s, 1, 0));
        prog.process("P")
            .with("pick_cpu", "arch/x86/mm/tlb.c", "cpu", 0, 3,
                  (s, cpu) -> online.get(s, cpu) == 1, (s, cpu) -> target.set(s, cpu));
        ProgramModel m = prog.build();
        List<Explorer.Edge> out = Explorer.successors(m, m.initialStates().get(0));

        assertEquals(3, out.size());
        assertEquals(4, m.transitionCount());
        Set<String> labels = new HashSet<>();
        Set<Integer> targets = new HashSet<>();
        for (Explorer.Edge e : out) {
            labels.add(m.transition(e.id()).label());
            targets.add(target.get(e.target()));
            assertTrue(m.isTerminated(e.target(), 0));
        }
        assertEquals(Set.of("pick_cpu [cpu=0]", "pick_cpu [cpu=2]", "pick_cpu [cpu=3]"), labels);
        assertEquals(Set.of(0, 2, 3), targets);
    }

    @Test
    void transitionIdsAreDeterministic() {
        ProgramModel m = mixedModel();
        Explorer e = Explorer.explore(m);
        assertTrue(e.size() > 50, "a non-trivial model: " + e.size());
        for (int i = 0; i < e.size(); i++) {
            long[] s = e.states.get(i);
            Set<Integer> ids = new HashSet<>();
            for (Explorer.Edge edge : e.edges.get(i)) {
                assertTrue(ids.add(edge.id()), "two successors of one state share id " + edge.id());
                assertTrue(edge.id() >= 0 && edge.id() < m.transitionCount());
            }
            // replaying an id from the same state gives the same successor
            List<Explorer.Edge> again = Explorer.successors(m, s);
            assertEquals(e.edges.get(i).size(), again.size());
            for (int k = 0; k < again.size(); k++) {
                assertEquals(e.edges.get(i).get(k).id(), again.get(k).id());
                assertArrayEquals(e.edges.get(i).get(k).target(), again.get(k).target());
            }
        }
    }

    @Test
    void transitionMetadataNamesProcessLabelAndSource() {
        ProgramModel m = mixedModel();
        Set<String> titles = new HashSet<>();
        for (int id = 0; id < m.transitionCount(); id++) {
            Transition t = m.transition(id);
            assertEquals(id, t.id());
            assertEquals(m.processName(m.processOf(id)), t.actor().toString());
            assertTrue(titles.add(t.title()), "titles are distinct: " + t.title());
        }
        assertTrue(titles.contains("CPU1: hw [walk]"), titles.toString());
        assertTrue(titles.contains("T: choose [v=2]"), titles.toString());
        assertEquals("mm/memory.c:fault", m.transition(findId(m, "T: fault")).source());
    }

    /** Two daemon CPUs choosing among alternatives and a thread choosing values. */
    static ProgramModel mixedModel() {
        Program prog = new Program("mixed");
        Field pte = prog.field("pte", 0, 3);
        FieldArray tlb = prog.array("tlb", 2, 0, 3);
        prog.processes("CPU", 2, (cpu, c) -> cpu.daemon()
            .either("hw", "")
                .or("walk", s -> pte.get(s) != 0, s -> tlb.set(s, c, pte.get(s)))
                .or("evict", s -> tlb.get(s, c) != 0, s -> tlb.set(s, c, 0)));
        prog.process("T")
            .with("choose", "", "v", 1, 3, (s, v) -> pte.set(s, v))
            .step("fault", "mm/memory.c:fault", s -> pte.set(s, (pte.get(s) % 3) + 1))
            .step("zap", "", s -> pte.set(s, 0));
        return prog.build();
    }

    private static int findId(ProgramModel m, String title) {
        for (int id = 0; id < m.transitionCount(); id++) {
            if (m.transition(id).title().equals(title)) {
                return id;
            }
        }
        throw new AssertionError("no transition " + title + " in " + Arrays.toString(
                java.util.stream.IntStream.range(0, m.transitionCount()).mapToObj(m::transition).toArray()));
    }
}
