package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.CopyingSuccessors;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.trace.Replayer;

import java.util.Arrays;

/** Finds the step of a trace again: the smallest transition id leading from a state to a stored child. */
final class StepFinder extends CopyingSuccessors {
    private final Model model;
    private long wantedFingerprint;
    private long[] wantedState;
    private int found;

    StepFinder(Model model) {
        super(model.layout().words());
        this.model = model;
    }

    /**
     * The smallest transition id from {@code state} whose successor has {@code fingerprint} (and,
     * when {@code wanted} is not null, equals it); -1 if there is none.
     */
    int smallestStepTo(long[] state, long fingerprint, long[] wanted) {
        wantedFingerprint = fingerprint;
        wantedState = wanted;
        found = -1;
        model.successors(state, this);
        return found;
    }

    long[] successor(long[] state, int transition) {
        return Replayer.successor(model, state, transition);
    }

    @Override
    public void emit(int transition) {
        if ((found < 0 || transition < found)
                && FingerprintTable.fingerprint(StateHash.hash(scratch)) == wantedFingerprint
                && (wantedState == null || Arrays.equals(scratch, wantedState))) {
            found = transition;
        }
    }
}
