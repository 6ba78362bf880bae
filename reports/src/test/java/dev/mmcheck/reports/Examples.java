package dev.mmcheck.reports;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.DiningPhilosophers;
import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;

import java.util.List;

/** Results of the example models, shared by the report tests (each run takes milliseconds). */
final class Examples {
    private Examples() {
    }

    static Result check(Model m) {
        return Checker.check(m, SearchOptions.defaults().withWorkers(1).withMemoryBytes(16L << 20));
    }

    static Result brokenMutex() {
        return check(new BrokenMutex(2));
    }

    static Result philosophers() {
        return check(new DiningPhilosophers(3));
    }

    static Result peterson() {
        return check(new Peterson(2));
    }

    /**
     * A program in the kernel's style: two threads with a lock and a page whose unmap races a
     * fault, so that program counters, locals and arrays all appear in the trace.
     */
    static ProgramModel racyUnmap() {
        Program prog = new Program("racy-unmap");
        FieldArray pte = prog.array("pte", 2, 0, 3);
        FieldArray tlb = prog.array("tlb", 2, 0, 3);
        Field lock = prog.flag("mmap_lock");
        prog.init(pte, 1);
        Process t0 = prog.process("T0");
        Field addr = t0.local("addr", 0, 1);
        t0.await("down_write", "mm/mmap.c:vm_munmap", s -> lock.get(s) == 0, s -> { lock.set(s, 1); addr.set(s, 1); })
          .step("zap_pte_range", "mm/memory.c:zap_pte_range", s -> pte.set(s, addr.get(s), 0))
          .step("up_write", "mm/mmap.c:vm_munmap", s -> lock.set(s, 0));
        Process t1 = prog.process("T1");
        t1.step("load_through_tlb_with_a_rather_long_label_that_has_to_wrap_somewhere", "arch/x86/mm/fault.c:do_user_addr_fault",
                s -> tlb.set(s, 1, pte.get(s, 1)));
        prog.processes("CPU", 1, (cpu, c) -> cpu.daemon()
                .either("hw", "")
                .or("walk", s -> pte.get(s, 0) != 0 && tlb.get(s, 0) == 0, s -> tlb.set(s, 0, pte.get(s, 0))));
        prog.invariant("no stale TLB entry", s -> !(lock.get(s) == 0 && pte.get(s, 1) == 0 && tlb.get(s, 1) != 0));
        return prog.build();
    }

    static List<Model> all() {
        return List.of(new BrokenMutex(2), new DiningPhilosophers(3), new Peterson(2), racyUnmap());
    }
}
