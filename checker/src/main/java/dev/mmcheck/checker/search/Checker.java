package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.Projection;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;
import dev.mmcheck.checker.store.VisitedSets;
import dev.mmcheck.checker.trace.Replayer;
import dev.mmcheck.checker.trace.Trace;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's entry point: explores a model as the options say and returns an honest verdict.
 *
 * <pre>{@code
 * Result r = Checker.check(model, SearchOptions.defaults().withWorkers(2));
 * if (r.verdict() == Verdict.VIOLATED) System.out.println(r.trace());
 * }</pre>
 */
public final class Checker {
    /** Share of the memory budget given to the visited set and parent log; the rest is for queues. */
    static final double TABLE_SHARE = 0.75;

    private Checker() {
    }

    public static Result check(Model model, SearchOptions options) {
        long budget = options.memoryBytes();
        if (options.mode() == Mode.SIMULATE || options.hasExplicitMemory()) {
            long start = System.nanoTime();
            return attempt(model, options, start, deadline(options, start), budget, budget, null, false).result();
        }
        return checkGrowing(model, options, Math.min(budget, FIRST_ATTEMPT_BYTES), budget);
    }

    /**
     * Without an explicit budget: start small, since allocating (and zeroing) a table sized for
     * the whole heap costs seconds that a small model should not pay. BFS grows its table between
     * levels as it fills (moving the states, not exploring them again); a table that fills anyway
     * (within a level, or in DFS) restarts the search with a larger one, which at most doubles the
     * total work. Package-private with the first budget as a parameter, for tests.
     */
    static Result checkGrowing(Model model, SearchOptions options, long firstBudget, long budget) {
        long start = System.nanoTime();
        return checkGrowing(model, options, start, deadline(options, start), firstBudget, budget);
    }

    /** The time limit as a {@link System#nanoTime} deadline; 0 when there is none. */
    private static long deadline(SearchOptions options, long start) {
        if (options.timeLimit() == null) {
            return 0;
        }
        long deadline = start + options.timeLimit().toNanos();
        return deadline == 0 ? 1 : deadline;
    }

    private static Result checkGrowing(Model model, SearchOptions options, long start, long deadline,
                                       long firstBudget, long budget) {
        long tryBudget = firstBudget;
        // Lossless BFS stores only the fields that change; an attempt that restarts passes on what it learnt.
        Projection projection = options.mode() == Mode.BFS && !options.fingerprints()
                ? Projection.of(model.layout(), model.initialStates()) : null;
        boolean stable = false;
        while (true) {
            Attempt a = attempt(model, options, start, deadline, tryBudget, budget, projection, stable);
            projection = a.projection();
            // A projection that had stopped taking misfits keeps the small overflow in the next
            // attempt: a restart after a full set then holds as many states a byte as the growth did.
            stable = a.projectionStable();
            Result r = a.result();
            if (r.verdict() != Verdict.INCOMPLETE || r.limit() != Limit.MEMORY || a.budget() >= budget) {
                return r;
            }
            tryBudget = nextBudget(a.budget(), budget);
            if (options.progress() != null) {
                options.progress().printf("[mmcheck] the visited set filled at %,d states; restarting with a budget of %s%n",
                        r.statistics().distinct(), Progress.size(tryBudget));
            }
        }
    }

    /** The budget after {@code current} when the table fills: {@link #GROWTH} times larger, at most {@code max}. */
    static long nextBudget(long current, long max) {
        return Math.min(max, current * GROWTH);
    }

    /**
     * The budget a BFS set grows to between levels: {@link #FINGERPRINT_LEVEL_GROWTH} or
     * {@link #LEVEL_GROWTH} times larger (at least one byte), at most {@code max}. Smaller steps
     * than a restart's: growing moves the states instead of exploring them again, so a step costs
     * one pass over the set, and the smaller the step the closer to its load limit the set ends
     * (what a run's bytes per state come down to).
     */
    static long grownBudget(long current, long max, boolean fingerprints) {
        double factor = fingerprints ? FINGERPRINT_LEVEL_GROWTH : LEVEL_GROWTH;
        return Math.min(max, Math.max(current + 1, (long) Math.ceil(current * factor)));
    }

    /**
     * A search's result, the budget its visited set had at the end, the projection it stored
     * states in, and whether that projection had stopped taking misfits.
     */
    private record Attempt(Result result, long budget, Projection projection, boolean projectionStable) {
        Attempt(Result result, long budget, Projection projection) {
            this(result, budget, projection, false);
        }
    }

