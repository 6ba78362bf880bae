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
 * N philosophers, each taking the left fork, then the right, eating, and putting both down.
 * When every philosopher holds a left fork, nobody can continue: the shortest deadlock has N
 * steps.
 */
public final class DiningPhilosophers implements Model {
    private static final int TAKE_LEFT = 0;
    private static final int TAKE_RIGHT = 1;
    private static final int EAT = 2;
    private static final String[] LABELS = {"take left fork", "take right fork", "eat and put forks down"};

    private final int n;
    private final Layout layout;
    /** fork[f] = 0 when free, else 1 + the philosopher holding it. */
    private final FieldArray fork;
    private final FieldArray pc;
    private final List<Transition> transitions = new ArrayList<>();

    public DiningPhilosophers(int philosophers) {
        if (philosophers < 2 || philosophers > 12) {
            throw new IllegalArgumentException("philosophers: " + philosophers + " is not allowed; use 2 to 12");
        }
        n = philosophers;
        Layout.Builder b = Layout.builder();
        fork = b.array("fork", n, 0, n);
        pc = b.array("pc", n, 0, EAT);
        layout = b.build();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p <= EAT; p++) {
                transitions.add(new Transition(transitions.size(), Actor.of("Phil", i), LABELS[p], ""));
            }
        }
    }

    @Override public String name() { return "dining-philosophers-" + n; }
    @Override public Layout layout() { return layout; }
    @Override public List<long[]> initialStates() { return List.of(layout.newState()); }

    @Override
    public void successors(long[] s, Successors out) {
        for (int i = 0; i < n; i++) {
            int left = i;
            int right = (i + 1) % n;
            int at = pc.get(s, i);
            int t = i * (EAT + 1) + at;
            if (at == TAKE_LEFT && fork.get(s, left) == 0) {
                long[] next = out.begin(s);
                fork.set(next, left, i + 1);
                pc.set(next, i, TAKE_RIGHT);
                out.emit(t);
            } else if (at == TAKE_RIGHT && fork.get(s, right) == 0) {
                long[] next = out.begin(s);
                fork.set(next, right, i + 1);
                pc.set(next, i, EAT);
                out.emit(t);
            } else if (at == EAT) {
                long[] next = out.begin(s);
                fork.set(next, left, 0);
                fork.set(next, right, 0);
                pc.set(next, i, TAKE_LEFT);
                out.emit(t);
            }
        }
    }

    @Override public int transitionCount() { return transitions.size(); }
    @Override public Transition transition(int id) { return transitions.get(id); }

    @Override
    public List<Invariant> invariants() {
        return List.of(Invariant.of("forks held by one philosopher", s -> {
            for (int i = 0; i < n; i++) {
                int h = fork.get(s, i);
                if (h != 0 && h - 1 != i && h - 1 != (i + n - 1) % n) {
                    return false;
                }
            }
            return true;
        }, s -> "a fork is held by a philosopher who is not next to it"));
    }
}
