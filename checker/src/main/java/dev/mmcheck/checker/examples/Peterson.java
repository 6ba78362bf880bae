package dev.mmcheck.checker.examples;

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
 * Peterson's mutual exclusion for N processes (the filter lock; N = 2 is the classic algorithm),
 * written directly against {@link Model}. Each process loops forever:
 * <pre>
 *   for l in 1 .. N-1:  level[i] := l;  victim[l] := i;  await (forall k != i: level[k] < l) or victim[l] != i
 *   critical section;   level[i] := 0
 * </pre>
 * Mutual exclusion holds; there are no deadlocks.
 */
public final class Peterson implements Model {
    static final int SET_LEVEL = 0;
    static final int SET_VICTIM = 1;
    static final int WAIT = 2;
    static final int CRITICAL = 3;
    private static final String[] LABELS = {"level[i] := l", "victim[l] := i", "await turn", "leave critical section"};

    private final int n;
    private final Layout layout;
    private final FieldArray level;
    private final FieldArray victim;
    private final FieldArray pc;
    private final FieldArray l;
    private final List<Transition> transitions = new ArrayList<>();

    public Peterson(int processes) {
        if (processes < 2 || processes > 8) {
            throw new IllegalArgumentException("processes: " + processes + " is not allowed; use 2 to 8");
        }
        n = processes;
        Layout.Builder b = Layout.builder();
        level = b.array("level", n, 0, n - 1);
        victim = b.array("victim", n, 0, n - 1);
        pc = b.array("pc", n, 0, CRITICAL);
        l = b.array("l", n, 1, n - 1);
        layout = b.build();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p <= CRITICAL; p++) {
                transitions.add(new Transition(transitions.size(), Actor.of("P", i), LABELS[p], "filter lock"));
            }
        }
    }

    @Override public String name() { return "peterson-" + n; }
    @Override public Layout layout() { return layout; }

    @Override
    public List<long[]> initialStates() {
        return List.of(layout.newState());
    }

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
        for (int k = 0; k < n; k++) {
            if (k != i && level.get(s, k) >= lv) {
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

    int inCritical(long[] s) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (pc.get(s, i) == CRITICAL) {
                c++;
            }
        }
        return c;
    }
}
