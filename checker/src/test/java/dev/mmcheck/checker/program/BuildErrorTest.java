package dev.mmcheck.checker.program;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistakes in a program are reported when written or built, naming process, step and label. */
class BuildErrorTest {

    private static void assertError(Class<? extends RuntimeException> type, Executable code, String... parts) {
        RuntimeException e = assertThrows(type, code);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" should contain \"" + part + "\"");
        }
    }

    private static void assertError(Executable code, String... parts) {
        assertError(IllegalArgumentException.class, code, parts);
    }

    @Test
    void gotoAnUnknownLabelNamesItAndTheKnownOnes() {
        Program prog = new Program("p");
        prog.process("P").step("set_flag", "").step("cs", "").goTo("set_flg");
        assertError(prog::build, "process P, step 'cs'", "goto 'set_flg' names no step",
                "known labels: set_flag, cs (and Done)");
    }

    @Test
    void conditionalJumpsAreCheckedToo() {
        Program prog = new Program("p");
        prog.process("P").step("a", "").ifGoTo(s -> true, "nowhere");
        assertError(prog::build, "process P, step 'a'", "goto 'nowhere' names no step");
    }

    @Test
    void labelsAreLocalToAProcedure() {
        Program prog = new Program("p");
        Procedure proc = prog.procedure("proc", c -> c.step("inside", "").goTo("outside"));
        prog.process("T").step("outside", "").call("c", "", proc);
        assertError(prog::build, "procedure proc (in process T), step 'inside'", "goto 'outside' names no step",
                "known labels: inside (and Done, Return)");
    }

    @Test
    void duplicateLabelsAreRejected() {
        Code p = new Program("p").process("P").step("cs", "").step("other", "");
        assertError(() -> p.step("cs", ""), "process P: label 'cs' is used twice (steps 1 and 3)");
    }

    @Test
    void aProcessNeedsSteps() {
        Program prog = new Program("p");
        prog.process("Busy").step("a", "");
        prog.process("Idle");
        assertError(prog::build, "process Idle has no steps");
    }

    @Test
    void aProcedureNeedsSteps() {
        Program prog = new Program("p");
        Procedure empty = prog.procedure("empty", c -> { });
        Process t = prog.process("T");
        assertError(() -> t.call("c", "", empty), "procedure empty (in process T) has no steps");
    }

    @Test
    void aProgramNeedsProcesses() {
        assertError(new Program("lonely")::build, "program lonely has no processes");
    }

    @Test
    void theSourceReferenceIsRequiredOrExplicitlyEmpty() {
        Process p = new Program("p").process("P");
        assertError(() -> p.step("cs", null), "process P, step 'cs'", "source reference is null", "pass \"\"");
    }

    @Test
    void requireSourcesForbidsEmptyOnes() {
        Program prog = new Program("kernel").requireSources();
        prog.process("P").step("lock", "kernel/locking/mutex.c:mutex_lock").step("cs", "")
            .either("hw", "arch/x86").or("walk", s -> { }).or("evict", "", null, s -> { });
        assertError(prog::build, "requires a source reference on every step", "missing on: P: cs, P: hw [evict]");
    }

    @Test
    void returnIsOnlyForProcedures() {
        Code p = new Program("p").process("P").step("a", "");
        assertError(p::ret, "process P, step 'a'", "cannot return: this is not a procedure");
    }

    @Test
    void eitherNeedsAlternativesAndOrNeedsEither() {
        Program prog = new Program("p");
        Code p = prog.process("P").step("a", "");
        assertError(() -> p.or("x", s -> { }), "or('x') must follow either(...)");
        p.either("hw", "");
        assertError(() -> p.goTo("a"), "step 'hw'", "add one with or(...) first");
        assertError(prog::build, "process P, step 'hw'", "either has no alternatives");
    }

    @Test
    void controlFlowNeedsAStepToApplyTo() {
        Process p = new Program("p").process("P");
        assertError(p::done, "process P: goTo('Done') must follow a step, and there is none yet");
    }

    @Test
    void aStepContinuesAtOnePlace() {
        Code p = new Program("p").process("P").step("a", "").step("b", "").goTo("a");
        assertError(() -> p.goTo("b"), "step 'b'", "already continues at 'a'");
    }

    @Test
    void namesAreChecked() {
        Program prog = new Program("p");
        Process p = prog.process("P");
        assertError(() -> p.step("Done", ""), "'Done' is reserved");
        p.step("two words", "");
        assertError(() -> p.step(" padded", ""), "label ' padded' may not start or end with a blank");
        assertError(() -> p.step("a.b", ""), "label 'a.b' may not contain '.'");
        assertError(() -> p.local("two words", 0, 1), "local of process P 'two words' may not contain blanks");
        assertError(() -> p.step("", ""), "label must be a non-empty name");
        assertError(() -> p.with("w", "", "v", 3, 2, (s, v) -> { }), "step 'w'", "3..2, which is empty");
        assertError(() -> prog.process("P"), "process 'P' is declared twice");
        assertError(() -> prog.procedure("p.q", c -> { }), "procedure name 'p.q' may not contain");
    }

    @Test
    void aLocalKeepsItsRange() {
        Process p = new Program("p").process("P");
        p.local("addr", 0, 7);
        assertError(() -> p.local("addr", 0, 8), "process P: local 'addr' is declared with range [0, 7] and again with [0, 8]");
    }

    @Test
    void atAnUnknownLabelIsABuildError() {
        Program prog = new Program("p");
        Code p = prog.process("P").step("a", "").step("b", "");
        prog.invariant("never at nowhere", p.at("nowhere").negate());
        assertError(prog::build, "process P: at('nowhere') names no step; known labels: a, b, Done");
    }

    @Test
    void aBuiltProgramIsFrozen() {
        Program prog = new Program("p");
        Code p = prog.process("P").step("a", "");
        prog.build();
        assertError(IllegalStateException.class, () -> p.step("b", ""), "program p is already built");
        assertError(IllegalStateException.class, prog::build, "already built");
    }

    @Test
    void locationsCannotBeTestedBeforeBuild() {
        Program prog = new Program("p");
        Guard atA = prog.process("P").step("a", "").at("a");
        assertError(IllegalStateException.class, () -> atA.test(new long[1]), "P at a is used before the program is built");
    }

    @Test
    void effectsThatBreakARangeAreReportedWithTheirStep() {
        Program prog = new Program("p");
        var x = prog.field("x", 0, 1);
        prog.process("P").with("bump", "", "by", 1, 2, (s, v) -> x.set(s, x.get(s) + v));
        ProgramModel m = prog.build();
        assertError(IllegalStateException.class, () -> Explorer.successors(m, m.initialStates().get(0)),
                "model error in effect of P: bump [by=2]", "field 'x': value 2 is outside its range [0, 1]");
    }
}
