package dev.mmcheck.reports;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.trace.Replayer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenericStateViewTest {

    @Test
    void changesListOnlyTheFieldsThatChangedInLayoutOrder() {
        BrokenMutex m = new BrokenMutex(2);
        GenericStateView v = new GenericStateView(m);
        long[] s0 = m.initialStates().get(0);
        long[] s1 = Replayer.successor(m, s0, 0);  // P0 tests
        long[] s2 = Replayer.successor(m, s1, 1);  // P0 sets
        assertEquals(List.of("pc[0]: 0 -> 1"), v.changes(s0, s1));
        assertEquals(List.of("lock: 0 -> 1", "pc[0]: 1 -> 2"), v.changes(s1, s2));
        assertEquals(List.of(), v.changes(s2, s2.clone()));
    }

    @Test
    void programCountersReadAsStepLabels() {
        ProgramModel m = Examples.racyUnmap();
        GenericStateView v = new GenericStateView(m);
        long[] s0 = m.initialStates().get(0);
        int downWrite = -1;
        for (int t = 0; t < m.transitionCount(); t++) {
            if (m.transition(t).label().equals("down_write")) {
                downWrite = t;
            }
        }
        long[] s1 = Replayer.successor(m, s0, downWrite);
        assertEquals(List.of("mmap_lock: 0 -> 1", "T0.addr: 0 -> 1", "T0.pc: down_write -> zap_pte_range"), v.changes(s0, s1));
        assertTrue(v.isProgramCounter(m.layout().field("T0.pc")));
        assertFalse(v.isProgramCounter(m.layout().field("T0.addr")));
    }

    @Test
    void programCountersAreFoundThroughTheModelNotByTheirName() {
        Program prog = new Program("decoy");
        Field decoy = prog.field("ghost.pc", 0, 3);
        Process p = prog.process("worker");
        p.step("first", "", s -> decoy.set(s, 2)).step("second", "");
        ProgramModel m = prog.build();
        GenericStateView v = new GenericStateView(m);
        long[] s0 = m.initialStates().get(0);
        long[] s1 = Replayer.successor(m, s0, 0);
        assertEquals(List.of("ghost.pc: 0 -> 2", "worker.pc: first -> second"), v.changes(s0, s1));
    }

    @Test
    void pictureGroupsFieldsByPrefix() {
        ProgramModel m = Examples.racyUnmap();
        String pic = new GenericStateView(m).picture(m.initialStates().get(0));
        List<String> lines = List.of(pic.split("\n"));
        assertEquals("mmap_lock=0", lines.get(0));
        assertTrue(lines.contains("pte   [0]=1  [1]=1"), pic);
        assertTrue(lines.contains("T0    addr=0  pc=down_write"), pic);
        assertTrue(lines.contains("CPU0  pc=hw"), pic);
    }

    @Test
    void pictureWrapsAtItsWidth() {
        CounterGrid m = new CounterGrid(16, 1000, 0);
        String pic = new GenericStateView(m, 40).picture(m.initialStates().get(0));
        String[] lines = pic.split("\n");
        assertTrue(lines.length > 2, pic);
        for (String l : lines) {
            assertTrue(l.length() <= 40, "too long: '" + l + "'");
        }
        assertTrue(lines[1].startsWith("         "), "continuation lines are indented under the group: " + pic);
        assertTrue(pic.contains("[15]=0"), pic);
    }
}
