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
 * number of workers.
 *
 * <p>Walks run in chunks of {@link #CHUNK}, the workers sharing a chunk and meeting at its end:
 * the run stops after the first chunk with a counterexample and reports that of its
 * lowest-numbered failing walk, and counts whole chunks only. So the counterexample and the
 * counts are the same for any number of workers. The counts are of states visited, repeats
 * included: walks keep no visited set, so they do not know how many states were distinct.
 * Simulation never proves a property: without a counterexample the verdict is INCOMPLETE.
 */
final class RandomSimulation {
    /** Depth bound of a walk when the options give none. */
    static final int DEFAULT_WALK_DEPTH = 10_000;
    /** Walks per chunk: a fixed number, so that what a run covers does not depend on the workers. */
    static final int CHUNK = 64;

    private final Model model;
    private final SearchOptions options;
    private final Exploration run;
    private final InvariantCheck invariants;
    private final int words;
    private final int walkDepth;
    private final AtomicLong nextWalk = new AtomicLong();
    private final Walker[] walkers;
    private long chunkEnd;
    private long walksDone;
    private int longestAtChunkEnd;
    private Counts counts = Counts.NONE;

    private long bestWalk = Long.MAX_VALUE;
    private int[] bestPath;
    private int bestInitial;
    private Invariant bestInvariant;

    RandomSimulation(Model model, SearchOptions options, Exploration run) {
        this.model = model;
        this.options = options;
        this.run = run;
        this.invariants = new InvariantCheck(model);
        this.words = model.layout().words();
        this.walkDepth = options.maxDepth() == Integer.MAX_VALUE ? DEFAULT_WALK_DEPTH : options.maxDepth();
        this.walkers = new Walker[options.workers()];
        for (int i = 0; i < walkers.length; i++) {
            walkers[i] = new Walker(model.transitionCount());
        }
    }

    void explore() {
        try (WorkerPool pool = new WorkerPool(walkers.length, "mmcheck-sim")) {
            for (long start = 0; start < options.walks() && !run.stopped(); start = chunkEnd) {
                chunkEnd = Math.min(options.walks(), start + CHUNK);
                nextWalk.set(start);
                pool.runAll(id -> walkers[id].run(), run);
                if (run.stopped()) {
                    return;
                }
                walksDone = chunkEnd;
                counts = Counts.of(0, walkers, model.transitionCount());
                for (Walker w : walkers) {
                    longestAtChunkEnd = Math.max(longestAtChunkEnd, w.longest);
                }
                if (hasCounterexample()) {
                    return;
                }
                run.checkBounds(0);
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

    /** The counterexample found, if any: initial ordinal, transition ids, and the invariant (null = deadlock). */
    synchronized boolean hasCounterexample() { return bestPath != null; }
    synchronized int counterexampleInitial() { return bestInitial; }
    synchronized int[] counterexamplePath() { return bestPath; }
    synchronized Invariant counterexampleInvariant() { return bestInvariant; }

    /** Counts of the complete chunks. */
    Counts counts() {
        return counts;
    }

    long generated() {
        return WorkerCounters.generated(walkers);
    }

    /** Walks of the complete chunks. */
    long walksDone() {
        return walksDone;
    }

    /** Runs walks of the current chunk until none are left or the run stops. */
    private final class Walker extends WorkerCounters implements Successors {
        final long[] state = new long[words];
        final long[] scratch = new long[words];
        long[] choices = new long[16 * words];
        int[] choiceIds = new int[16];
        int[] path = new int[64];
        int count;
        int longest;

        Walker(int transitions) {
            super(transitions);
        }

        void run() {
            List<long[]> initials = model.initialStates();
            while (!run.stopped()) {
                long walk = nextWalk.getAndIncrement();
                if (walk >= chunkEnd) {
                    return;
                }
                walk(walk, initials);
                run.checkBounds(0);
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
                longest = Math.max(longest, length);
                if (broken(state, walk, initial, length)) {
                    return;
                }
            }
        }

        private boolean broken(long[] s, long walk, int initial, int length) {
            int i = invariants.firstBroken(s);
            if (i >= 0) {
                found(walk, initial, path, length, invariants.get(i));
            }
            return i >= 0;
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

    /** The longest walk of the complete chunks. */
    int longestWalk() {
        return longestAtChunkEnd;
    }
}
