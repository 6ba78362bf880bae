package dev.mmcheck.bench;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark model with several processes and guards: Peterson's filter lock for {@code n}
 * processes (as {@link dev.mmcheck.checker.examples.Peterson}), where each process also counts
 * its visits to the critical section modulo {@code k} when it leaves it. The counters do not
 * influence control, so the state space is (at most) the filter lock's times {@code k^n}; the
 * benchmark takes the exact count from a lossless run, never from that product.
 *
 * <p>Per state it evaluates {@code n} guards, the "await" ones looping over all processes, so a
 * successor costs more than in {@link dev.mmcheck.checker.examples.CounterGrid}, and the level
 * sizes and branching are those of an interleaving protocol rather than a grid.
 */
public final class PetersonCounters implements Model {
    private static final int SET_LEVEL = 0;
    private static final int SET_VICTIM = 1;
    private static final int WAIT = 2;
    private static final int CRITICAL = 3;
    private static final String[] LABELS = {"level[i] := l", "victim[l] := i", "await turn",
            "count[i]++; leave critical section"};

    private final int n;
    private final int k;
    private final Layout layout;
    private final FieldArray level;
    private final FieldArray victim;
    private final FieldArray pc;
    private final FieldArray l;
    private final FieldArray count;
    private final List<Transition> transitions = new ArrayList<>();

    /**
     * @param processes 2 to 8
     * @param modulus   values of each process's visit counter, 1 to 65536
     */
    public PetersonCounters(int processes, int modulus) {
        if (processes < 2 || processes > 8) {
            throw new IllegalArgumentException("processes: " + processes + " is not allowed; use 2 to 8");
        }
        if (modulus < 1 || modulus > 65536) {
            throw new IllegalArgumentException("modulus: " + modulus + " is not allowed; use 1 to 65536");
        }
        n = processes;
        k = modulus;
        Layout.Builder b = Layout.builder();
        level = b.array("level", n, 0, n - 1);
        victim = b.array("victim", n, 0, n - 1);
        pc = b.array("pc", n, 0, CRITICAL);
        l = b.array("l", n, 1, n - 1);
        count = b.array("count", n, 0, k - 1);
        layout = b.build();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p <= CRITICAL; p++) {
                transitions.add(new Transition(transitions.size(), Actor.of("P", i), LABELS[p], "filter lock"));
            }
        }
    }

    @Override public String name() { return "peterson-counters-" + n + "x" + k; }
    @Override public Layout layout() { return layout; }
    @Override public List<long[]> initialStates() { return List.of(layout.newState()); }

    @Override
    public void successors(long[] s, Successors out) {
        for (int i = 0; i < n; i++) {
            int at = pc.get(s, i);
            int lv = l.get(s, i);
            int t = i * (CRITICAL + 1) + at;
            switch (at) {
                case SET_LEVEL: {
                    long[] next = out.begin(s);
                    level.set(next, i, lv);
                    pc.set(next, i, SET_VICTIM);
                    out.emit(t);
                    break;
                }
                case SET_VICTIM: {
                    long[] next = out.begin(s);
                    victim.set(next, lv, i);
                    pc.set(next, i, WAIT);
                    out.emit(t);
                    break;
                }
                case WAIT: {
                    if (mayPass(s, i, lv)) {
                        long[] next = out.begin(s);
                        if (lv + 1 < n) {
                            l.set(next, i, lv + 1);
                            pc.set(next, i, SET_LEVEL);
                        } else {
                            pc.set(next, i, CRITICAL);
                        }
                        out.emit(t);
                    }
                    break;
                }
                default: {
                    long[] next = out.begin(s);
                    int c = count.get(s, i) + 1;
                    count.set(next, i, c == k ? 0 : c);
                    level.set(next, i, 0);
                    l.set(next, i, 1);
                    pc.set(next, i, SET_LEVEL);
                    out.emit(t);
                }
            }
        }
    }

    private boolean mayPass(long[] s, int i, int lv) {
        if (victim.get(s, lv) != i) {
            return true;
        }
        for (int j = 0; j < n; j++) {
            if (j != i && level.get(s, j) >= lv) {
                return false;
            }
        }
        return true;
    }

    @Override public int transitionCount() { return transitions.size(); }
    @Override public Transition transition(int id) { return transitions.get(id); }

    @Override
    public List<Invariant> invariants() {
        return List.of(Invariant.of("mutual exclusion", s -> inCritical(s) <= 1,
                s -> inCritical(s) + " processes are in the critical section at once"));
    }

    private int inCritical(long[] s) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (pc.get(s, i) == CRITICAL) {
                c++;
            }
        }
        return c;
    }
}
