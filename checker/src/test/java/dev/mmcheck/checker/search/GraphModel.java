package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An explicit directed graph wrapped as a model: the state is a node, transition e is edge e.
 * Nodes marked bad break the invariant. With {@code deadEndsFinal} false, a node with no
 * out-edge is a deadlock.
 */
final class GraphModel implements Model {
    final int nodes;
    final int[] from;
    final int[] to;
    final int[] initial;
    final boolean[] bad;
    final boolean deadEndsFinal;
    private final Layout layout;
    private final Field node;
    private final int[][] out;
    /** Padding fields so that vectors have several words. */
    private final Field[] padding;

    GraphModel(int nodes, int[] from, int[] to, int[] initial, boolean[] bad, boolean deadEndsFinal, int extraWords) {
        this.nodes = nodes;
        this.from = from;
        this.to = to;
        this.initial = initial;
        this.bad = bad;
        this.deadEndsFinal = deadEndsFinal;
        Layout.Builder b = Layout.builder();
        node = b.field("node", 0, nodes - 1);
        padding = new Field[extraWords];
        for (int i = 0; i < extraWords; i++) {
            padding[i] = b.field("pad" + i, 0, Integer.MAX_VALUE);
            b.field("pad" + i + "b", 0, Integer.MAX_VALUE);
        }
        layout = b.build();
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            adj.add(new ArrayList<>());
        }
        for (int e = 0; e < from.length; e++) {
            adj.get(from[e]).add(e);
        }
        out = new int[nodes][];
        for (int i = 0; i < nodes; i++) {
            out[i] = adj.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Override public String name() { return "graph"; }
    @Override public Layout layout() { return layout; }

    long[] stateOf(int n) {
        long[] s = layout.newState();
        node.set(s, n);
        for (Field p : padding) {
            p.set(s, (n * 7919) & Integer.MAX_VALUE);
        }
        return s;
    }

    int nodeOf(long[] s) {
        return node.get(s);
    }

    @Override
    public List<long[]> initialStates() {
        List<long[]> list = new ArrayList<>();
        for (int i : initial) {
            list.add(stateOf(i));
        }
        return list;
    }

    @Override
    public void successors(long[] s, Successors sink) {
        for (int e : out[node.get(s)]) {
            long[] next = sink.begin(s);
            node.set(next, to[e]);
            for (Field p : padding) {
                p.set(next, (to[e] * 7919) & Integer.MAX_VALUE);
            }
            sink.emit(e);
        }
    }

    @Override public int transitionCount() { return from.length; }

    @Override
    public Transition transition(int id) {
        return new Transition(id, Actor.of("A", id % 3), "edge " + from[id] + "->" + to[id], "");
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(Invariant.of("not bad", s -> !bad[node.get(s)]));
    }

    @Override
    public boolean isFinal(long[] s) {
        return deadEndsFinal;
    }

    /** Plain BFS distances from the initial nodes (-1 = unreachable). */
    int[] referenceDistances() {
        int[] dist = new int[nodes];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i : initial) {
            if (dist[i] < 0) {
                dist[i] = 0;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int e : out[u]) {
                if (dist[to[e]] < 0) {
                    dist[to[e]] = dist[u] + 1;
                    queue.add(to[e]);
                }
            }
        }
        return dist;
    }

    boolean hasOutEdges(int n) {
        return out[n].length > 0;
    }
}
