package dev.mmcheck.checker.trace;

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
import java.util.SplittableRandom;

/**
 * Actors that each count up to a bound, one transition per actor. Optionally an actor's step
 * waits for another actor's counter to reach a value (so some orders are impossible), or also
 * writes a shared "last writer" field (so its steps do not commute with other writers). Every
 * path to a given vector of counters has the same length, so any path is a shortest one.
 */
final class CounterActors implements Model {
    final int actors;
    final FieldArray counter;
    final Field lastWriter;
    private final int[] bound;
    private final int[] waitsFor;
    private final int[] waitsUntil;
    private final boolean[] writesShared;
    private final Layout layout;

    private CounterActors(int[] bound, int[] waitsFor, int[] waitsUntil, boolean[] writesShared) {
        this.actors = bound.length;
        this.bound = bound;
        this.waitsFor = waitsFor;
        this.waitsUntil = waitsUntil;
        this.writesShared = writesShared;
        Layout.Builder b = Layout.builder();
        counter = b.array("counter", actors, 0, 15);
        lastWriter = b.field("lastWriter", 0, actors);
        layout = b.build();
    }

    /** Independent counters: every pair of steps of different actors commutes. */
    static CounterActors independent(long seed, int actors) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] bound = new int[actors];
        int[] none = new int[actors];
        for (int i = 0; i < actors; i++) {
            bound[i] = 1 + r.nextInt(15);
            none[i] = -1;
        }
        return new CounterActors(bound, none, new int[actors], new boolean[actors]);
    }

    /** Counters with random waits and random writers of the shared field. */
    static CounterActors entangled(long seed, int actors) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] bound = new int[actors];
        int[] waitsFor = new int[actors];
        int[] waitsUntil = new int[actors];
        boolean[] writes = new boolean[actors];
        for (int i = 0; i < actors; i++) {
            bound[i] = 1 + r.nextInt(15);
        }
        for (int i = 0; i < actors; i++) {
            waitsFor[i] = actors > 1 && r.nextInt(3) == 0 ? (i + 1 + r.nextInt(actors - 1)) % actors : -1;
            waitsUntil[i] = waitsFor[i] < 0 ? 0 : r.nextInt(bound[waitsFor[i]] + 1);
            writes[i] = r.nextBoolean();
        }
        return new CounterActors(bound, waitsFor, waitsUntil, writes);
    }

    /** A random walk of at most {@code length} steps from the initial state. */
    Trace randomTrace(long seed, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] s = layout.newState();
        List<Integer> path = new ArrayList<>();
        for (int step = 0; step < length; step++) {
            List<Integer> enabled = new ArrayList<>();
            for (int i = 0; i < actors; i++) {
                if (enabled(s, i)) {
                    enabled.add(i);
                }
            }
            if (enabled.isEmpty()) {
                break;
            }
            int t = enabled.get(r.nextInt(enabled.size()));
            s = Replayer.successor(this, s, t);
            path.add(t);
        }
        return Replayer.replay(this, 0, path.stream().mapToInt(Integer::intValue).toArray());
    }

    int sum(long[] s) {
        int total = 0;
        for (int i = 0; i < actors; i++) {
            total += counter.get(s, i);
        }
        return total;
    }

    private boolean enabled(long[] s, int i) {
        return counter.get(s, i) < bound[i] && (waitsFor[i] < 0 || counter.get(s, waitsFor[i]) >= waitsUntil[i]);
    }

    @Override public String name() { return "counter-actors-" + actors; }
    @Override public Layout layout() { return layout; }
    @Override public List<long[]> initialStates() { return List.of(layout.newState()); }

    @Override
    public void successors(long[] s, Successors out) {
        for (int i = 0; i < actors; i++) {
            if (enabled(s, i)) {
                long[] next = out.begin(s);
                counter.set(next, i, counter.get(s, i) + 1);
                if (writesShared[i]) {
                    lastWriter.set(next, i + 1);
                }
                out.emit(i);
            }
        }
    }

    @Override public int transitionCount() { return actors; }
    @Override public Transition transition(int id) { return new Transition(id, Actor.of("A", id), "count", ""); }
    @Override public List<Invariant> invariants() { return List.of(); }
}
