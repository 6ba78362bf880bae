package dev.mmcheck.checker.search;

import dev.mmcheck.checker.store.VisitedSet;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Prints a progress line every few seconds on long runs: distinct and generated states, queue,
 * depth, states per second, memory. Reads the workers' counters without synchronisation, so the
 * figures are approximate while the run is going; the final statistics are exact.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;

    private Progress(Thread thread) {
        this.thread = thread;
    }

    /** With {@code tracked} false (random simulation) no visited set is shown: its rate is of generated states. */
    static Progress start(SearchOptions options, long startNanos, Exploration run, LongSupplier generated,
                          boolean tracked) {
        PrintStream out = options.progress();
        if (out == null) {
            return new Progress(null);
        }
        long interval = options.progressInterval().toMillis();
        Thread t = new Thread(() -> {
            long lastDistinct = 0;
            long lastNanos = startNanos;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                VisitedSet visited = tracked ? run.visited() : null; // BFS may have grown it
                // Simulation keeps no visited set: its rate is of generated states.
                long count = visited == null ? generated.getAsLong() : visited.size();
                double rate = (count - lastDistinct) / ((now - lastNanos) / 1e9);
                lastDistinct = count;
                lastNanos = now;
                Runtime rt = Runtime.getRuntime();
                long used = rt.totalMemory() - rt.freeMemory();
                out.printf("[mmcheck] %6.1fs  %sgenerated %,d  queue %,d  depth %d  %,.0f states/s  "
                                + "heap %s of %s%s%n",
                        (now - startNanos) / 1e9, visited == null ? "" : String.format("distinct %,d  ", count),
                        generated.getAsLong(), run.currentLevelSize(), run.level(), rate, size(used), size(rt.maxMemory()),
                        visited == null ? "" : String.format("  table %.0f%% full", 100.0 * visited.size() / visited.capacity()));
            }
        }, "mmcheck-progress");
        t.setDaemon(true);
        t.start();
        return new Progress(t);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format("%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format("%.0f MiB", bytes / (double) (1L << 20));
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
