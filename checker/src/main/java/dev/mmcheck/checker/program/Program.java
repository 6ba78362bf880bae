package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * A concurrent program written as processes of labelled atomic steps, compiled by
 * {@link #build()} into a {@link ProgramModel} the engine explores. See the package
 * documentation for an example.
 *
 * <p>Write it in this order: shared variables through {@link #shared()} (or {@link #field},
 * {@link #array}), then {@link #procedure procedures} and {@link #process processes}, then the
 * initial state, invariants and options; then {@link #build()} once. A program is single-use:
 * after {@code build()} it cannot change.
 */
public final class Program {
    /** Every value of one initialiser gives its own initial state. */
    private record Initialiser(int lo, int hi, ChoiceEffect effect) { }

    private final String name;
    private final Layout.Builder shared = Layout.builder();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Procedure> procedures = new LinkedHashMap<>();
    private final List<Initialiser> initialisers = new ArrayList<>();
    private final List<Invariant> invariants = new ArrayList<>();
    private final List<Location> locations = new ArrayList<>();
    private Guard finalWhen;
    private Guard constraint;
    private int maxCallDepth = 4;
    private boolean requireSources;
    private Patch patch = Patch.none();
    private final Map<String, StepEdits> editsByStep = new LinkedHashMap<>();
    private final Set<String> editedSteps = new HashSet<>();
    /** Every step and alternative name written, with its source, in the order written. */
    private final Map<String, String> stepSources = new LinkedHashMap<>();
    /** Set when build() starts: a program is built at most once, even if that fails. */
    private boolean closed;
    private ProgramModel built;

    public Program(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    // ---- shared state ------------------------------------------------------------------------

    /**
     * The layout builder of the state vector, for shared variables (and for libraries that
     * declare a whole machine into a builder). {@link #build()} builds it; do not build it
     * yourself.
     */
    public Layout.Builder shared() {
        checkOpen();
        return shared;
    }

    /** A shared variable in {@code [min, max]}. */
    public Field field(String name, int min, int max) {
        return shared().field(name, min, max);
    }

    /** A shared boolean: 0 or 1. */
    public Field flag(String name) {
        return shared().flag(name);
    }

    /** A shared array, named {@code name[i]} in the layout. */
    public FieldArray array(String name, int length, int min, int max) {
        return shared().array(name, length, min, max);
    }

    // ---- code --------------------------------------------------------------------------------

    /** A new process, the only actor called {@code name}; write its steps on the returned object. */
    public Process process(String name) {
        Code.checkName(name, "process name");
        return process(Actor.only(name));
    }

    /** A new process for {@code actor} ({@code Actor.of("T", 0)} is named {@code T0}); write its steps on it. */
    public Process process(Actor actor) {
        checkOpen();
        String name = actor.toString();
        Code.checkName(name, "process name");
        for (Process p : processes) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("program " + this.name + ": process '" + name + "' is declared twice");
            }
        }
        Process p = new Process(this, actor, processes.size());
        processes.add(p);
        return p;
    }

    /**
     * {@code count} processes {@code prefix0, prefix1, ...} running the same code template,
     * e.g. {@code prog.processes("CPU", 2, (cpu, i) -> hardware(cpu, i))}.
     */
    public List<Process> processes(String prefix, int count, ObjIntConsumer<Process> template) {
        Objects.requireNonNull(template, "template");
        List<Process> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Process p = process(prefix + i);
            template.accept(p, i);
            created.add(p);
        }
        return created;
    }

    /**
     * A procedure: {@code body} writes its steps and is run once per process that calls it,
     * on that process's copy (see {@link Procedure}).
     */
    public Procedure procedure(String name, Consumer<Code> body) {
        checkOpen();
        Code.checkName(name, "procedure name");
        Objects.requireNonNull(body, "body");
        if (procedures.containsKey(name)) {
            throw new IllegalArgumentException("program " + this.name + ": procedure '" + name + "' is declared twice");
        }
        Procedure p = new Procedure(name, body);
        procedures.put(name, p);
        return p;
    }

    // ---- initial states ----------------------------------------------------------------------

    /** Initially {@code field == value} (every field starts at its minimum otherwise). */
    public Program init(Field field, int value) {
        Objects.requireNonNull(field, "field");
        return initially(s -> field.setChecked(s, value));
    }

    /** Initially every element of {@code array} is {@code value}. */
    public Program init(FieldArray array, int value) {
        Objects.requireNonNull(array, "array");
        return initially(s -> {
            for (int i = 0; i < array.length(); i++) {
                array.element(i).setChecked(s, value);
            }
        });
    }

    /** Edits the initial state(s); initialisers run in the order given. */
    public Program initially(Effect init) {
        Objects.requireNonNull(init, "init");
        return initially(0, 0, (s, v) -> init.apply(s));
    }

    /**
     * One initial state per value in {@code lo..hi} (combined with every other initialiser),
     * e.g. which CPU starts owning a lock. Identical initial states are merged.
     */
    public Program initially(int lo, int hi, ChoiceEffect init) {
        checkOpen();
        Objects.requireNonNull(init, "init");
        if (lo > hi) {
            throw new IllegalArgumentException("program " + name + ": initial choice " + lo + ".." + hi + " is empty");
        }
        initialisers.add(new Initialiser(lo, hi, init));
        return this;
    }

    // ---- properties and options --------------------------------------------------------------

    /** A safety property checked in every reachable state. */
    public Program invariant(String name, Guard holds) {
        Objects.requireNonNull(holds, "holds");
        return invariant(Invariant.of(name, holds::test));
    }

    public Program invariant(Invariant invariant) {
        checkOpen();
        invariants.add(Objects.requireNonNull(invariant, "invariant"));
        return this;
    }

    /**
     * Which states are proper ends (others without successors are deadlocks). Default:
     * {@link #allTerminated()}. Extend it with e.g. {@code allTerminated().and(...)}.
     */
    public Program finalWhen(Guard isFinal) {
        checkOpen();
        this.finalWhen = Objects.requireNonNull(isFinal, "isFinal");
        return this;
    }

    /** Every process except daemons has terminated: the default final-state condition. */
    public Guard allTerminated() {
        return s -> built().allTerminated(s);
    }

    /** States outside {@code constraint} are checked but not expanded (TLC's CONSTRAINT). */
    public Program constraint(Guard constraint) {
        checkOpen();
        this.constraint = Objects.requireNonNull(constraint, "constraint");
        return this;
    }

    /**
     * The return stack's depth per process (default 4). Nesting deeper than this is a build
     * error when it can be seen statically, otherwise (recursion) a model error at run time.
     */
    public Program maxCallDepth(int depth) {
        checkOpen();
        if (depth < 1) {
            throw new IllegalArgumentException("maxCallDepth must be at least 1, not " + depth);
        }
        this.maxCallDepth = depth;
        return this;
    }

    int maxCallDepth() {
        return maxCallDepth;
    }

    /** Makes an empty source reference a build error: for specs that must cite the kernel. */
    public Program requireSources() {
        checkOpen();
        this.requireSources = true;
        return this;
    }

    /**
     * Installs a proposed change: each edit takes effect as its step is written (so apply it
     * before writing the code), and {@link #build()} rejects an edit of a step never written.
     */
    public Program apply(Patch change) {
        checkOpen();
        if (!stepSources.isEmpty()) {
            throw new IllegalStateException("program " + name + ": apply a patch before writing any step");
        }
        patch = patch.and(change);
        editsByStep.clear();
        for (Patch.Edit e : patch.edits()) {
            editsByStep.merge(e.target().name(), StepEdits.NONE.with(e), (a, b) -> a.with(e));
        }
        return this;
    }

    /** The edits of the step (or alternative) named {@code name}; looking them up uses them. */
    StepEdits editsOf(String name) {
        StepEdits e = editsByStep.get(name);
        if (e == null) {
            return StepEdits.NONE;
        }
        editedSteps.add(name);
        return e;
    }

    void written(String stepName, String source) {
        stepSources.putIfAbsent(stepName, source);
    }

    /**
     * Every step and {@code either} alternative of the program by name ({@code "procedure.label"},
     * {@code "label [choice]"}), with its source reference, in the order first written: what a
     * {@link Patch} can target. Complete once the program is built.
     */
    public Map<String, String> steps() {
        return Collections.unmodifiableMap(stepSources);
    }

    boolean sourcesRequired() {
        return requireSources;
    }

    // ---- build -------------------------------------------------------------------------------

    /**
     * Numbers the pcs, adds the per-process fields, resolves every label and returns the model.
     * All errors in the program's structure are reported here, naming process, step and label.
     */
    public ProgramModel build() {
        checkOpen();
        for (Process p : processes) {
            p.finish();
        }
        closed = true;
        checkEditsUsed();
        ProgramModel model = Linker.link(this, shared, processes);
        for (Location l : locations) {
            l.resolve();
        }
        built = model;
        return model;
    }

    private void checkEditsUsed() {
        for (Patch.Edit e : patch.edits()) {
            if (!editedSteps.contains(e.target().name())) {
                throw new IllegalArgumentException("program " + name + ": the patch '" + e + "' targets "
                        + e.target().name() + ", which this program does not have; its steps are: "
                        + String.join(", ", stepSources.keySet()));
            }
        }
    }

    List<long[]> initialStates(Layout layout) {
        List<long[]> states = new ArrayList<>();
        states.add(layout.minimumState());
        for (Initialiser init : initialisers) {
            List<long[]> next = new ArrayList<>();
            for (long[] s : states) {
                for (int v = init.lo(); v <= init.hi(); v++) {
                    long[] t = s.clone();
                    init.effect().apply(t, v);
                    next.add(t);
                }
            }
            states = next;
        }
        List<long[]> distinct = new ArrayList<>();
        for (long[] s : states) {
            layout.validate(s);
            if (distinct.stream().noneMatch(d -> Arrays.equals(d, s))) {
                distinct.add(s);
            }
        }
        return distinct;
    }

    List<Invariant> invariants() {
        return Collections.unmodifiableList(invariants);
    }

    Guard finalWhen() {
        return finalWhen;
    }

    Guard constraint() {
        return constraint;
    }

    Guard location(Process process, String label) {
        Objects.requireNonNull(label, "label");
        Location l = new Location(process, label);
        if (built != null) {
            l.resolve();
        } else {
            locations.add(l);
        }
        return l;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("program " + name + " is already built and can no longer change");
        }
    }

    private ProgramModel built() {
        if (built == null) {
            throw new IllegalStateException("program " + name + " is not built yet");
        }
        return built;
    }
}
