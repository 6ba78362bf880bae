package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of edit a {@link Patch} makes, on a sequential program whose trace shows it. */
class PatchTest {
    private static final StepRef LOCK = StepRef.in("zap", "lock");
    private static final StepRef CLEAR = StepRef.in("zap", "clear");
    private static final StepRef UNLOCK = StepRef.in("zap", "unlock");
    private static final StepRef CALL = StepRef.step("call_zap");

    /** T calls zap: lock, clear the PTE (or jump to unlock when it is none), unlock; then end. */
    private static final class Zap {
        final Program prog = new Program("zap");
        final Field pte = prog.field("pte", 0, 3);
        final Field ptl = prog.flag("ptl");
        final Field log = prog.field("log", 0, 99);

        Zap(Function<Zap, Patch> patch, int pteValue) {
            prog.apply(patch.apply(this));
            prog.init(pte, pteValue);
            Procedure zap = prog.procedure("zap", c -> c
                    .await(LOCK.label(), "mm/memory.c:zap_pte_range", s -> ptl.get(s) == 0, s -> ptl.set(s, 1))
                    .step(CLEAR.label(), "mm/memory.c:zap_pte_range", s -> pte.set(s, 0))
                        .ifGoTo(s -> log.get(s) == 7, UNLOCK.label())
                    .step(UNLOCK.label(), "mm/memory.c:zap_pte_range", s -> ptl.set(s, 0)));
            prog.process("T").call(CALL.label(), "mm/memory.c:unmap_vmas", zap).step("end", "mm/mmap.c:vm_munmap");
        }

        List<String> trace() {
            List<String> trace = new ArrayList<>();
            ProcedureTest.run(prog.build(), trace);
            return trace;
        }
    }

    private static List<String> trace(Patch patch) {
        return new Zap(z -> patch, 2).trace();
    }

    private static List<String> trace(Function<Zap, Patch> patch) {
        return new Zap(patch, 2).trace();
    }

    @Test
    void theUnpatchedProgram() {
        assertEquals(List.of("call_zap", "zap.lock", "zap.clear", "zap.unlock", "end"), trace(Patch.none()));
    }

    @Test
    void replaceEffectRunsTheNewEffectWithTheOriginalAtHand() {
        Zap z = new Zap(zap -> Patch.none().replaceEffect(CLEAR, "log after clearing",
                (site, original) -> s -> { original.apply(s); zap.log.set(s, 1); }), 2);
        ProgramModel m = z.prog.build();
        List<String> trace = new ArrayList<>();
        long[] last = ProcedureTest.run(m, trace);
        assertEquals(0, z.pte.get(last), "the original effect still ran");
        assertEquals(1, z.log.get(last), "and the new one");
        Transition clear = transition(m, "zap.clear");
        assertTrue(clear.source().startsWith("proposed: log after clearing · mm/memory.c:zap_pte_range"), clear.source());
    }

    @Test
    void skipDeletesTheStepAndJumpsToItLandOnTheNext() {
        assertEquals(List.of("call_zap", "zap.lock", "zap.unlock", "end"), trace(Patch.none().skip(CLEAR, "leave the PTE")));
        // clear jumps to unlock; with unlock skipped the jump returns, as falling off zap does
        assertEquals(List.of("call_zap", "zap.lock", "zap.clear", "end"), trace(Patch.none().skip(UNLOCK, "keep the lock")));
    }

