package dev.mmcheck.checker.trace;

import dev.mmcheck.checker.model.Model;

import java.util.List;

/**
 * A path through a model: step 0 is an initial state, each later step is a transition and the
 * state it leads to. Built by {@link Replayer} from transition ids, so every state is exact.
 *
 * @param model          the model it belongs to (for rendering)
 * @param initialOrdinal which of {@code model.initialStates()} it starts from
 * @param steps          the initial state, then one entry per transition
 */
public record Trace(Model model, int initialOrdinal, List<TraceStep> steps) {
    public Trace {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(0).isInitial()) {
            throw new IllegalArgumentException("a trace starts with an initial state");
        }
    }

    /** Number of transitions (the initial state is not counted). */
    public int length() {
        return steps.size() - 1;
    }

    public long[] lastState() {
        return steps.get(steps.size() - 1).state();
    }

    /** The transition ids, in order. */
    public int[] transitionIds() {
        int[] ids = new int[length()];
        for (int i = 1; i < steps.size(); i++) {
            ids[i - 1] = steps.get(i).transition().id();
        }
        return ids;
    }

    /** Number of times consecutive transitions are taken by different actors. */
    public int contextSwitches() {
        int switches = 0;
        for (int i = 2; i < steps.size(); i++) {
            if (!steps.get(i).transition().actor().equals(steps.get(i - 1).transition().actor())) {
                switches++;
            }
        }
        return switches;
    }

    /** A plain rendering: one numbered line per step with actor, label, source and the full state. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            TraceStep st = steps.get(i);
            if (st.isInitial()) {
                sb.append(String.format("%3d  initial state #%d%n", i, initialOrdinal));
            } else {
                sb.append(String.format("%3d  %s: %s%s%n", i, st.transition().actor(), st.transition().label(),
                        st.transition().source().isEmpty() ? "" : "  (" + st.transition().source() + ")"));
            }
            sb.append("     ").append(model.describe(st.state())).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
