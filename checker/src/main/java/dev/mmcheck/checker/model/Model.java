package dev.mmcheck.checker.model;

import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * What the engine explores: a transition system over packed state vectors.
 *
 * <p>Contract, which every search relies on:
 * <ul>
 *   <li>{@link #successors} is reentrant (workers call it concurrently on different states),
 *       does not keep the vectors it is given, and should not allocate.</li>
 *   <li>A transition is deterministic: from one state, a transition id yields at most one
 *       successor. Nondeterministic choice is expressed as several transitions. Traces are
 *       rebuilt by replaying transition ids, so this is what makes them exact.</li>
 *   <li>States are written only through the layout's fields (reserved bits stay clear).</li>
 * </ul>
 */
public interface Model {
    /** A short name for reports. */
    String name();

    Layout layout();

    /** The initial states (each of {@code layout().words()} words); at least one. */
    List<long[]> initialStates();

    /**
     * Emits every successor of {@code state}: for each enabled transition call
     * {@code out.begin(state)}, change the returned vector, then {@code out.emit(id)}.
     */
    void successors(long[] state, Successors out);

    /** Number of transition ids; ids are {@code 0 .. transitionCount()-1}. */
    int transitionCount();

    /** Metadata of transition {@code id}: actor, label, source reference. */
    Transition transition(int id);

    /** The safety properties, checked in every reachable state. */
    List<Invariant> invariants();

    /** True for proper final states; a state with no successor that is not final is a deadlock. */
    default boolean isFinal(long[] state) {
        return false;
    }

    /**
     * State constraint: a state outside it is checked (invariants) but not expanded, as in
     * TLC. A run that pruned states by a constraint reports it in its statistics.
     */
    default boolean withinConstraint(long[] state) {
        return true;
    }

    /** A human description of a state; the default lists every field. */
    default String describe(long[] state) {
        return layout().format(state);
    }

    /** This model checking {@code invariants} instead of its own (same states, same transitions). */
    default Model withInvariants(List<Invariant> invariants) {
        return new WithInvariants(this, invariants);
    }

    /** This model checking its own invariants and {@code extra}. */
    default Model withInvariant(Invariant extra) {
        List<Invariant> all = new ArrayList<>(invariants());
        all.add(extra);
        return withInvariants(all);
    }
}