    /** First budget tried when the user gave none. */
    static final long FIRST_ATTEMPT_BYTES = 64L << 20;
    /** Budget growth factor between attempts. */
    static final int GROWTH = 8;
    /**
     * Budget growth factor when a lossless BFS set grows between levels: 1.5, since its states
     * are coded into a few words (a {@code Projection}); 1.25 was measured slower, as 2 was with
     * 6-word slots (docs/benchmarks.md, issue 13): a fuller table probes more slots a lookup, and
     * each step moves (unpacks, hashes, packs) every state.
     */
    static final double LEVEL_GROWTH = 1.5;
    /**
     * Budget growth factor when a fingerprint set grows between levels: 1.25, so the set ends at
     * least 80 % as full as its load limit allows instead of 50 %; its 8-byte slots keep probing
     * and moving cheap (no slowdown measured on the reference check).
     */
    static final double FINGERPRINT_LEVEL_GROWTH = 1.25;

    /**
     * One search with a visited set of {@code budget}; BFS may grow it up to {@code maxBudget}.
     * With a {@code projection} (lossless BFS only) the set stores states through it.
     */
    private static Attempt attempt(Model model, SearchOptions options, long start, long deadline, long budget,
                                   long maxBudget, Projection projection, boolean stable) {
        int words = model.layout().words();
        boolean simulate = options.mode() == Mode.SIMULATE;
        VisitedSet visited;
        ParentLog parents;
        try {
            visited = projection != null ? VisitedSets.createProjected(projection, (long) (budget * TABLE_SHARE),
                    stable ? VisitedSets.STABLE_OVERFLOW_SHARE : VisitedSets.OVERFLOW_SHARE)
                    : VisitedSets.create(words, options.fingerprints(),
                    simulate ? VisitedSets.MIN_CAPACITY * VisitedSets.bytesPerSlot(words, options.fingerprints()) : (long) (budget * TABLE_SHARE));
            parents = new ParentLog(simulate ? 1 : visited.capacity(), visited);
        } catch (OutOfMemoryError | IllegalStateException e) {
            // The heap cannot hold a table of this budget: the run is bounded by memory, not broken.
            return new Attempt(outOfMemory(options, start,
                    e instanceof IllegalStateException ? e.getMessage() : Exploration.heapExhausted()), budget, projection);
        }
        // A BFS set grows between levels, so its queues may use whatever of the whole budget the
        // set does not (growing takes it back); a DFS keeps the attempt's share.
        long queueBytes = options.mode() == Mode.BFS ? maxBudget - (long) (budget * TABLE_SHARE) : (long) (budget * (1 - TABLE_SHARE));
        Exploration run = new Exploration(visited, parents, queueBytes, options.maxStates(), deadline);

        switch (options.mode()) {
            case BFS: {
                ParallelBfs bfs = new ParallelBfs(model, options, run, budget, maxBudget, stable);
                try (Progress p = Progress.start(options, start, run, bfs::generated, true)) {
                    bfs.explore();
                }
                return new Attempt(finish(model, options, run, start, bfs.counts()), bfs.budget(), bfs.projection(),
                        bfs.projectionStable());
            }
            case DFS: {
                DepthFirstSearch dfs = new DepthFirstSearch(model, options, run);
                try (Progress p = Progress.start(options, start, run, dfs::generated, true)) {
                    explore(dfs::explore, run);
                }
                return new Attempt(finish(model, options, run, start, dfs.counts()), budget, null);
            }
            case SIMULATE: {
                RandomSimulation sim = new RandomSimulation(model, options, run);
                try (Progress p = Progress.start(options, start, run, sim::generated, false)) {
                    sim.explore();
                }
                return new Attempt(finishSimulation(model, options, run, start, sim), budget, null);
            }
            default:
                throw new IllegalStateException("unknown mode " + options.mode());
        }
    }

    /** Runs a one-thread search as {@link WorkerPool} runs a worker: an exhausted heap is a memory bound. */
    private static void explore(Runnable search, Exploration run) {
        try {
            search.run();
        } catch (OutOfMemoryError e) {
            run.stop(Limit.MEMORY, Exploration.heapExhausted());
        } catch (RuntimeException | Error e) {
            run.fail(e);
        }
    }

