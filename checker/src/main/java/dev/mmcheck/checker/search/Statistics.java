package dev.mmcheck.checker.search;

import java.time.Duration;

/**
 * What a run measured. The counts are those of a point where they do not depend on timing: the
 * end of the last complete BFS level, the last complete chunk of random walks, or wherever the
 * single-threaded DFS stopped.
 *
 * @param distinct          distinct states stored (0 in simulation, which stores none; see {@code visited})
 * @param generated         successors generated (insert attempts), including duplicates
 * @param diameter          BFS: the deepest level (an exact shortest distance); DFS: the depth of the
 *                          deepest state along the path that reached it; simulation: the longest walk
 * @param peakQueue         the largest BFS level, or the deepest DFS stack
 * @param elapsed           wall-clock time of the exploration
 * @param visitedBytes      bytes allocated for the visited set and parent log
 * @param peakHeapBytes     heap in use at the end of the run (after the search, before any GC)
 * @param pruned            states outside the model's state constraint (stored, not expanded)
 * @param collisionBound    upper bound of the fingerprint collision probability (0 when lossless)
 * @param transitionsFired  per transition id, how often it was taken (coverage; never-taken steps are 0)
 * @param workers           worker threads used
 * @param visited           simulation: states visited on all walks, repeats included; 0 otherwise
 * @param mode              how the run explored, which says how to read {@code distinct} and {@code diameter}
 */
public record Statistics(long distinct, long generated, int diameter, long peakQueue, Duration elapsed,
                         long visitedBytes, long peakHeapBytes, long pruned, double collisionBound,
                         long[] transitionsFired, int workers, long visited, Mode mode) {

    /** States per second of wall-clock time: distinct states stored, or in simulation states visited. */
    public double statesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : (mode == Mode.SIMULATE ? visited : distinct) / seconds;
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

    /** {@code 1,234 distinct}, or for simulation {@code 38,169 visited} (repeats included). */
    public String stateCount() {
        return mode == Mode.SIMULATE ? String.format(java.util.Locale.ROOT, "%,d visited", visited)
                : String.format(java.util.Locale.ROOT, "%,d distinct", distinct);
    }

    /** {@code depth 24} (BFS), {@code deepest state at depth 37} (DFS) or {@code longest walk 30}. */
    public String depthDescription() {
        switch (mode) {
            case DFS: return "deepest state at depth " + diameter;
            case SIMULATE: return "longest walk " + diameter;
            default: return "depth " + diameter;
        }
    }
}
