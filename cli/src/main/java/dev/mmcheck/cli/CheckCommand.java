package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.RunSummary;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Explore checks of the catalogue and report their verdicts.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "CHECK", description = "Checks to run (see 'mmcheck list').")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "Run every check of the default catalogue.")
    boolean all;

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads (default: available cores).")
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

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for report files (default: mmcheck-reports).")
    Path out = Path.of("mmcheck-reports");

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        List<Check> checks = selected();
        SearchOptions options = options();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out: cannot create folder '" + out + "': " + e.getMessage());
        }
        StringBuilder summary = new StringBuilder();
        int exit = 0;
        for (Check check : checks) {
            if (!quiet) {
                System.err.println("[mmcheck] checking " + check.name() + " (" + options + ")");
            }
            Result result = Checker.check(check.model().get(), options);
            boolean asExpected = result.verdict() == check.expected();
            String text = RunSummary.text(check.name(), result)
                    + "  expected:    " + check.expected() + (asExpected ? " (as expected)" : result.verdict() == Verdict.INCOMPLETE
                    ? " (undecided)" : " (UNEXPECTED)") + System.lineSeparator();
            System.out.print(text);
            summary.append(text);
            write(out.resolve(check.name() + ".txt"), text
                    + (result.trace() == null ? "" : System.lineSeparator() + result.trace()));
            exit = Math.max(exit, exitCode(result, asExpected));
        }
        write(out.resolve("summary.txt"), summary.toString());
        System.out.println("reports written to " + out.toAbsolutePath());
        return exit == 4 ? 1 : exit;
    }

    /** Ranks outcomes so the worst wins: 0 ok, 3 incomplete, 4 unexpected (exit 1). */
    private static int exitCode(Result r, boolean asExpected) {
        if (asExpected) {
            return 0;
        }
        return r.verdict() == Verdict.INCOMPLETE ? 3 : 4;
    }

    private List<Check> selected() {
        if (all && !names.isEmpty()) {
            throw new IllegalArgumentException("give either check names or --all, not both");
        }
        if (all) {
            return Catalogue.defaults();
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one check, or --all (see 'mmcheck list')");
        }
        List<Check> list = new ArrayList<>();
        for (String n : names) {
            list.add(Catalogue.find(n));
        }
        return list;
    }

    private SearchOptions options() {
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
            o = o.withMemoryBytes(Sizes.bytes("--memory", memory));
        }
        o = o.withSeed(seed).withFingerprints(fingerprints);
        if (!quiet) {
            o = o.withProgress(System.err, Duration.ofSeconds(5));
        }
        return o;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file, e);
        }
    }
}
