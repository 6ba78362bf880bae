package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built {@link Program}: the {@link Model} the engine explores, plus what traces need to show
 * it as code (which step each process is at).
 *
 * <p>{@link #successors} looks up each process's pc in arrays and fires the actions there: no
 * map, no boxing, no allocation. The object is immutable after construction, so any number of
 * threads may call it at once.
 */
public final class ProgramModel implements Model {
    private final String name;
    private final Layout layout;
    private final List<long[]> initialStates;
    /** Per process. */
    private final Field[] pcs;
    private final boolean[] daemon;
    private final String[] processNames;
    /** [process][pc] the actions (one per alternative) of the step at that pc. */
    private final Action[][][] table;
    /** [process][pc] the step's label; the last pc (terminated) is {@link Code#DONE}. */
    private final String[][] labels;
    private final Transition[] transitions;
    private final int[] processOf;
    private final List<Invariant> invariants;
    private final Guard finalWhen;
    private final Guard constraint;
    /** pc field to its process, for {@link #describe}. */
    private final Map<Field, Integer> pcOwner = new IdentityHashMap<>();

    ProgramModel(Program program, Layout layout, Field[] pcs, Action[][][] table, String[][] labels,
                 Transition[] transitions, int[] processOf, List<Process> processes) {
        this.name = program.name();
        this.layout = layout;
        this.pcs = pcs;
        this.table = table;
        this.labels = labels;
        this.transitions = transitions;
        this.processOf = processOf;
        this.daemon = new boolean[processes.size()];
        this.processNames = new String[processes.size()];
        for (Process p : processes) {
            daemon[p.index()] = p.isDaemon();
            processNames[p.index()] = p.name();
            pcOwner.put(pcs[p.index()], p.index());
        }
        this.invariants = List.copyOf(program.invariants());
        this.finalWhen = program.finalWhen();
        this.constraint = program.constraint();
        this.initialStates = program.initialStates(layout);
    }

    // ---- Model -------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public Layout layout() {
        return layout;
    }

    /** Fresh copies each call: callers may keep or change them. */
    @Override
    public List<long[]> initialStates() {
        List<long[]> copies = new ArrayList<>();
        for (long[] s : initialStates) {
            copies.add(s.clone());
        }
        return Collections.unmodifiableList(copies);
    }

    @Override
    public void successors(long[] state, Successors out) {
        for (int p = 0; p < pcs.length; p++) {
            Action[][] steps = table[p];
            int pc = pcs[p].get(state);
            if (pc < steps.length) { // else terminated
                for (Action action : steps[pc]) {
                    action.fire(state, out);
                }
            }
        }
    }

    @Override
    public int transitionCount() {
        return transitions.length;
    }

    @Override
    public Transition transition(int id) {
        return transitions[id];
    }

    @Override
    public List<Invariant> invariants() {
        return invariants;
    }

    /** {@link Program#finalWhen} if given, else every non-daemon process has terminated. */
    @Override
    public boolean isFinal(long[] state) {
        return finalWhen != null ? finalWhen.test(state) : allTerminated(state);
    }

    @Override
    public boolean withinConstraint(long[] state) {
        return constraint == null || constraint.test(state);
    }

    /** Every field as {@code name=value}, with program counters shown as step labels. */
    @Override
    public String describe(long[] state) {
        StringBuilder sb = new StringBuilder();
        for (Field f : layout.fields()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            Integer p = pcOwner.get(f);
            sb.append(f.name()).append('=').append(p == null ? String.valueOf(f.get(state)) : pcLabel(state, p));
        }
        return sb.toString();
    }

    // ---- processes ---------------------------------------------------------------------------

    public int processCount() {
        return pcs.length;
    }

    public String processName(int process) {
        return processNames[process];
    }

    /** The index of the process called {@code name}; an error listing the names if none. */
    public int processIndex(String name) {
        for (int p = 0; p < processNames.length; p++) {
            if (processNames[p].equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no process '" + name + "'; processes: " + String.join(", ", processNames));
    }

    public boolean isDaemon(int process) {
        return daemon[process];
    }

    /** The process that takes transition {@code id}. */
    public int processOf(int transitionId) {
        return processOf[transitionId];
    }

    /** The pc of {@code process} in {@code state}; {@link #stepLabels}{@code .size()-1} when terminated. */
    public int pc(long[] state, int process) {
        return pcs[process].get(state);
    }

    /**
     * The label of the step {@code process} runs next in {@code state} ({@code "proc.label"}
     * inside a procedure), or {@link Code#DONE} when it has terminated.
     */
    public String pcLabel(long[] state, int process) {
        return labels[process][pcs[process].get(state)];
    }

    public boolean isTerminated(long[] state, int process) {
        return pcs[process].get(state) == table[process].length;
    }

    /** Every non-daemon process has terminated (the default final-state condition). */
    public boolean allTerminated(long[] state) {
        for (int p = 0; p < pcs.length; p++) {
            if (!daemon[p] && pcs[p].get(state) != table[p].length) {
                return false;
            }
        }
        return true;
    }

    /** The labels of {@code process}'s steps in pc order, ending with {@link Code#DONE}. */
    public List<String> stepLabels(int process) {
        return List.of(labels[process]);
    }

    @Override
    public String toString() {
        return "ProgramModel[" + name + ": " + Arrays.toString(processNames) + ", " + transitions.length
                + " transitions, " + layout.words() + " words]";
    }
}
