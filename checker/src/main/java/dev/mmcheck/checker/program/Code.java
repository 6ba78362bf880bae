package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A sequence of labelled atomic steps: the code of a {@link Process}, or of a {@link Procedure}
 * as instantiated in one process. Every method returns {@code this}, so code reads top to bottom
 * like the C it models:
 *
 * <pre>{@code
 * p.await("down_read", SRC, s -> writer.get(s) == 0, s -> readers.set(s, readers.get(s) + 1))
 *  .step("find_vma", SRC, s -> vma.set(s, findVma(s)))
 *      .ifGoTo(s -> vma.get(s) == NONE, "bad_area")
 *  .call("handle_mm_fault", SRC, handleMmFault)
 *  .step("up_read", SRC, s -> readers.set(s, readers.get(s) - 1)).done()
 *  .step("bad_area", SRC, s -> readers.set(s, readers.get(s) - 1));
 * }</pre>
 *
 * <p><b>Steps.</b> Each step is atomic: its guard is tested on the current state, its effect
 * runs on a copy, and no other process runs in between. A label is unique within its code and
 * is what {@link #goTo}, traces and {@link #at} refer to. The source reference
 * ({@code "mm/mmap.c:do_munmap (v4.12)"}) is mandatory; pass {@code ""} to leave it empty on
 * purpose ({@link Program#requireSources()} forbids even that).
 *
 * <p><b>Control flow.</b> A step falls through to the next one. {@link #goTo}, {@link #ifGoTo},
 * {@link #done} and {@link #ret} change where the <em>last added</em> step (for {@code either},
 * its last alternative) continues; they are part of that step, not steps of their own, so they
 * add no interleaving. Jump conditions see the state after the step's effect, as an
 * {@code if (...) goto} at the end of the C block would. Falling off the end of a process
 * terminates it ({@link #DONE}), of a daemon restarts it, of a procedure returns.
 *
 * <pre>{@code
 * // if (pte_none(pte)) goto out; ... out:
 * .step("read_pte", SRC, s -> orig.set(s, pte.get(s, addr.get(s)))).ifGoTo(s -> orig.get(s) == 0, "out")
 * .step("zap_one", SRC, s -> pte.set(s, addr.get(s), 0))
 * .step("out", SRC, ...)
 * // do { clear(addr); } while (++addr != end);
 * .step("clear", SRC, s -> { pte.set(s, addr.get(s), 0); addr.set(s, addr.get(s) + 1); })
 *     .ifGoTo(s -> addr.get(s) != end.get(s), "clear")
 * }</pre>
 *
 * <p><b>Choice.</b> {@link #either} followed by {@link #or}s offers alternatives, and
 * {@link #with} one transition per value: each (step, alternative, value) is a transition of its
 * own, labelled e.g. {@code "hw [walk]"} or {@code "pick_cpu [cpu=2]"}.
 *
 * <p><b>Locals.</b> {@link #local} declares a variable of the owning process, stored in the
 * state vector; the same name in the same process is the same variable, also from inside a
 * procedure, which is how a caller passes arguments.
 */
public class Code {
    /** The label of the terminated state: {@code goTo(DONE)} ends the process. */
    public static final String DONE = "Done";
    /** {@code goTo(RETURN)} returns from the procedure to the step after the call. */
    public static final String RETURN = "Return";

    final Program program;
    final Process process;
    /** Null for a process's own code. */
    final Procedure procedure;
    final List<Step> steps = new ArrayList<>();
    /**
     * Label to index in {@link #steps}. A step a {@link Patch} skipped keeps its label, as an
     * alias of the step written after it ({@code steps.size()} if none).
     */
    final Map<String, Integer> labels = new LinkedHashMap<>();

    // Patching state (see Patch): edits take effect as the targeted steps are written.
    /** Steps to insert after the last written step, once its jumps are written. */
    private Patch.Edit pendingAfter;
    /** The last written step, or its last alternative, was deleted: its jumps go with it. */
    private boolean stepSkipped;
    private boolean alternativeSkipped;
    /** The insertion whose steps are being written, so that they are marked as proposed. */
    private Patch.Edit inserting;

    Code(Program program, Process process, Procedure procedure) {
        this.program = program;
        this.process = process == null ? (Process) this : process;
        this.procedure = procedure;
    }

    // ---- steps -------------------------------------------------------------------------------

    /** A step that always runs: {@code effect} once, then the next step. */
    public Code step(String label, String source, Effect effect) {
        Objects.requireNonNull(effect, "effect");
        return add(label, source, Step.Kind.PLAIN, Alternative.of(null, effect));
    }

    /** A step that only moves on: a point where other processes may observe this one. */
    public Code step(String label, String source) {
        return add(label, source, Step.Kind.PLAIN, Alternative.of(null, null));
    }

    /** Blocks until {@code until} holds, then moves on (PlusCal {@code await}). */
    public Code await(String label, String source, Guard until) {
        Objects.requireNonNull(until, "until");
        return add(label, source, Step.Kind.PLAIN, Alternative.of(until, null));
    }

    /** Blocks until {@code until} holds, then runs {@code then} in the same atomic step. */
    public Code await(String label, String source, Guard until, Effect then) {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(then, "then");
        return add(label, source, Step.Kind.PLAIN, Alternative.of(until, then));
    }

    /** Chooses {@code variable} in {@code lo..hi}: one transition per value. */
    public Code with(String label, String source, String variable, int lo, int hi, ChoiceEffect effect) {
        return with(label, source, variable, lo, hi, null, effect);
    }

    /** Chooses {@code variable} in {@code lo..hi} among the values {@code guard} accepts. */
    public Code with(String label, String source, String variable, int lo, int hi,
                     ChoiceGuard guard, ChoiceEffect effect) {
        Objects.requireNonNull(effect, "effect");
        checkName(variable, "with-variable of step '" + label + "'");
        if (lo > hi) {
            throw error(label, "with '" + variable + "' ranges over " + lo + ".." + hi + ", which is empty");
        }
        return add(label, source, Step.Kind.WITH, new Alternative(variable, null, lo, hi, guard, effect, null));
    }

    /**
     * A nondeterministic choice; add its alternatives with {@link #or}. Each alternative is a
     * transition of its own, enabled by its own guard.
     */
    public Code either(String label, String source) {
        return add(label, source, Step.Kind.EITHER, null);
    }

    /** An alternative of the preceding {@link #either}: always enabled. */
    public Code or(String name, Effect effect) {
        Objects.requireNonNull(effect, "effect");
        return or(name, null, null, effect);
    }

    /** An alternative of the preceding {@link #either}, enabled when {@code guard} holds. */
    public Code or(String name, Guard guard, Effect effect) {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(effect, "effect");
        return or(name, null, guard, effect);
    }

    /**
     * An alternative with a source reference of its own (e.g. another function); a null guard
     * means always enabled.
     */
    public Code or(String name, String source, Guard guard, Effect effect) {
        program.checkOpen();
        if (stepSkipped) {
            return this;
        }
        Step either = lastStep("or");
        if (either.kind != Step.Kind.EITHER) {
            throw error(either.label, "or('" + name + "') must follow either(...) or another or(...)");
        }
        checkLabel(name, "alternative of either '" + either.label + "'");
        for (Alternative a : either.alternatives) {
            if (a.choice.equals(name)) {
                throw error(either.label, "either has two alternatives named '" + name + "'");
            }
        }
        String altName = stepName(either.label) + " [" + name + "]";
        program.written(altName, source != null ? source : either.source);
        StepEdits edits = program.editsOf(altName);
        alternativeSkipped = edits.skip() != null;
        if (!alternativeSkipped) {
            // Its own source, if any, marked; a changed alternative always gets one that says so.
            String own = changes(edits) ? proposed(edits, source != null ? source : either.source)
                    : source == null ? null : marked(source);
            Alternative a = new Alternative(name, own, 0, 0, Alternative.liftGuard(guard), Alternative.liftEffect(effect), null);
            either.alternatives.add(edited(either, a, edits));
        }
        return this;
    }

    /** Calls {@code procedure}; it returns to the step after this one (or to a {@link #goTo}). */
    public Code call(String label, String source, Procedure procedure) {
        return call(label, source, procedure, null);
    }

    /**
     * Runs {@code arguments} (typically setting the locals the procedure reads), then calls
     * {@code procedure}: the return point goes on this process's return stack.
     */
    public Code call(String label, String source, Procedure procedure, Effect arguments) {
        Objects.requireNonNull(procedure, "procedure");
        add(label, source, Step.Kind.CALL,
                new Alternative(null, null, 0, 0, null, Alternative.liftEffect(arguments), procedure));
        if (!stepSkipped) {
            lastStep("call").alternatives.get(0).callee.instantiateIn(process);
        }
        return this;
    }

    // ---- control flow of the last step -------------------------------------------------------

    /**
     * The last step continues at {@code label} ({@link #DONE} and, in a procedure,
     * {@link #RETURN} allowed). After a {@link #call}, that is where the procedure returns to.
     */
    public Code goTo(String label) {
        if (stepSkipped || alternativeSkipped) {
            return this;
        }
        Alternative a = lastAlternative("goTo('" + label + "')");
        checkTarget(label, true);
        if (a.next != null) {
            throw error(lastStep("goTo").label, "already continues at '" + a.next + "', cannot also go to '" + label + "'");
        }
        a.next = label;
        return this;
    }

    /**
     * If {@code condition} holds after the last step's effect, it continues at {@code label}
     * instead. Several conditions are tried in the order written.
     */
    public Code ifGoTo(Guard condition, String label) {
        return jump(condition, label, false);
    }

    /**
     * On a call step: when {@code condition} holds (after the arguments' effect) the call is not
     * made and the process goes on at {@code label} instead.
     */
    public Code skipCallIf(Guard condition, String label) {
        return jump(condition, label, true);
    }

    /**
     * Adds a conditional jump to the last alternative. The jumps are tried before a call is made,
     * so one on a call step skips the callee: only {@link #skipCallIf} may say that.
     */
    private Code jump(Guard condition, String label, boolean skipsCall) {
        Objects.requireNonNull(condition, "condition");
        String what = (skipsCall ? "skipCallIf('" : "ifGoTo('") + label + "')";
        if (stepSkipped || alternativeSkipped) {
            return this;
        }
        Alternative a = lastAlternative(what);
        if (skipsCall && a.callee == null) {
            throw new IllegalStateException(what + " follows a step that calls nothing; use ifGoTo");
        }
        if (!skipsCall && a.callee != null) {
            throw new IllegalStateException(what + " follows the call of " + a.callee.name()
                    + ": a jump taken on a call step skips the call; use skipCallIf if that is meant, else put the"
                    + " jump on a step of its own");
        }
        checkTarget(label, false);
        a.jumpIf.add(condition);
        a.jumpTo.add(label);
        return this;
    }

    /** The last step terminates the process. */
    public Code done() {
        return goTo(DONE);
    }

    /** The last step returns from the procedure. */
    public Code ret() {
        return goTo(RETURN);
    }

    // ---- locals ------------------------------------------------------------------------------

    /** A local variable of this process in {@code [min, max]}, starting at {@code min}. */
    public Field local(String name, int min, int max) {
        return process.declareLocal(name, min, max);
    }

    /** A local array of this process, e.g. one slot per page of a range. */
    public FieldArray localArray(String name, int length, int min, int max) {
        return process.declareLocalArray(name, length, min, max);
    }

    /**
     * True in states where this process is about to run (has not yet run) this code's step
     * {@code label}: for invariants like "not both in the critical section". On a process, a
     * procedure step is named {@code "procedure.label"}; {@link #DONE} means terminated. Usable
     * once the program is built, which reports unknown labels.
     */
    public Guard at(String label) {
        Objects.requireNonNull(label, "label");
        return program.location(process, DONE.equals(label) ? label : qualify(label));
    }

    /** The process this code runs in. */
    public Process process() {
        return process;
    }

    /**
     * The name a step of this code goes by across processes: {@code "procedure.label"} inside a
     * procedure, the bare label in a process's own code.
     */
    public String stepName(String label) {
        return procedure == null ? label : procedure.name() + "." + label;
    }

    // ---- internals ---------------------------------------------------------------------------

    /** "process P0" or "procedure zap (in process T0)", for messages. */
    String where() {
        return procedure == null
                ? "process " + process.name()
                : "procedure " + procedure.name() + " (in process " + process.name() + ")";
    }

    /** The label as traces show it: procedure steps carry their procedure's name. */
    String qualify(String label) {
        return procedure == null ? label : procedure.name() + "." + label;
    }

    IllegalArgumentException error(String label, String message) {
        return new IllegalArgumentException(where() + ", step '" + label + "': " + message);
    }

    private Code add(String label, String source, Step.Kind kind, Alternative alternative) {
        program.checkOpen();
        insertPendingAfter();
        stepSkipped = false;
        alternativeSkipped = false;
        checkLabel(label, "label");
        if (DONE.equals(label) || RETURN.equals(label)) {
            throw new IllegalArgumentException(where() + ": '" + label + "' is reserved and cannot label a step");
        }
        if (source == null) {
            throw error(label, "source reference is null; give one (e.g. \"mm/mmap.c:do_munmap\") or pass \"\" to leave it empty");
        }
        String name = stepName(label);
        StepEdits edits = program.editsOf(name);
        if (edits.before() != null) {
            insert(edits.before());
        }
        Integer first = labels.putIfAbsent(label, steps.size());
        if (first != null) {
            throw new IllegalArgumentException(where() + ": label '" + label + "' is used twice (steps "
                    + (first + 1) + " and " + (steps.size() + 1) + ")");
        }
        program.written(name, source);
        pendingAfter = edits.after();
        if (edits.skip() != null) {
            stepSkipped = true; // the label now names the step written next
            return this;
        }
        boolean changed = changes(edits);
        if (changed && kind == Step.Kind.EITHER) {
            throw error(label, "is an either: a patch changes one of its alternatives (StepRef.choice), not the step");
        }
        Step step = new Step(label, changed ? proposed(edits, source) : marked(source), kind);
        if (alternative != null) {
            step.alternatives.add(edited(step, alternative, edits));
        }
        steps.add(step);
        return this;
    }

    /**
     * Writes the steps a patch inserts after the last written step: called before the next step
     * is written, and when the code is finished (its jumps are all written by then).
     */
    void finish() {
        insertPendingAfter();
        stepSkipped = false;
        alternativeSkipped = false;
    }

    private void insertPendingAfter() {
        Patch.Edit after = pendingAfter;
        if (after != null) {
            pendingAfter = null;
            insert(after);
        }
    }

    @SuppressWarnings("unchecked")
    private void insert(Patch.Edit edit) {
        Patch.Edit outer = inserting;
        inserting = edit;
        try {
            ((Consumer<Code>) edit.function()).accept(this);
            insertPendingAfter();
        } finally {
            inserting = outer;
        }
    }

    /** A step written by an insertion is marked as proposed in its source. */
    private String marked(String source) {
        return inserting == null ? source : "proposed: " + inserting.why() + " · " + source;
    }

    private static String proposed(StepEdits edits, String source) {
        StringBuilder why = new StringBuilder();
        for (Patch.Edit e : new Patch.Edit[] {edits.guard(), edits.effect(), edits.call()}) {
            if (e != null) {
                why.append(why.length() == 0 ? "" : "; ").append(e.why());
            }
        }
        return "proposed: " + why + " · " + source;
    }

    private static boolean changes(StepEdits edits) {
        return edits.effect() != null || edits.guard() != null || edits.call() != null;
    }

    /** {@code a} with the guard, effect and callee the edits give it (its source is the caller's). */
    private Alternative edited(Step step, Alternative a, StepEdits edits) {
        if (!changes(edits)) {
            return a;
        }
        if (step.kind == Step.Kind.WITH && (edits.effect() != null || edits.guard() != null)) {
            throw error(step.label, "a patch cannot replace the guard or effect of a with step (they see the chosen "
                    + "value); skip it and insert a step instead");
        }
        ChoiceGuard guard = a.guard;
        if (edits.guard() != null) {
            ChoiceGuard original = a.guard;
            Guard replaced = ((Patch.GuardEdit) edits.guard().function())
                    .apply(this, original == null ? null : s -> original.test(s, 0));
            guard = Alternative.liftGuard(replaced);
        }
        ChoiceEffect effect = a.effect;
        if (edits.effect() != null) {
            ChoiceEffect original = a.effect;
            Effect replaced = ((Patch.EffectEdit) edits.effect().function())
                    .apply(this, original == null ? null : s -> original.apply(s, 0));
            effect = Alternative.liftEffect(replaced);
        }
        Procedure callee = a.callee;
        if (edits.call() != null) {
            if (callee == null) {
                throw error(step.label, "'" + edits.call() + "' replaces a call, but this step calls no procedure");
            }
            @SuppressWarnings("unchecked")
            Function<Code, Procedure> replace = (Function<Code, Procedure>) edits.call().function();
            callee = Objects.requireNonNull(replace.apply(this), "the procedure of '" + edits.call() + "'");
        }
        return new Alternative(a.choice, a.source, a.lo, a.hi, guard, effect, callee);
    }

    private Step lastStep(String what) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(where() + ": " + what + " must follow a step, and there is none yet");
        }
        return steps.get(steps.size() - 1);
    }

    private Alternative lastAlternative(String what) {
        program.checkOpen();
        Step step = lastStep(what);
        if (step.alternatives.isEmpty()) {
            throw error(step.label, what + " must follow an alternative; add one with or(...) first");
        }
        return step.alternatives.get(step.alternatives.size() - 1);
    }

    private void checkTarget(String label, boolean always) {
        Objects.requireNonNull(label, "label");
        Step step = lastStep("a jump");
        if (RETURN.equals(label) && procedure == null) {
            throw error(step.label, "cannot return: this is not a procedure (end a process with done())");
        }
        // The return point of a call is pushed on the stack, so it must be a step, not "Return".
        if (RETURN.equals(label) && always && step.kind == Step.Kind.CALL) {
            throw error(step.label, "a call cannot return directly; add a step after it");
        }
    }

    /**
     * Labels and alternative names are shown in traces and name steps ({@code "procedure.label"},
     * {@code "label [choice]"}), so they may read like a line of C ({@code "flush_tlb_mm_range:
     * send IPIs"}) but may not contain '.', '[' or ']', nor start or end with a blank.
     */
    static void checkLabel(String label, String what) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty name");
        }
        if (label.strip().length() != label.length()) {
            throw new IllegalArgumentException(what + " '" + label + "' may not start or end with a blank");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '.' || c == '[' || c == ']' || (Character.isWhitespace(c) && c != ' ')) {
                throw new IllegalArgumentException(what + " '" + label + "' may not contain '.', '[', ']' or a blank other than a space");
            }
        }
    }

    /** Names appear in field names: no blanks, no '.', '[' or ']' (they separate). */
    static void checkName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || c == '.' || c == '[' || c == ']') {
                throw new IllegalArgumentException(what + " '" + name + "' may not contain blanks, '.', '[' or ']'");
            }
        }
    }
}
