package dev.mmcheck.checker.search;

/**
 * What a search counted up to a point where the counts do not depend on timing (the end of a
 * BFS level, a chunk of random walks, or any point of the single-threaded DFS).
 *
 * @param distinct  states stored
 * @param generated successors generated, duplicates included
 * @param pruned    states outside the state constraint
 * @param visited   states visited on random walks, repeats included (0 for BFS and DFS)
 * @param fired     per transition id, how often it was taken
 */
record Counts(long distinct, long generated, long pruned, long visited, long[] fired) {
    static final Counts NONE = new Counts(0, 0, 0, 0, new long[0]);

    /** The sums of the workers' counters, with {@code distinct} stored states. */
    static Counts of(long distinct, WorkerCounters[] workers, int transitions) {
        return new Counts(distinct, WorkerCounters.generated(workers), WorkerCounters.pruned(workers),
                WorkerCounters.visited(workers), WorkerCounters.fired(workers, transitions));
    }
}
