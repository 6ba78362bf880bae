package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.store.FingerprintTable;
import dev.mmcheck.checker.store.ProjectedTable;
import dev.mmcheck.checker.store.Projection;
import dev.mmcheck.checker.store.StateHash;
import dev.mmcheck.checker.store.VisitedSet;
import dev.mmcheck.checker.store.VisitedSets;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Level-exact parallel breadth-first search whose results do not depend on the number of
 * workers or on timing.
 *
 * <p>Levels are processed one at a time: all workers expand states of level d (claiming blocks
 * from a shared cursor) and put new states into their own frontier for level d+1; a barrier ends
 * the level. The set of states at each depth therefore does not depend on the number of workers
 * or on timing, so distinct counts and the diameter are identical for 1 or N workers.
 *
 * <p>A level always runs to its end. Workers note the states that break an invariant (depth
 * d+1) or deadlock (depth d) and go on; at the barrier the smallest of them by a fixed key
 * ({@link Candidate}) is the counterexample, shortest because every shallower level was complete
 * and clean, and its path is canonical ({@link ParentLog}). The counts reported are those at the
 * end of the last level that completed: a bound (states, time, memory) that stops a level midway
 * drops what that level found, so what a run reports is a function of the model and the options
 * (and, for the time and memory bounds, of where the machine stopped).
 *
 * <p>Between levels the visited set grows when the next level might not fit
 * ({@link #GROW_MARGIN}): the states and the parent log move into a larger set of the next
 * budget, and the frontier's slots are renamed. Growing changes slot numbers only, which nothing
 * the run reports depends on. A set that stores states through a projection
 * ({@link ProjectedTable}) moves the same way into one with a wider projection when the states
 * that did not fit it fill its overflow.
 */
final class ParallelBfs {
    private static final int BLOCK = 64;
    /** States whose successors a worker looks up together (see {@link Worker}). */
    static final int BATCH_PARENTS = 8;
    /**
     * The set grows at the end of a level when its states plus this many times the states that
     * level added would pass its load limit (levels of the models seen grow by far less per level).
     */
    static final int GROW_MARGIN = 4;

    private final Model model;
    private final SearchOptions options;
    private final Exploration run;
    private final InvariantCheck invariants;
    private final int words;
    private final Worker[] workers;
    private Frontier[] current;
    private Frontier[] next;
    private final AtomicLong cursor = new AtomicLong();
    private long[] segmentStart;
    private long levelSize;
    private int depth;
    private Counts boundary = Counts.NONE;
    /** The budget the visited set was sized from, and the most it may grow to. */
    private long budget;
    private long maxBudget;
    /** States stored at the end of the previous level, and how many of them did not fit the projection. */
    private long sizeBefore;
    private long misfitsBefore;
    /** True once a pilot has widened the projection (the fields and values deeper levels use are then mostly known). */
    private boolean piloted;
    /** The overflow share of the set the last growth made (a new search's first set has the default one). */
    private double overflowShare = VisitedSets.OVERFLOW_SHARE;

    ParallelBfs(Model model, SearchOptions options, Exploration run) {
        this(model, options, run, 0, 0);
    }

    /** A search whose set, sized from {@code budget}, may grow up to {@code maxBudget} between levels. */
    ParallelBfs(Model model, SearchOptions options, Exploration run, long budget, long maxBudget) {
        this(model, options, run, budget, maxBudget, false);
    }

    /**
     * As above; {@code piloted}: the set's projection comes from an earlier attempt whose pilot
     * widened it and whose last levels added no misfit, so the set may keep the small overflow.
     */
    ParallelBfs(Model model, SearchOptions options, Exploration run, long budget, long maxBudget, boolean piloted) {
        this.piloted = piloted;
        this.model = model;
        this.options = options;
        this.run = run;
        this.budget = budget;
        this.maxBudget = maxBudget;
        this.invariants = new InvariantCheck(model);
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
        recordBoundary();
        if (concludeLevel()) {
            return;
        }
        try (WorkerPool pool = new WorkerPool(workers.length, "mmcheck-bfs")) {
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
                pool.runAll(id -> workers[id].expandLevel(id), run);
                if (run.stopped()) {
                    break;
                }
                recordBoundary();
                if (concludeLevel()) {
                    break;
                }
                // The level's parents are final: no later offer may replace them.
                pool.runAll(id -> next[id].closeParents(run.parents()), run);
                if (run.stopped()) {
                    break;
                }
                Frontier[] t = current;
                current = next;
                next = t;
                depth++;
                growIfNeeded(pool);
            }
        }
    }

    /** The budget the visited set has now. */
    long budget() {
        return budget;
    }

    /**
     * At a level's end: moves the states into a new set if the next level might not fit in this
     * one (a set of the next budget), or if the states that did not fit this set's projection are
     * filling its overflow (a set with a wider projection, of the budget it needs; a set that
     * grows anyway widens its projection by whatever misfits it holds). If the new set cannot be
     * allocated the search goes on in this one (and restarts, as before growing existed, should
     * it fill).
     */
    private void growIfNeeded(WorkerPool pool) {
        VisitedSet old = run.visited();
        long size = old.size();
        long added = size - sizeBefore;
        sizeBefore = size;
        long wanted = size + GROW_MARGIN * added;
        ProjectedTable projected = old instanceof ProjectedTable ? (ProjectedTable) old : null;
        long misfits = projected == null ? 0 : projected.overflowSize();
        long misfitsAdded = misfits - misfitsBefore;
        misfitsBefore = misfits;
        // The queues use what the set does not, so only the set's own load makes it grow.
        boolean grow = budget < maxBudget && wanted > old.maxSize();
        boolean widen = misfits > 0 && (grow || projected.overflowFilling(GROW_MARGIN * misfitsAdded));
        if (!widen && !grow) {
            return;
        }
        Projection projection = widen ? pilot(projected.widenedProjection()) : projected == null ? null : projected.projection();
        // Once a pilot has widened the projection and a level added no misfit, the overflow shrinks.
        piloted |= widen;
        overflowShare = piloted && !widen && misfitsAdded == 0
                ? VisitedSets.STABLE_OVERFLOW_SHARE : VisitedSets.OVERFLOW_SHARE;
        long nextBudget = grow ? Checker.grownBudget(budget, maxBudget, options.fingerprints()) : budget;
        VisitedSet bigger;
        ParentLog parents;
        int[] moved;
        try {
            bigger = create(projection, nextBudget, overflowShare);
            // A wider projection keeps more bits a state: the same budget may hold fewer states.
            while (bigger.maxSize() < wanted && nextBudget < maxBudget) {
                bigger = null;
                nextBudget = Checker.grownBudget(nextBudget, maxBudget, options.fingerprints());
                bigger = create(projection, nextBudget, overflowShare);
            }
            // The bigger set's memory comes out of what the queues may still use.
            if (bigger.maxSize() <= size || tableBytes(nextBudget) - tableBytes(budget) > run.queueBudget().get()) {
                return;
            }
            parents = new ParentLog(bigger.capacity(), bigger);
            moved = new int[old.capacity()];
        } catch (OutOfMemoryError | IllegalStateException | IllegalArgumentException e) {
            maxBudget = budget;
            return;
        }
        ParentLog oldParents = run.parents();
        int n = workers.length;
        int capacity = old.capacity();
        VisitedSet target = bigger;
        AtomicLong movedStates = new AtomicLong();
        pool.runAll(id -> movedStates.addAndGet(old.transferTo(target, share(capacity, id, n), share(capacity, id + 1, n), moved)), run);
        if (run.stopped()) {
            return;
        }
        bigger.settleMoves(movedStates.get());
        pool.runAll(id -> oldParents.transferTo(parents, share(capacity, id, n), share(capacity, id + 1, n), moved), run);
        if (run.stopped()) {
            return;
        }
        for (Frontier f : current) {
            f.remapSlots(moved);
        }
        run.grown(bigger, parents, tableBytes(budget) - tableBytes(nextBudget));
        misfitsBefore = bigger instanceof ProjectedTable ? ((ProjectedTable) bigger).overflowSize() : 0;
        if (options.progress() != null) {
            if (nextBudget != budget) {
                options.progress().printf("[mmcheck] the visited set grew at %,d states, depth %d: %,d slots, a budget of %s%n",
                        size, depth, bigger.capacity(), Progress.size(nextBudget));
            } else {
                options.progress().printf("[mmcheck] the visited set now keeps %s of each state (%,d states, depth %d)%n",
                        projection, size, depth);
            }
        }
        budget = nextBudget;
    }

    /** The bytes of a set of {@code budget} (its share, {@link Checker#TABLE_SHARE}). */
    private static long tableBytes(long budget) {
        return (long) (budget * Checker.TABLE_SHARE);
    }

    /** {@code projection} widened by what random walks from the next level's states change ({@link ProjectionPilot}). */
    private Projection pilot(Projection projection) {
        long total = 0;
        for (Frontier f : current) {
            total += f.size();
        }
        return new ProjectionPilot(model).widen(projection, (index, into) -> {
            long i = index;
            for (Frontier f : current) {
                if (i < f.size()) {
                    f.copyState((int) i, into);
                    return;
                }
                i -= f.size();
            }
        }, total, depth);
    }

    /** A visited set of {@code budget}: packed through {@code projection}, or as the options say when it is null. */
    private VisitedSet create(Projection projection, long budget, double overflowShare) {
        long bytes = (long) (budget * Checker.TABLE_SHARE);
        return projection != null ? VisitedSets.createProjected(projection, bytes, overflowShare)
                : VisitedSets.create(words, options.fingerprints(), bytes);
    }

    /** Did the set end with the small overflow of a projection that took no misfit since (not even in a level cut short)? */
    boolean projectionStable() {
        VisitedSet v = run.visited();
        return overflowShare == VisitedSets.STABLE_OVERFLOW_SHARE
                && (!(v instanceof ProjectedTable) || ((ProjectedTable) v).overflowSize() == misfitsBefore);
    }

    /** The projection the visited set stores states in, widened by any misfits; null if it keeps whole states. */
    Projection projection() {
        VisitedSet v = run.visited();
        return v instanceof ProjectedTable ? ((ProjectedTable) v).widenedProjection() : null;
    }

    /** Where worker {@code id} of {@code n}'s part of {@code [0, length)} starts. */
    private static int share(int length, int id, int n) {
        return (int) ((long) length * id / n);
    }

    private void seedInitialStates() {
        List<long[]> initials = model.initialStates();
        if (initials.isEmpty()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no initial state");
        }
        Worker w = workers[0];
        for (int i = 0; i < initials.size(); i++) {
            long[] s = initials.get(i);
            if (s.length != words) {
                throw new IllegalArgumentException("initial state #" + i + " has " + s.length + " words; the layout has " + words);
            }
            long hash = StateHash.hash(s);
            int slot = run.visited().insert(s, hash);
            if (slot == VisitedSet.FULL) {
                run.stop(Limit.MEMORY, "the visited set is full");
                return;
            }
            if (slot < 0) {
                continue;
            }
            run.parents().recordInitial(slot);
            int broken = invariants.firstBroken(s);
            if (broken >= 0) {
                w.candidate.offer(slot, 0, broken, invariants.get(broken), FingerprintTable.fingerprint(hash), s);
            } else if (!current[0].add(s, slot)) {
                run.stop(Limit.MEMORY, "the BFS queue exceeded its share of the memory budget");
                return;
            }
        }
    }

    /** The counts at the end of a complete level: what the run reports if it stops later. */
    private void recordBoundary() {
        boundary = Counts.of(run.visited().size(), workers, model.transitionCount());
    }

    /** At the end of a level: reports its smallest counterexample, if any, and says whether the run is over. */
    private boolean concludeLevel() {
        Candidate best = workers[0].candidate;
        for (int i = 1; i < workers.length; i++) {
            best.offer(workers[i].candidate);
        }
        if (best.isEmpty()) {
            return false;
        }
        if (best.invariant() == null) {
            run.deadlock(best.slot(), best.depth());
        } else {
            run.violation(best.invariant(), best.slot(), best.depth());
        }
        return true;
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

    /** Counts at the end of the last complete level. */
    Counts counts() {
        return boundary;
    }

    long generated() {
        return WorkerCounters.generated(workers);
    }

    /**
     * One BFS worker: expands claimed states and files their new successors. The successors of
     * up to {@link #BATCH_PARENTS} states are collected first and then looked up together: the
     * first memory each lookup needs (in the visited set, then in the parent log) is touched for
     * all of them before any is used, so that their cache and TLB misses overlap. A successor the
     * worker looked up lately ({@link RecentStates}) is answered from there, as the set would
     * answer it, without touching the set. Nothing is allocated once the batch has grown to the
     * most successors such a group of states has.
     */
    private final class Worker extends WorkerCounters implements Successors {
        /** The states whose successors are in the batch, with their slots and fingerprints. */
        final long[][] parents = new long[BATCH_PARENTS][words];
        final int[] parentSlots = new int[BATCH_PARENTS];
        final long[] parentFingerprints = new long[BATCH_PARENTS];
        int parentCount;
        final long[] tieScratch = new long[words];
        /** Fingerprints of the states this worker expanded lately, for the parent log's comparisons. */
        final FingerprintCache recent = new FingerprintCache();
        /** Successors this worker looked up lately, answered without probing the set. */
        final RecentStates seen = new RecentStates(words);
        final long[] packScratch = new long[words];
        final Candidate candidate = new Candidate(words);
        Frontier out;
        /** The successors collected: vectors, hashes, their parent's place in {@link #parents}, and (after lookup) slots. */
        long[][] batch = new long[64][];
        long[] hashes = new long[64];
        int[] parentOf = new int[64];
        int[] slots = new int[64];
        int emitted;
        /** What the touches read, kept so that they are not optimised away. */
        long touched;

        Worker(int transitions) {
            super(transitions);
        }

        void expandLevel(int id) {
            out = next[id];
            recent.clear(); // the set may have grown since: slots were renamed
            seen.clear();
            VisitedSet visited = run.visited();
            ParentLog parentLog = run.parents();
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
                    f.copyState(i, parents[parentCount]);
                    expand(f.slot(i));
                    if (parentCount == BATCH_PARENTS) {
                        file(visited, parentLog);
                    }
                }
                if (parentCount > 0) {
                    file(visited, parentLog);
                }
                run.checkBounds(visited.size());
            }
        }

        /** Generates the successors of {@code parents[parentCount]} into the batch. */
        private void expand(int slot) {
            long[] state = parents[parentCount];
            if (!model.withinConstraint(state)) {
                pruned++;
                return;
            }
            long fingerprint = FingerprintTable.fingerprint(StateHash.hash(state));
            int before = emitted;
            model.successors(state, this);
            if (emitted == before) {
                if (options.checkDeadlock() && !model.isFinal(state)) {
                    candidate.offer(slot, depth, Candidate.DEADLOCK, null, fingerprint, state);
                }
                return;
            }
            parentSlots[parentCount] = slot;
            parentFingerprints[parentCount] = fingerprint;
            recent.put(slot, fingerprint);
            parentCount++;
        }

        @Override
        public long[] begin(long[] from) {
            if (emitted == batch.length) {
                batch = Arrays.copyOf(batch, emitted * 2);
                hashes = Arrays.copyOf(hashes, emitted * 2);
                parentOf = Arrays.copyOf(parentOf, emitted * 2);
                slots = Arrays.copyOf(slots, emitted * 2);
            }
            long[] t = batch[emitted];
            if (t == null) {
                t = batch[emitted] = new long[words];
            }
            System.arraycopy(from, 0, t, 0, words);
            return t;
        }

        @Override
        public void emit(int transition) {
            hashes[emitted] = StateHash.hash(batch[emitted]);
            parentOf[emitted] = parentCount;
            emitted++;
            generated++;
            fired[transition]++;
        }

        /**
         * Looks up the batch of successors: touches those not in the memo, inserts them (recording the parent
         * of each new one at once, so that no other worker waits for it), then touches the parent-log
         * entries of the ones seen before, then offers those and files the new ones. Empties the batch.
         * The parent-log touches have a loop of their own: an insert of a new state takes the slot with
         * a locked instruction, which waits for every load in flight, so touches issued between inserts
         * would not overlap.
         */
        private void file(VisitedSet visited, ParentLog parentLog) {
            int n = emitted;
            emitted = 0;
            parentCount = 0;
            long t = 0;
            for (int i = 0; i < n; i++) {
                int known = seen.find(batch[i], hashes[i]);
                slots[i] = known;
                if (known < 0) {
                    t += visited.touch(hashes[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                // A state met earlier in this batch is in the memo by now.
                int known = slots[i] >= 0 ? slots[i] : seen.find(batch[i], hashes[i]);
                if (known >= 0) {
                    slots[i] = ~known;
                    continue;
                }
                int slot = visited.insert(batch[i], hashes[i], packScratch);
                if (slot == VisitedSet.FULL) {
                    run.stop(Limit.MEMORY, "the visited set is full ("
                            + visited.size() + " states in " + visited.capacity() + " slots)");
                    return;
                }
                slots[i] = slot;
                if (slot >= 0) {
                    int p = parentOf[i];
                    parentLog.recordOpen(slot, parentSlots[p], parentFingerprints[p]);
                    seen.put(batch[i], hashes[i], slot);
                } else {
                    seen.put(batch[i], hashes[i], ~slot);
                }
            }
            for (int i = 0; i < n; i++) {
                if (slots[i] < 0) {
                    t += parentLog.touch(~slots[i]);
                }
            }
            touched += t;
            for (int i = 0; i < n; i++) {
                int slot = slots[i];
                int p = parentOf[i];
                long[] successor = batch[i];
                if (slot < 0) {
                    parentLog.offer(~slot, parentSlots[p], parentFingerprints[p], parents[p], tieScratch, recent);
                    continue;
                }
                int broken = invariants.firstBroken(parents[p], successor);
                if (broken >= 0) {
                    candidate.offer(slot, depth + 1, broken, invariants.get(broken), FingerprintTable.fingerprint(hashes[i]), successor);
                } else if (!out.add(successor, slot)) {
                    run.stop(Limit.MEMORY, "the BFS queue exceeded its share of the memory budget");
                    return;
                }
            }
        }
    }
}
