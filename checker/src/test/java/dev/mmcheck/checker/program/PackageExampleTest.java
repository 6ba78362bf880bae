package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The second example of package-info.java, as written there, compiles and runs. */
class PackageExampleTest {
    private static final int PAGES = 3;

    @Test
    void procedureAndDaemonExample() {
        Program prog = new Program("example");
        FieldArray pte = prog.array("pte", PAGES, 0, 3);
        FieldArray tlb = prog.array("tlb", 2, 0, 3);
        FieldArray ipi = prog.array("ipi", 2, 0, 1);
        Field ptl = prog.flag("ptl");
        Field writer = prog.flag("writer");
        prog.init(pte, 1).init(writer, 1);

        Procedure zap = prog.procedure("zap_pte_range", z -> {
            Field addr = z.local("addr", 0, PAGES);           // the caller's local of that name
            z.await("lock", "mm/memory.c:zap_pte_range", s -> ptl.get(s) == 0, s -> ptl.set(s, 1))
             .step("clear", "mm/memory.c:zap_pte_range", s -> pte.set(s, addr.get(s), 0))
             .step("unlock", "mm/memory.c:zap_pte_range", s -> ptl.set(s, 0));
        });
        Process t = prog.process("T0");
        Field addr = t.local("addr", 0, PAGES);
        t.call("unmap", "mm/mmap.c:unmap_region", zap, s -> addr.set(s, 2))
         .step("up_write", "mm/mmap.c:vm_munmap", s -> writer.set(s, 0));

        prog.processes("CPU", 2, (cpu, c) -> cpu.daemon()
            .either("hw", "")
                .or("walk", s -> pte.get(s, 2) != 0, s -> tlb.set(s, c, pte.get(s, 2)))
                .or("flush", s -> ipi.get(s, c) == 1, s -> { tlb.set(s, c, 0); ipi.set(s, c, 0); }));
        ProgramModel m = prog.build();

        Explorer e = Explorer.explore(m);
        assertTrue(e.any(m::isFinal));
        assertTrue(e.all(s -> !m.isFinal(s) || (pte.get(s, 2) == 0 && writer.get(s) == 0)));
        assertEquals(1, pte.get(e.states.stream().filter(m::isFinal).findFirst().orElseThrow(), 1),
                "only page 2 was zapped");
        // pcs: the process's own steps, then its copy of each procedure, then Done
        assertEquals(java.util.List.of("unmap", "up_write", "zap_pte_range.lock", "zap_pte_range.clear",
                "zap_pte_range.unlock", "Done"), m.stepLabels(0));
        assertEquals("CPU1: hw [flush]", m.transition(m.transitionCount() - 1).title());
    }
}
