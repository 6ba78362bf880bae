package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.SearchOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;

/** The search options every command that runs checks takes. */
final class SearchFlags {
    @Option(names = "--workers", paramLabel = "N", description = "Worker threads, 1 to 1024 (default: available cores).")
    Integer workers;

    @Option(names = "--mode", paramLabel = "MODE", description = "bfs (default), dfs or simulate.")
    String mode = "bfs";

    @Option(names = "--seed", paramLabel = "S", description = "Seed of random simulation (default 1).")
    long seed = 1;

    @Option(names = "--walks", paramLabel = "N", description = "Random walks in simulation mode (default 1000).")
    Long walks;

    @Option(names = "--max-states", paramLabel = "N", description = "Stop after N distinct states (INCOMPLETE).")
    Long maxStates;

    @Option(names = "--max-depth", paramLabel = "N", description = "Do not expand states at depth N (INCOMPLETE if any).")
    Integer maxDepth;

    @Option(names = "--time", paramLabel = "DURATION", description = "Time limit per check, e.g. 90s or 10m.")
    String time;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget per check, e.g. 4g (default: 60%% of the heap).")
    String memory;

    @Option(names = "--fingerprints", description = "Store 64-bit fingerprints instead of whole states.")
    boolean fingerprints;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    /** The options; nonsensical values are usage errors that name the allowed range. */
    SearchOptions options() {
        SearchOptions o = SearchOptions.defaults();
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "bfs": o = o.withMode(Mode.BFS); break;
            case "dfs": o = o.withMode(Mode.DFS); break;
            case "simulate": o = o.withMode(Mode.SIMULATE); break;
            default: throw new IllegalArgumentException("--mode: '" + mode + "' is not a mode; use bfs, dfs or simulate");
        }
        if (workers != null) {
            o = o.withWorkers(workers);
        }
        if (maxStates != null) {
            o = o.withMaxStates(maxStates);
        }
        if (maxDepth != null) {
            o = o.withMaxDepth(maxDepth);
        }
        if (walks != null) {
            o = o.withWalks(walks);
        }
        if (time != null) {
            o = o.withTimeLimit(Sizes.duration("--time", time));
        }
        if (memory != null) {
            long bytes = Sizes.bytes("--memory", memory);
            long heap = Runtime.getRuntime().maxMemory();
            if (bytes > heap) {
                throw new IllegalArgumentException("--memory: '" + memory + "' is more than the Java heap of " + Sizes.human(heap)
                        + "; give at most that, or raise the heap (-Xmx, or MMCHECK_JAVA_OPTS for ./mmcheck)");
            }
            o = o.withMemoryBytes(bytes);
        }
        o = o.withSeed(seed).withFingerprints(fingerprints);
        if (!quiet) {
            o = o.withProgress(System.err, Duration.ofSeconds(5));
        }
        return o;
    }
}