    @Test
    void insertBeforeAndAfterWriteNewStepsWithTheirOwnLabelsAndJumps() {
        Function<String, Function<Zap, Patch>> dropAndRetake = where -> z -> {
            java.util.function.Consumer<Code> steps = c -> c
                    .step("pte_unmap_unlock", "mm/memory.c:zap_pte_range", s -> z.ptl.set(s, 0))
                    .await("pte_offset_map_lock", "mm/memory.c:zap_pte_range", s -> z.ptl.get(s) == 0, s -> z.ptl.set(s, 1))
                        .ifGoTo(s -> z.pte.get(s) == 0, UNLOCK.label()); // re-check after re-locking
            return where.equals("after") ? Patch.none().insertAfter(LOCK, "drop and retake", steps)
                    : Patch.none().insertBefore(UNLOCK, "drop and retake", steps);
        };
        assertEquals(List.of("call_zap", "zap.lock", "zap.pte_unmap_unlock", "zap.pte_offset_map_lock", "zap.clear",
                        "zap.unlock", "end"),
                trace(dropAndRetake.apply("after")));
        // the re-check finds the PTE cleared and jumps to unlock itself, not to the steps before it
        assertEquals(List.of("call_zap", "zap.lock", "zap.clear", "zap.pte_unmap_unlock", "zap.pte_offset_map_lock",
                        "zap.unlock", "end"),
                trace(dropAndRetake.apply("before")));
    }

    @Test
    void skipAndInsertReplaceAStepByOthers() {
        assertEquals(List.of("call_zap", "zap.lock", "zap.clear_young", "zap.clear_rest", "zap.unlock", "end"),
                trace(Patch.none().skip(CLEAR, "split the clear").insertAfter(CLEAR, "split the clear", c -> c
                        .step("clear_young", "proposed", s -> { })
                        .step("clear_rest", "proposed", s -> { }))));
    }

    @Test
    void replaceGuardChangesWhenTheStepMayRun() {
        Zap z = new Zap(zap -> Patch.none().replaceGuard(LOCK, "never take the lock", (site, original) -> s -> false), 2);
        List<String> trace = new ArrayList<>();
        ProcedureTest.run(z.prog.build(), trace);
        assertEquals(List.of("call_zap"), trace, "blocked at the lock");
    }

    @Test
    void replaceCallCallsAnotherProcedure() {
        List<Procedure> other = new ArrayList<>();
        Patch p = Patch.none().replaceCall(CALL, "zap without the lock", site -> {
            if (other.isEmpty()) {
                other.add(site.process().program.procedure("zap_unlocked", c -> c.step("clear", "proposed", s -> { })));
            }
            return other.get(0);
        });
        assertEquals(List.of("call_zap", "zap_unlocked.clear", "end"), trace(p));
    }

    @Test
    void anEditOfAStepTheProgramDoesNotHaveIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trace(Patch.none().skip(StepRef.in("zap", "no such step"), "typo")));
        assertTrue(e.getMessage().contains("zap.no such step") && e.getMessage().contains("zap.clear"), e.getMessage());
    }

    @Test
    void contradictoryEditsAreRefusedWhenWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Patch.none().skip(CLEAR, "a").replaceEffect(CLEAR, "b", (site, o) -> o));
        assertTrue(e.getMessage().contains("zap.clear"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Patch.none().insertAfter(CLEAR.choice("x"), "a", c -> { }));
        assertThrows(IllegalArgumentException.class, () -> Patch.none().skip(CLEAR, " "));
    }

    @Test
    void anAlternativeOfAnEitherIsPatchedByItsChoice() {
        Program prog = new Program("either");
        Field x = prog.field("x", 0, 3);
        StepRef pick = StepRef.step("pick");
        prog.apply(Patch.none().skip(pick.choice("two"), "only one way").replaceEffect(pick.choice("one"), "three",
                (site, o) -> s -> x.set(s, 3)));
        prog.process("T").either(pick.label(), "src").or("one", s -> x.set(s, 1)).or("two", s -> x.set(s, 2)).goTo(Code.DONE);
        List<String> trace = new ArrayList<>();
        long[] last = ProcedureTest.run(prog.build(), trace);
        assertEquals(List.of("pick [one]"), trace);
        assertEquals(3, x.get(last));
        assertTrue(prog.steps().containsKey("pick [two]"), "listed, though skipped: " + prog.steps());
    }

    private static Transition transition(ProgramModel m, String label) {
        for (int i = 0; i < m.transitionCount(); i++) {
            if (m.transition(i).label().equals(label)) {
                return m.transition(i);
            }
        }
        throw new AssertionError("no transition " + label);
    }
}
