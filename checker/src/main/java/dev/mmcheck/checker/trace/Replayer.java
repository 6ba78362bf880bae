package dev.mmcheck.checker.trace;

import dev.mmcheck.checker.model.CopyingSuccessors;
import dev.mmcheck.checker.model.Model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds a trace from an initial state and a list of transition ids by re-running the model:
 * the trace carries full states without the search ever storing them.
 */
public final class Replayer {
    private Replayer() {
    }

    /**
     * Replays {@code transitions} from initial state {@code initialOrdinal}.
     *
     * @throws ReplayException if a transition is not enabled where the trace takes it
     */
    public static Trace replay(Model model, int initialOrdinal, int[] transitions) {
        List<long[]> initials = model.initialStates();
        if (initialOrdinal < 0 || initialOrdinal >= initials.size()) {
            throw new ReplayException("initial state #" + initialOrdinal + " does not exist; the model has "
                    + initials.size() + " initial state(s)");
        }
        long[] state = initials.get(initialOrdinal).clone();
        List<TraceStep> steps = new ArrayList<>(transitions.length + 1);
        steps.add(new TraceStep(null, state));
        Capture capture = new Capture(model.layout().words());
        for (int i = 0; i < transitions.length; i++) {
            int t = transitions[i];
            if (t < 0 || t >= model.transitionCount()) {
                throw new ReplayException("step " + (i + 1) + ": transition id " + t + " does not exist; the model has "
                        + model.transitionCount() + " transitions");
            }
            long[] next = capture.successor(model, state, t);
            if (next == null) {
                throw new ReplayException("step " + (i + 1) + ": transition '" + model.transition(t).title()
                        + "' is not enabled in the state reached by the previous steps");
            }
            steps.add(new TraceStep(model.transition(t), next));
            state = next;
        }
        return new Trace(model, initialOrdinal, steps);
    }

    /** The successor of {@code state} by transition {@code transition}, or null if it is not enabled. */
    public static long[] successor(Model model, long[] state, int transition) {
        return new Capture(model.layout().words()).successor(model, state, transition);
    }

    /** A sink that keeps the successor of one chosen transition. */
    private static final class Capture extends CopyingSuccessors {
        private int wanted;
        private long[] found;

        Capture(int words) {
            super(words);
        }

        long[] successor(Model model, long[] state, int transition) {
            wanted = transition;
            found = null;
            model.successors(state, this);
            return found;
        }

        @Override
        public void emit(int transition) {
            if (transition == wanted && found == null) {
                found = Arrays.copyOf(scratch, scratch.length);
            }
        }
    }
}
