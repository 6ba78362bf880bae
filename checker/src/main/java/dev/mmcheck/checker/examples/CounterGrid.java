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
 * {@code n} counters modulo {@code k}; each step increments one of them. Exactly {@code k^n}
 * reachable states, each with {@code n} successors, and a diameter of {@code n*(k-1)}: a model
 * of known size for benchmarks and bound tests. Optional padding fields widen the vector (each
 * holds a function of the counters, so states stay distinct and the vector stays fully used).
 */
public final class CounterGrid implements Model {
    private final int n;
    private final int k;
    private final Layout layout;
    private final FieldArray counter;
    private final Field[] padding;
    private final List<Transition> transitions = new ArrayList<>();

    /**
     * @param counters  number of counters, 1 to 16
     * @param modulus   values per counter, 2 to 65536
     * @param padWords  extra 64-bit words of padding, 0 to 7
     */
    public CounterGrid(int counters, int modulus, int padWords) {
        if (counters < 1 || counters > 16) {
            throw new IllegalArgumentException("counters: " + counters + " is not allowed; use 1 to 16");
        }
        if (modulus < 2 || modulus > 65536) {
            throw new IllegalArgumentException("modulus: " + modulus + " is not allowed; use 2 to 65536");
        }
        if (padWords < 0 || padWords > 7) {
            throw new IllegalArgumentException("padWords: " + padWords + " is not allowed; use 0 to 7");
        }
        n = counters;
        k = modulus;
        Layout.Builder b = Layout.builder();
        counter = b.array("counter", n, 0, k - 1);
        padding = new Field[padWords * 2];
        for (int i = 0; i < padding.length; i++) {
            padding[i] = b.field("pad" + i, 0, Integer.MAX_VALUE);
            b.field("pad" + i + "_low", 0, 1);
        }
        layout = b.build();
        for (int i = 0; i < n; i++) {
            transitions.add(new Transition(i, Actor.of("C", i), "counter[" + i + "]++", ""));
        }
    }

    @Override public String name() { return "counter-grid-" + n + "x" + k; }
    @Override public Layout layout() { return layout; }
    @Override public List<long[]> initialStates() { return List.of(layout.newState()); }

    /** The number of reachable states, {@code k^n}. */
    public long expectedStates() {
        long s = 1;
        for (int i = 0; i < n; i++) {
            s *= k;
        }
        return s;
    }

    public int expectedDiameter() {
        return n * (k - 1);
    }

    @Override
    public void successors(long[] s, Successors out) {
        for (int i = 0; i < n; i++) {
            long[] next = out.begin(s);
            int v = counter.get(s, i) + 1;
            counter.set(next, i, v == k ? 0 : v);
            if (padding.length > 0) {
                long index = 0;
                for (int j = 0; j < n; j++) {
                    index = index * k + counter.get(next, j);
                }
                int h = (int) (index * 0x9E3779B9L) & Integer.MAX_VALUE;
                for (Field p : padding) {
                    p.set(next, h);
                }
            }
            out.emit(i);
        }
    }

    @Override public int transitionCount() { return n; }
    @Override public Transition transition(int id) { return transitions.get(id); }
    @Override public List<Invariant> invariants() { return List.of(); }
    @Override public boolean isFinal(long[] state) { return true; }
}
