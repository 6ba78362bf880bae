package dev.mmcheck.checker.trace;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Rewrites a trace into one of the same length with fewer context switches, so that a reader
 * follows one actor for longer before the story jumps to another.
 *
 * <p>The only rewrite is swapping two adjacent transitions of different actors where both
 * orders are enabled and lead to the same state (a commuting diamond, checked by re-running the
 * model), so everything after the pair is unchanged. The one exception is the last pair: there
 * the swapped order may end in another state, provided it also satisfies the target, because
 * for an invariant violation any violating end state tells the same story.
 *
 * <p>A new intermediate state must be one the search could have walked through: inside the
 * state constraint, every invariant holding, and not yet a target (else the trace would no
 * longer end at its first target). The search moves whole runs of one actor next to the
 * nearest other run of the same actor; such a merge always removes at least one switch, so the
 * count never grows and the loop ends. It is deterministic and bounded by a number of successor
 * computations.
 */
public final class SwitchMinimizer {
    /** Default bound on successor computations: fast for traces of a few hundred steps. */
    public static final long DEFAULT_EFFORT = 200_000;

    private final Model model;
    private final Predicate<long[]> target;
    private final List<Invariant> invariants;
    private final long effort;
    private final int[] ids;
    private final Actor[] actors;
    /** states[i] is the state before transition i; states[n] the last state. */
    private final long[][] states;
    private long spent;

    private SwitchMinimizer(Trace trace, Predicate<long[]> target, long effort) {
        this.model = trace.model();
        this.target = target;
        this.invariants = model.invariants();
        this.effort = effort;
        this.ids = trace.transitionIds();
        this.actors = new Actor[ids.length];
        this.states = new long[ids.length + 1][];
        for (int i = 0; i < trace.steps().size(); i++) {
            states[i] = trace.steps().get(i).state().clone();
        }
        for (int i = 0; i < ids.length; i++) {
            actors[i] = trace.steps().get(i + 1).transition().actor();
        }
    }

    /** A trace to the same last state with at most as many switches. */
    public static Trace minimize(Trace trace) {
        long[] last = trace.lastState().clone();
        return minimize(trace, s -> Arrays.equals(s, last), DEFAULT_EFFORT);
    }

    /** A trace of the same length to a state satisfying {@code target}, with at most as many switches. */
    public static Trace minimize(Trace trace, Predicate<long[]> target) {
        return minimize(trace, target, DEFAULT_EFFORT);
    }

    /**
     * @param effort at most this many successor computations; 0 returns the trace as it is
     * @throws IllegalArgumentException if the trace's last state does not satisfy {@code target}
     */
    public static Trace minimize(Trace trace, Predicate<long[]> target, long effort) {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(target, "target");
        if (effort < 0) {
            throw new IllegalArgumentException("effort: " + effort + " must be >= 0");
        }
        if (!target.test(trace.lastState())) {
            throw new IllegalArgumentException("the trace's last state does not satisfy the target");
        }
        SwitchMinimizer m = new SwitchMinimizer(trace, target, effort);
        m.run();
        return Replayer.replay(trace.model(), trace.initialOrdinal(), m.ids);
    }

    private void run() {
        boolean improved = true;
        while (improved && spent < effort) {
            improved = false;
            // Restart the scan after each merge: runs shifted, and a move that failed before
            // may now be possible.
            for (int start = 0; start < ids.length && !improved; ) {
                int end = start;
                while (end + 1 < ids.length && actors[end + 1].equals(actors[start])) {
                    end++;
                }
                improved = mergeLeft(start, end) || mergeRight(start, end);
                start = end + 1;
            }
        }
    }

    /** Moves run {@code [l, r]} left until it follows the previous step of the same actor. */
    private boolean mergeLeft(int l, int r) {
        int p = l - 1;
        while (p >= 0 && !actors[p].equals(actors[l])) {
            p--;
        }
        if (p < 0) {
            return false;
        }
        int distance = l - p - 1;
        Snapshot before = new Snapshot();
        for (int k = l; k <= r; k++) {
            for (int j = k; j > k - distance; j--) {
                if (!swap(j - 1)) {
                    before.restore();
                    return false;
                }
            }
        }
        return keepIfFewer(before);
    }

    /** Moves run {@code [l, r]} right until it precedes the next step of the same actor. */
    private boolean mergeRight(int l, int r) {
        int q = r + 1;
        while (q < ids.length && !actors[q].equals(actors[r])) {
            q++;
        }
        if (q >= ids.length) {
            return false;
        }
        int distance = q - r - 1;
        Snapshot before = new Snapshot();
        for (int k = r; k >= l; k--) {
            for (int j = k; j < k + distance; j++) {
                if (!swap(j)) {
                    before.restore();
                    return false;
                }
            }
        }
        return keepIfFewer(before);
    }

    /** A merge always removes a switch; the check keeps "never more switches" true regardless. */
    private boolean keepIfFewer(Snapshot before) {
        if (switches(actors) < switches(before.actors)) {
            return true;
        }
        before.restore();
        return false;
    }

    /** Swaps transitions {@code i} and {@code i+1} if they commute; false (nothing changed) if not. */
    private boolean swap(int i) {
        if (actors[i].equals(actors[i + 1]) || spent + 2 > effort) {
            return false;
        }
        spent += 2;
        long[] mid = Replayer.successor(model, states[i], ids[i + 1]);
        if (mid == null || !passable(mid)) {
            return false;
        }
        long[] end = Replayer.successor(model, mid, ids[i]);
        if (end == null) {
            return false;
        }
        boolean last = i + 2 == ids.length;
        if (!Arrays.equals(end, states[i + 2]) && !(last && target.test(end))) {
            return false;
        }
        int t = ids[i];
        ids[i] = ids[i + 1];
        ids[i + 1] = t;
        Actor a = actors[i];
        actors[i] = actors[i + 1];
        actors[i + 1] = a;
        states[i + 1] = mid;
        states[i + 2] = end;
        return true;
    }

    private boolean passable(long[] state) {
        if (target.test(state) || !model.withinConstraint(state)) {
            return false;
        }
        for (Invariant inv : invariants) {
            if (!inv.holds(state)) {
                return false;
            }
        }
        return true;
    }

    static int switches(Actor[] actors) {
        int n = 0;
        for (int i = 1; i < actors.length; i++) {
            if (!actors[i].equals(actors[i - 1])) {
                n++;
            }
        }
        return n;
    }

    /** The path before a multi-swap move, to undo it when a swap in the middle fails. */
    private final class Snapshot {
        final int[] ids = SwitchMinimizer.this.ids.clone();
        final Actor[] actors = SwitchMinimizer.this.actors.clone();
        final long[][] states = SwitchMinimizer.this.states.clone();

        void restore() {
            System.arraycopy(ids, 0, SwitchMinimizer.this.ids, 0, ids.length);
            System.arraycopy(actors, 0, SwitchMinimizer.this.actors, 0, actors.length);
            System.arraycopy(states, 0, SwitchMinimizer.this.states, 0, states.length);
        }
    }
}
