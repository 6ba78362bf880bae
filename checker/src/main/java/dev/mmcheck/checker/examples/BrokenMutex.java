package dev.mmcheck.checker.examples;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * A lock whose test and set are two steps: {@code await lock == 0; lock := 1}. Two processes can
 * both pass the test before either sets the lock, so mutual exclusion fails; the shortest
 * counterexample has 4 steps (both test, both set).
 */
public final class BrokenMutex implements Model {
    private static final int TEST = 0;
    private static final int SET = 1;
    private static final int CRITICAL = 2;
    private static final String[] LABELS = {"await lock == 0", "lock := 1", "lock := 0 (leave)"};

    private final int n;
    private final Layout layout;
    private final Field lock;
    private final FieldArray pc;
    private final List<Transition> transitions = new ArrayList<>();

    public BrokenMutex(int processes) {
        if (processes < 2 || processes > 16) {
            throw new IllegalArgumentException("processes: " + processes + " is not allowed; use 2 to 16");
        }
        n = processes;
        Layout.Builder b = Layout.builder();
        lock = b.flag("lock");
        pc = b.array("pc", n, 0, CRITICAL);
        layout = b.build();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p <= CRITICAL; p++) {
                transitions.add(new Transition(transitions.size(), Actor.of("P", i), LABELS[p], "test-then-set lock"));
            }
        }
    }

    @Override public String name() { return "broken-mutex-" + n; }
    @Override public Layout layout() { return layout; }
    @Override public List<long[]> initialStates() { return List.of(layout.newState()); }

    @Override
    public void successors(long[] s, Successors out) {
        for (int i = 0; i < n; i++) {
            int at = pc.get(s, i);
            int t = i * (CRITICAL + 1) + at;
            if (at == TEST) {
                if (lock.get(s) == 0) {
                    long[] next = out.begin(s);
                    pc.set(next, i, SET);
                    out.emit(t);
                }
            } else if (at == SET) {
                long[] next = out.begin(s);
                lock.set(next, 1);
                pc.set(next, i, CRITICAL);
                out.emit(t);
            } else {
                long[] next = out.begin(s);
                lock.set(next, 0);
                pc.set(next, i, TEST);
                out.emit(t);
            }
        }
    }

    @Override public int transitionCount() { return transitions.size(); }
    @Override public Transition transition(int id) { return transitions.get(id); }

    @Override
    public List<Invariant> invariants() {
        return List.of(Invariant.of("mutual exclusion", s -> inCritical(s) <= 1,
                s -> inCritical(s) + " processes hold the lock at once: both saw it free before either took it"));
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
