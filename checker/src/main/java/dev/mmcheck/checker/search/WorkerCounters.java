package dev.mmcheck.checker.search;

/**
 * What one worker counts, in plain fields that only it writes (no sharing on the hot path); the
 * run adds them up at the end, and the progress line reads them approximately on the way.
 */
abstract class WorkerCounters {
    /** Successors generated (insert attempts), duplicates included. */
    long generated;
    /** States outside the state constraint, not expanded. */
    long pruned;
    /** States visited (random walks). */
    long visited;
    /** Per transition id, how often it was taken. */
    final long[] fired;

    WorkerCounters(int transitions) {
        fired = new long[transitions];
    }

    static long generated(WorkerCounters[] workers) {
        long n = 0;
        for (WorkerCounters w : workers) {
            n += w.generated;
        }
        return n;
    }

    static long pruned(WorkerCounters[] workers) {
        long n = 0;
        for (WorkerCounters w : workers) {
            n += w.pruned;
        }
        return n;
    }

    static long visited(WorkerCounters[] workers) {
        long n = 0;
        for (WorkerCounters w : workers) {
            n += w.visited;
        }
        return n;
    }

    static long[] fired(WorkerCounters[] workers, int transitions) {
        long[] sum = new long[transitions];
        for (WorkerCounters w : workers) {
            for (int i = 0; i < transitions; i++) {
                sum[i] += w.fired[i];
            }
        }
        return sum;
    }
}
