package dev.mmcheck.checker.model;

import dev.mmcheck.checker.state.Layout;

import java.util.List;

/**
 * A model that explores exactly as another one but checks a different list of invariants: how a
 * test adds a property of its own (e.g. "in every final state the store went through") to a
 * model it did not build. See {@link Model#withInvariants}.
 */
final class WithInvariants implements Model {
    private final Model model;
    private final List<Invariant> invariants;

    WithInvariants(Model model, List<Invariant> invariants) {
        this.model = model;
        this.invariants = List.copyOf(invariants);
    }

    @Override public String name() { return model.name(); }
    @Override public Layout layout() { return model.layout(); }
    @Override public List<long[]> initialStates() { return model.initialStates(); }
    @Override public void successors(long[] state, Successors out) { model.successors(state, out); }
    @Override public int transitionCount() { return model.transitionCount(); }
    @Override public Transition transition(int id) { return model.transition(id); }
    @Override public List<Invariant> invariants() { return invariants; }
    @Override public boolean isFinal(long[] state) { return model.isFinal(state); }
    @Override public boolean withinConstraint(long[] state) { return model.withinConstraint(state); }
    @Override public String describe(long[] state) { return model.describe(state); }
}
