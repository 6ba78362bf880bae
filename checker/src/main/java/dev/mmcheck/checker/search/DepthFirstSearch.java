package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Stateful depth-first search with a depth bound, on one thread. A state's successors are
 * stored (and checked) when generated, then explored one after the other; the stack holds one
 * frame of successors per depth. A state at the depth bound is checked but not expanded, and then
 * the run is INCOMPLETE: a stateful DFS that cut a path may also have missed states that a
 * shorter path would have reached. The state bound is checked at every new state, so DFS honours
 * every bound BFS does. Its depth is the depth of the deepest state stored, along the DFS path
 * that reached it (not a shortest distance).
 */
final class DepthFirstSearch extends WorkerCounters implements Successors {
    private final Model model;
    private final SearchOptions options;
    private final Exploration run;
    private final InvariantCheck invariants;
    private final int words;
    private final List<Frontier> frames = new ArrayList<>();
    private final long[] state;
    private final long[] scratch;
    private boolean cut;
    private Frontier out;
    private int parentSlot;
    private int depth;
    private int emitted;
    private int deepest;

    DepthFirstSearch(Model model, SearchOptions options, Exploration run) {
        super(model.transitionCount());
        this.model = model;
        this.options = options;
        this.run = run;
        this.invariants = new InvariantCheck(model);
        this.words = model.layout().words();
        this.state = new long[words];
        this.scratch = new long[words];
    }

    void explore() {
        Frontier roots = frame(0);
        List<long[]> initials = model.initialStates();
        for (int i = 0; i < initials.size() && !run.stopped(); i++) {
            long[] s = initials.get(i);
            int slot = run.visited().insert(s, StateHash.hash(s));
            if (slot == VisitedSet.FULL) {
                run.stop(Limit.MEMORY, "the visited set is full");
            } else if (slot >= 0) {
                run.parents().recordInitial(slot);
                int broken = invariants.firstBroken(s);
                if (broken >= 0) {
                    run.violation(invariants.get(broken), slot, 0);
                } else if (!roots.add(s, slot)) {
                    run.stop(Limit.MEMORY, "the DFS stack exceeded its share of the memory budget");
                }
            }
        }
        run.checkBounds(run.visited().size());
        int[] cursor = new int[16];
        int d = 0;
        long work = 0;
        while (d >= 0 && !run.stopped()) {
            Frontier f = frames.get(d);
            if (cursor[d] == f.size()) {
                d--;
                continue;
            }
            int i = cursor[d]++;
            f.copyState(i, state);
            int slot = f.slot(i);
            if (d >= options.maxDepth()) {
                cut = true;
                continue;
            }
            if (!model.withinConstraint(state)) {
                pruned++;
                continue;
            }
            depth = d;
            out = frame(d + 1);
            out.clear();
            parentSlot = slot;
            emitted = 0;
            model.successors(state, this);
            if (emitted == 0 && options.checkDeadlock() && !model.isFinal(state)) {
                run.deadlock(slot, d);
            }
            d++;
            if (d >= cursor.length) {
                cursor = java.util.Arrays.copyOf(cursor, cursor.length * 2);
            }
            cursor[d] = 0;
            run.onLevel(deepest, d);
            if ((++work & 1023) == 0) {
                run.checkBounds(run.visited().size());
            }
        }
        if (!run.stopped() && cut) {
            run.stop(Limit.DEPTH, "states at depth " + options.maxDepth() + " were not expanded (max-depth " + options.maxDepth() + ")");
        }
    }

    private Frontier frame(int d) {
        while (frames.size() <= d) {
            frames.add(new Frontier(words, run.queueBudget()));
        }
        return frames.get(d);
    }

    @Override
    public long[] begin(long[] from) {
        System.arraycopy(from, 0, scratch, 0, words);
        return scratch;
    }

    @Override
    public void emit(int transition) {
        emitted++;
        generated++;
        fired[transition]++;
        int slot = run.visited().insert(scratch, StateHash.hash(scratch));
        if (slot < 0) {
            if (slot == VisitedSet.FULL) {
                run.stop(Limit.MEMORY, "the visited set is full");
            }
            return;
        }
        run.parents().record(slot, parentSlot);
        deepest = Math.max(deepest, depth + 1);
        int broken = invariants.firstBroken(state, scratch);
        if (broken >= 0) {
            run.violation(invariants.get(broken), slot, depth + 1);
        } else if (!out.add(scratch, slot)) {
            run.stop(Limit.MEMORY, "the DFS stack exceeded its share of the memory budget");
        } else {
            run.checkStates(run.visited().size());
        }
    }

    /** The counts so far: one thread, so they are exact wherever the search stopped. */
    Counts counts() {
        return new Counts(run.visited().size(), generated, pruned, 0, fired.clone());
    }

    long generated() { return generated; }
}