    private static Result outOfMemory(SearchOptions options, long start, String why) {
        Statistics stats = new Statistics(0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - start), 0, heapInUse(), 0, 0,
                new long[0], options.workers(), 0, options.mode());
        return new Result(Verdict.INCOMPLETE, Limit.MEMORY, null, null, why + "; nothing was checked", null, stats);
    }

    private static Result finish(Model model, SearchOptions options, Exploration run, long start, Counts counts) {
        ParentLog parents = run.parents();
        Statistics stats = statistics(options, run, start, counts, run.diameter(),
                run.visited().allocatedBytes() + parents.allocatedBytes());
        switch (run.outcome()) {
            case FAILURE:
                throw new ModelFailure(model, run.failure());
            case VIOLATION: {
                Trace trace = traceTo(model, run, parents, run.slot());
                Invariant inv = run.invariant();
                return new Result(Verdict.VIOLATED, null, inv.id(), inv.name(), inv.explain(trace), trace, stats);
            }
            case DEADLOCK: {
                Trace trace = traceTo(model, run, parents, run.slot());
                return new Result(Verdict.DEADLOCK, null, null, null,
                        "no step is enabled and the state is not a proper final state", trace, stats);
            }
            case LIMIT:
                return new Result(Verdict.INCOMPLETE, run.limit(), null, null, run.limitMessage()
                        + (options.mode() == Mode.BFS && run.limit() != Limit.DEPTH
                        ? "; the counts are those of the levels that completed" : "")
                        + "; the properties were not checked beyond it", null, stats);
            default:
                return new Result(Verdict.HOLDS, null, null, null, "all " + counts.distinct() + " reachable states checked", null, stats);
        }
    }

    private static Result finishSimulation(Model model, SearchOptions options, Exploration run, long start,
                                           RandomSimulation sim) {
        Statistics stats = statistics(options, run, start, sim.counts(), sim.longestWalk(), 0);
        if (run.outcome() == Exploration.Outcome.FAILURE) {
            throw new ModelFailure(model, run.failure());
        }
        if (sim.hasCounterexample()) {
            Trace trace = Replayer.replay(model, sim.counterexampleInitial(), sim.counterexamplePath());
            Invariant inv = sim.counterexampleInvariant();
            if (inv == null) {
                return new Result(Verdict.DEADLOCK, null, null, null,
                        "no step is enabled and the state is not a proper final state", trace, stats);
            }
            return new Result(Verdict.VIOLATED, null, inv.id(), inv.name(), inv.explain(trace), trace, stats);
        }
        if (run.outcome() == Exploration.Outcome.LIMIT) {
            return new Result(Verdict.INCOMPLETE, run.limit(), null, null,
                    run.limitMessage() + " after " + sim.walksDone() + " random walks; no counterexample found", null, stats);
        }
        return new Result(Verdict.INCOMPLETE, Limit.NOT_EXHAUSTIVE, null, null,
                sim.walksDone() + " random walks (seed " + options.seed() + ") found no counterexample; "
                        + "simulation cannot show that the properties hold", null, stats);
    }

    private static Statistics statistics(SearchOptions options, Exploration run, long start, Counts counts,
                                         int diameter, long visitedBytes) {
        return new Statistics(counts.distinct(), counts.generated(), diameter, run.peakQueue(),
                Duration.ofNanos(System.nanoTime() - start), visitedBytes, heapInUse(), counts.pruned(),
                run.visited().collisionProbabilityBound(counts.generated()), counts.fired(), options.workers(),
                counts.visited(), options.mode());
    }

    private static long heapInUse() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Rebuilds the path to {@code slot} from the parent log: at each step the smallest transition
     * id that leads from the parent to the child, so the trace depends only on the tree.
     */
    private static Trace traceTo(Model model, Exploration run, ParentLog parents, int slot) {
        int[] slots = parents.path(slot);
        long[] scratch = new long[model.layout().words()];
        int ordinal = initialOrdinal(model, run.visited(), slots[0], scratch);
        long[] state = model.initialStates().get(ordinal);
        int[] ids = new int[slots.length - 1];
        StepFinder finder = new StepFinder(model);
        for (int i = 1; i < slots.length; i++) {
            int child = slots[i];
            long fingerprint = run.visited().fingerprintAt(child, scratch);
            long[] wanted = run.visited().isLossless() ? scratch.clone() : null;
            ids[i - 1] = finder.smallestStepTo(state, fingerprint, wanted);
            if (ids[i - 1] < 0) {
                throw new IllegalStateException("no step leads from a state to the child the parent log records: the "
                        + "model's transitions are not deterministic per id (see Model)");
            }
            state = finder.successor(state, ids[i - 1]);
        }
        return Replayer.replay(model, ordinal, ids);
    }

    /**
     * The ordinal of the initial state stored at {@code slot}: the first of the model's initial
     * states that the set takes for it (same fingerprint, and with a lossless set the same vector),
     * as seeding stores the first of equal initial states.
     */
    static int initialOrdinal(Model model, VisitedSet visited, int slot, long[] scratch) {
        long fingerprint = visited.fingerprintAt(slot, scratch);
        List<long[]> initials = model.initialStates();
        for (int i = 0; i < initials.size(); i++) {
            long[] s = initials.get(i);
            if (FingerprintTable.fingerprint(StateHash.hash(s)) == fingerprint
                    && (!visited.isLossless() || Arrays.equals(s, scratch))) {
                return i;
            }
        }
        throw new IllegalStateException("slot " + slot + " is the root of a path but holds no initial state");
    }
}
