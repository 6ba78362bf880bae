package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A tiny breadth-first search for tests, independent of the real engine. */
final class Explorer {
    /** One emitted successor: its transition id and a private copy of the state. */
    record Edge(int id, long[] target) { }

    /** A sink that keeps a copy of every successor. */
    static final class Collect implements Successors {
        final List<Edge> edges = new ArrayList<>();
        private long[] scratch;

        @Override
        public long[] begin(long[] from) {
            scratch = from.clone();
            return scratch;
        }

        @Override
        public void emit(int transition) {
            edges.add(new Edge(transition, scratch));
            scratch = null;
        }
    }

    final Model model;
    final List<long[]> states = new ArrayList<>();
    final List<List<Edge>> edges = new ArrayList<>();
    private final Map<List<Long>, Integer> index = new HashMap<>();

    private Explorer(Model model) {
        this.model = model;
    }

    static List<Edge> successors(Model model, long[] state) {
        Collect c = new Collect();
        model.successors(state, c);
        return c.edges;
    }

    /** Every reachable state, breadth first, with its outgoing edges. */
    static Explorer explore(Model model) {
        Explorer e = new Explorer(model);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (long[] s : model.initialStates()) {
            e.add(s, queue);
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            List<Edge> out = successors(model, e.states.get(i));
            e.edges.set(i, out);
            for (Edge edge : out) {
                model.layout().validate(edge.target());
                e.add(edge.target(), queue);
            }
        }
        return e;
    }

    private void add(long[] s, ArrayDeque<Integer> queue) {
        List<Long> key = key(s);
        if (!index.containsKey(key)) {
            index.put(key, states.size());
            states.add(s);
            edges.add(null);
            queue.add(states.size() - 1);
        }
    }

    static List<Long> key(long[] s) {
        return Arrays.stream(s).boxed().toList();
    }

    int size() {
        return states.size();
    }

    boolean any(Predicate<long[]> p) {
        return states.stream().anyMatch(p);
    }

    boolean all(Predicate<long[]> p) {
        return states.stream().allMatch(p);
    }
}
