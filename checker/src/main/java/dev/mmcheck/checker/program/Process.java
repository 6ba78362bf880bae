package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An actor of a {@link Program}: a thread, a CPU, a kernel daemon. It is its own {@link Code}
 * (the steps it runs from its first step), owns its locals, and has its own copy of every
 * procedure it calls. In the state vector it has a program counter {@code <name>.pc} and, if it
 * calls procedures, a return stack {@code <name>.ret[i]} with pointer {@code <name>.sp}.
 */
public final class Process extends Code {
    private final Actor actor;
    private final String name;
    private final int index;
    private boolean daemon;
    private final Map<String, Field> locals = new LinkedHashMap<>();
    private final Map<String, FieldArray> localArrays = new LinkedHashMap<>();
    /** The procedures this process calls, each instantiated once, in first-call order. */
    final Map<Procedure, Code> instances = new LinkedHashMap<>();

    // Set when the program is built.
    Field pcField;
    private Map<String, Integer> pcByLabel;

    Process(Program program, Actor actor, int index) {
        super(program, null, null);
        this.actor = actor;
        this.name = actor.toString();
        this.index = index;
    }

    /**
     * Marks this process as a daemon (hardware, a kernel thread): it never needs to terminate,
     * so it does not keep a state from being final, and its code repeats: falling off its last
     * step starts it again at its first, like a {@code for (;;)} loop. {@link #done()} still
     * ends it.
     */
    public Process daemon() {
        program.checkOpen();
        daemon = true;
        return this;
    }

    public boolean isDaemon() {
        return daemon;
    }

    public String name() {
        return name;
    }

    /** The actor this process is, as traces and reports identify it. */
    public Actor actor() {
        return actor;
    }

    /** Position among the program's processes, as {@link ProgramModel} numbers them. */
    public int index() {
        return index;
    }

    /** True in states where this process has terminated. */
    public Guard terminated() {
        return at(DONE);
    }

    /** Every code block of this process: its own first, then its procedure instances. */
    List<Code> blocks() {
        List<Code> blocks = new ArrayList<>();
        blocks.add(this);
        blocks.addAll(instances.values());
        return blocks;
    }

    Field declareLocal(String local, int min, int max) {
        program.checkOpen();
        checkName(local, "local of process " + name);
        Field f = locals.get(local);
        if (f == null) {
            f = program.shared().field(name + "." + local, min, max);
            locals.put(local, f);
        } else if (f.min() != min || f.max() != max) {
            throw new IllegalArgumentException("process " + name + ": local '" + local + "' is declared with range ["
                    + f.min() + ", " + f.max() + "] and again with [" + min + ", " + max + "]");
        }
        return f;
    }

    FieldArray declareLocalArray(String local, int length, int min, int max) {
        program.checkOpen();
        checkName(local, "local array of process " + name);
        FieldArray a = localArrays.get(local);
        if (a == null) {
            a = program.shared().array(name + "." + local, length, min, max);
            localArrays.put(local, a);
        } else if (a.length() != length || a.min() != min || a.max() != max) {
            throw new IllegalArgumentException("process " + name + ": local array '" + local
                    + "' is declared twice with different shapes");
        }
        return a;
    }

    void linked(Field pc, Map<String, Integer> pcByLabel) {
        this.pcField = pc;
        this.pcByLabel = pcByLabel;
    }

    /** The pc of step {@code label} (qualified for procedure steps) or of {@link #DONE}. */
    int pcOf(String label) {
        Integer pc = pcByLabel.get(label);
        if (pc == null) {
            throw new IllegalArgumentException("process " + name + ": at('" + label + "') names no step; known labels: "
                    + String.join(", ", pcByLabel.keySet()));
        }
        return pc;
    }
}
