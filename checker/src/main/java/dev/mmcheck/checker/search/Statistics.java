package dev.mmcheck.checker.search;

import java.time.Duration;

/**
 * What a run measured.
 *
 * @param distinct          distinct states stored (for simulation: states visited on all walks)
 * @param generated         successors generated (insert attempts), including duplicates
 * @param diameter          the deepest level reached (BFS: exact; DFS: deepest stack; simulation: longest walk)
 * @param peakQueue         the largest BFS level, or the deepest DFS stack
 * @param elapsed           wall-clock time of the exploration
 * @param visitedBytes      bytes allocated for the visited set and parent log
 * @param peakHeapBytes     heap in use at the end of the run (after the search, before any GC)
 * @param pruned            states outside the model's state constraint (stored, not expanded)
 * @param collisionBound    upper bound of the fingerprint collision probability (0 when lossless)
 * @param transitionsFired  per transition id, how often it was taken (coverage; never-taken steps are 0)
 * @param workers           worker threads used
 */
public record Statistics(long distinct, long generated, int diameter, long peakQueue, Duration elapsed,
                         long visitedBytes, long peakHeapBytes, long pruned, double collisionBound,
                         long[] transitionsFired, int workers) {

    /** Distinct states per second of wall-clock time. */
    public double statesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : distinct / seconds;
    }

    /** Bytes of visited set and parent log per distinct state stored. */
    public double bytesPerState() {
        return distinct == 0 ? 0 : (double) visitedBytes / distinct;
    }

    /** Number of transitions that were never taken. */
    public int transitionsNeverFired() {
        int n = 0;
        for (long c : transitionsFired) {
            if (c == 0) {
                n++;
            }
        }
        return n;
    }
}
