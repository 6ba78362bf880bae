package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Level-exact parallel breadth-first search.
 *
 * <p>Levels are processed one at a time: all workers expand states of level d (claiming blocks
 * from a shared cursor) and put new states into their own frontier for level d+1; a barrier ends
 * the level. The set of states at each depth therefore does not depend on the number of workers
 * or on timing, so distinct counts and the diameter are identical for 1 or N workers, and a
 * violation found while expanding level d is at depth d+1, which is minimal because every state
 * of depth at most d was checked before. Which of several equally short counterexamples is
 * reported may vary between runs with more than one worker.
 */
final class ParallelBfs {
    private static final int BLOCK = 64;

    private final Model model;
    private final SearchOptions options;
    private final Exploration run;
    private final Invariant[] invariants;
    private final int words;
    private final Worker[] workers;
    private Frontier[] current;
    private Frontier[] next;
    private final AtomicLong cursor = new AtomicLong();
    private long[] segmentStart;
    private long levelSize;
    private int depth;

    ParallelBfs(Model model, SearchOptions options, Exploration run) {
        this.model = model;
        this.options = options;
        this.run = run;
        this.invariants = model.invariants().toArray(new Invariant[0]);
        this.words = model.layout().words();
        int n = options.workers();
        this.workers = new Worker[n];
        this.current = new Frontier[n];
        this.next = new Frontier[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(model.transitionCount());
            current[i] = new Frontier(words, run.queueBudget());
            next[i] = new Frontier(words, run.queueBudget());
        }
    }

    /** Explores until done or stopped; the outcome is recorded in {@link Exploration}. */
    void explore() {
        seedInitialStates();
        if (run.stopped()) {
            return;
        }
        ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length, r -> {
            Thread t = new Thread(r, "mmcheck-bfs");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            while (!run.stopped()) {
                prepareLevel();
                run.onLevel(depth, levelSize);
                if (levelSize == 0) {
                    break;
                }
                if (depth >= options.maxDepth()) {
                    run.stop(Limit.DEPTH, "states at depth " + depth + " were not expanded (max-depth " + options.maxDepth() + ")");
                    break;
                }
                runLevel(pool);
                if (run.stopped()) {
                    break;
                }
                Frontier[] t = current;
                current = next;
                next = t;
                depth++;
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void seedInitialStates() {
        List<long[]> initials = model.initialStates();
        if (initials.isEmpty()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no initial state");
        }
        for (int i = 0; i < initials.size(); i++) {
            long[] s = initials.get(i);
            if (s.length != words) {
                throw new IllegalArgumentException("initial state #" + i + " has " + s.length + " words; the layout has " + words);
            }
            int slot = run.visited().insert(s, StateHash.hash(s));
            if (slot == VisitedSet.FULL) {
                run.stop(Limit.MEMORY, "the visited set is full");
                return;
            }
            if (slot < 0) {
                continue;
            }
            run.parents().recordInitial(slot, i);
            Invariant broken = firstBroken(s);
            if (broken != null) {
                run.violation(broken, slot, 0);
                return;
            }
            if (!current[0].add(s, slot)) {
                run.stop(Limit.MEMORY, "the BFS queue exceeded its share of the memory budget");
                return;
            }
        }
    }

    private void prepareLevel() {
        segmentStart = new long[current.length + 1];
        for (int i = 0; i < current.length; i++) {
            segmentStart[i + 1] = segmentStart[i] + current[i].size();
        }
        levelSize = segmentStart[current.length];
        cursor.set(0);
        for (Frontier f : next) {
            f.clear();
        }
    }

    private void runLevel(ExecutorService pool) {
        if (pool == null) {
            workers[0].expandLevel(0);
            return;
        }
        Future<?>[] futures = new Future<?>[workers.length];
        for (int i = 0; i < workers.length; i++) {
            int id = i;
            futures[i] = pool.submit(() -> workers[id].expandLevel(id));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop(Limit.TIME, "interrupted");
            } catch (ExecutionException e) {
                run.fail(e.getCause());
            }
        }
    }

    private Invariant firstBroken(long[] state) {
        return InvariantCheck.firstBroken(invariants, state);
    }

    long generated() {
        return WorkerCounters.generated(workers);
    }

    long[] transitionsFired() {
        return WorkerCounters.fired(workers, model.transitionCount());
    }

    long pruned() {
        return WorkerCounters.pruned(workers);
    }

    /** One BFS worker: expands claimed states and files their new successors. */
    private final class Worker extends WorkerCounters implements Successors {
        final long[] state = new long[words];
        final long[] scratch = new long[words];
        Frontier out;
        int parentSlot;
        int emitted;

        Worker(int transitions) {
            super(transitions);
        }

        void expandLevel(int id) {
            out = next[id];
            VisitedSet visited = run.visited();
            int segment = 0;
            while (!run.stopped()) {
                long start = cursor.getAndAdd(BLOCK);
                if (start >= levelSize) {
                    return;
                }
                long end = Math.min(levelSize, start + BLOCK);
                while (segmentStart[segment + 1] <= start) {
                    segment++;
                }
                for (long pos = start; pos < end; pos++) {
                    while (segmentStart[segment + 1] <= pos) {
                        segment++;
                    }
                    Frontier f = current[segment];
                    int i = (int) (pos - segmentStart[segment]);
                    f.copyState(i, state);
                    expand(f.slot(i));
                }
                run.checkBounds(visited.size());
            }
        }

        private void expand(int slot) {
            if (!model.withinConstraint(state)) {
                pruned++;
                return;
            }
            parentSlot = slot;
            emitted = 0;
            model.successors(state, this);
            if (emitted == 0 && options.checkDeadlock() && !model.isFinal(state)) {
                run.deadlock(slot, depth);
            }
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
                    run.stop(Limit.MEMORY, "the visited set is full ("
                            + run.visited().size() + " states in " + run.visited().capacity() + " slots)");
                }
                return;
            }
            run.parents().record(slot, parentSlot, transition);
            Invariant broken = firstBroken(scratch);
            if (broken != null) {
                run.violation(broken, slot, depth + 1);
                return;
            }
            if (!out.add(scratch, slot)) {
                run.stop(Limit.MEMORY, "the BFS queue exceeded its share of the memory budget");
            }
        }
    }

    int depth() {
        return depth;
    }

    long levelSize() {
        return levelSize;
    }
}
