package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.store.StateHash;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeded random simulation: many independent random walks, each from a random initial state,
 * choosing uniformly among the successors at every step, up to the depth bound. Walk {@code i}
 * draws from its own generator seeded by (seed, i), so a walk replays identically whatever the
 * number of workers, and the reported counterexample is the one of the lowest-numbered failing
 * walk. Simulation never proves a property: without a counterexample the verdict is INCOMPLETE.
 */
final class RandomSimulation {
    /** Depth bound of a walk when the options give none. */
    static final int DEFAULT_WALK_DEPTH = 10_000;

    private final Model model;
    private final SearchOptions options;
    private final Exploration run;
    private final Invariant[] invariants;
    private final int words;
    private final int walkDepth;
    private final AtomicLong nextWalk = new AtomicLong();
    private final Walker[] walkers;

    private long bestWalk = Long.MAX_VALUE;
    private int[] bestPath;
    private int bestInitial;
    private Invariant bestInvariant;

    RandomSimulation(Model model, SearchOptions options, Exploration run) {
        this.model = model;
        this.options = options;
        this.run = run;
        this.invariants = model.invariants().toArray(new Invariant[0]);
        this.words = model.layout().words();
        this.walkDepth = options.maxDepth() == Integer.MAX_VALUE ? DEFAULT_WALK_DEPTH : options.maxDepth();
        this.walkers = new Walker[options.workers()];
        for (int i = 0; i < walkers.length; i++) {
            walkers[i] = new Walker(model.transitionCount());
        }
    }

    void explore() {
        if (walkers.length == 1) {
            walkers[0].run();
        } else {
            Thread[] threads = new Thread[walkers.length];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(walkers[i], "mmcheck-sim-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    run.stop(Limit.TIME, "interrupted");
                }
            }
        }
        for (Walker w : walkers) {
            if (w.failure != null) {
                run.fail(w.failure);
            }
        }
    }

    private synchronized void found(long walk, int initial, int[] path, int length, Invariant broken) {
        if (walk < bestWalk) {
            bestWalk = walk;
            bestInitial = initial;
            bestPath = Arrays.copyOf(path, length);
            bestInvariant = broken;
        }
    }

    private synchronized long bestWalk() {
        return bestWalk;
    }

    /** The counterexample found, if any: initial ordinal, transition ids, and the invariant (null = deadlock). */
    synchronized boolean hasCounterexample() { return bestPath != null; }
    synchronized int counterexampleInitial() { return bestInitial; }
    synchronized int[] counterexamplePath() { return bestPath; }
    synchronized Invariant counterexampleInvariant() { return bestInvariant; }

    long visitedStates() {
        return WorkerCounters.visited(walkers);
    }

    long generated() {
        return WorkerCounters.generated(walkers);
    }

    long[] transitionsFired() {
        return WorkerCounters.fired(walkers, model.transitionCount());
    }

    long walksDone() {
        return Math.min(nextWalk.get(), options.walks());
    }

    /** Runs walks until none are left or the run stops. */
    private final class Walker extends WorkerCounters implements Runnable, Successors {
        final long[] state = new long[words];
        final long[] scratch = new long[words];
        long[] choices = new long[16 * words];
        int[] choiceIds = new int[16];
        int[] path = new int[64];
        int count;
        Throwable failure;

        Walker(int transitions) {
            super(transitions);
        }

        @Override
        public void run() {
            try {
                List<long[]> initials = model.initialStates();
                while (!run.stopped()) {
                    long walk = nextWalk.getAndIncrement();
                    if (walk >= options.walks() || walk > bestWalk()) {
                        return;
                    }
                    walk(walk, initials);
                    run.checkBounds(0);
                }
            } catch (Throwable t) {
                failure = t;
                run.fail(t);
            }
        }

        private void walk(long walk, List<long[]> initials) {
            SplittableRandom random = new SplittableRandom(StateHash.mix(options.seed()) ^ StateHash.mix(walk + 1));
            int initial = random.nextInt(initials.size());
            System.arraycopy(initials.get(initial), 0, state, 0, words);
            int length = 0;
            visited++;
            if (broken(state, walk, initial, length)) {
                return;
            }
            while (length < walkDepth) {
                if (!model.withinConstraint(state)) {
                    return;
                }
                count = 0;
                model.successors(state, this);
                if (count == 0) {
                    if (options.checkDeadlock() && !model.isFinal(state)) {
                        found(walk, initial, path, length, null);
                    }
                    return;
                }
                int pick = random.nextInt(count);
                System.arraycopy(choices, pick * words, state, 0, words);
                if (length == path.length) {
                    path = Arrays.copyOf(path, length * 2);
                }
                path[length++] = choiceIds[pick];
                fired[choiceIds[pick]]++;
                visited++;
                run.onDepth(length);
                if (broken(state, walk, initial, length)) {
                    return;
                }
            }
        }

        private boolean broken(long[] s, long walk, int initial, int length) {
            Invariant inv = InvariantCheck.firstBroken(invariants, s);
            if (inv != null) {
                found(walk, initial, path, length, inv);
            }
            return inv != null;
        }

        @Override
        public long[] begin(long[] from) {
            System.arraycopy(from, 0, scratch, 0, words);
            return scratch;
        }

        @Override
        public void emit(int transition) {
            generated++;
            if (count == choiceIds.length) {
                choiceIds = Arrays.copyOf(choiceIds, count * 2);
                choices = Arrays.copyOf(choices, count * 2 * words);
            }
            System.arraycopy(scratch, 0, choices, count * words, words);
            choiceIds[count++] = transition;
        }
    }
}
