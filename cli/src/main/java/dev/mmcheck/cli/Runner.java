package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.Counterexample;
import dev.mmcheck.reports.HtmlTrace;
import dev.mmcheck.reports.JsonTrace;
import dev.mmcheck.reports.RunSet;
import dev.mmcheck.reports.RunSummary;
import dev.mmcheck.reports.StateView;
import dev.mmcheck.reports.TextTrace;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Runs targets and writes their reports: per run a text report (summary, then the trace with
 * the fewest context switches among the shortest, in kernel words for kernel models), the JSON
 * and the HTML trace when there is a counterexample; at the end summary.txt and summary.json.
 * Results go to stdout, progress to stderr.
 */
final class Runner {
    private final SearchOptions options;
    private final Path folder;
    private final Set<OutputFlags.Format> formats;
    private final boolean quiet;
    private final boolean full;
    private final RunSet runs;

    /**
     * @param full print each run's whole summary and text trace on stdout; otherwise one line
     *             per run (the reports hold the rest)
     */
    Runner(String command, SearchFlags search, OutputFlags output, boolean full, int planned) {
        this.options = search.options();
        this.formats = output.formats();
        this.folder = output.folder();
        this.quiet = search.quiet;
        this.full = full;
        this.runs = new RunSet(command);
    }

    RunSet runs() {
        return runs;
    }

    /** Runs {@code t}, prints its summary, writes its reports and returns its entry. */
    RunSet.Entry run(Target t) {
        if (!quiet) {
            System.err.println("[mmcheck] checking " + t.name() + " (" + options + ")");
        }
        Target.Built built = t.build().get();
        Result result = Checker.check(built.model(), options);
        RunSet.Entry entry = new RunSet.Entry(t.name(), t.metadata(), result, t.expected());
        runs.add(entry);
        StringBuilder text = new StringBuilder(RunSummary.text(t.name(), result));
        if (t.expected() != null) {
            text.append("  expected:    ").append(t.expected()).append(entry.asExpected() ? " (as expected)"
                    : result.verdict() == Verdict.INCOMPLETE ? " (undecided)" : " (UNEXPECTED)").append(System.lineSeparator());
        }
        String base = fileName(t.name());
        String traceText = "";
        if (result.trace() != null) {
            Counterexample c = Counterexample.from(result, t.metadata());
            StateView view = built.view().get();
            text.append("  shown:       ").append(c.stepsAndSwitches()).append(System.lineSeparator());
            traceText = TextTrace.render(c, view);
            if (formats.contains(OutputFlags.Format.JSON)) {
                write(base + ".json", JsonTrace.write(c, view));
                text.append("  json trace:  ").append(folder.resolve(base + ".json")).append(System.lineSeparator());
            }
            if (formats.contains(OutputFlags.Format.HTML)) {
                write(base + ".html", HtmlTrace.render(c, view));
                text.append("  html trace:  ").append(folder.resolve(base + ".html")).append(System.lineSeparator());
            }
        }
        if (formats.contains(OutputFlags.Format.TEXT)) {
            write(base + ".txt", text + (traceText.isEmpty() ? "" : System.lineSeparator() + traceText));
            text.append("  report:      ").append(folder.resolve(base + ".txt")).append(System.lineSeparator());
        }
        if (full) {
            System.out.print(text);
            if (!traceText.isEmpty()) {
                System.out.println();
                System.out.print(traceText);
            }
            System.out.println();
        } else {
            System.out.println(RunSet.line(entry, 44));
        }
        return entry;
    }

    /** Writes summary.txt and summary.json and prints where the reports are. */
    void finish(int exitCode) {
        write("summary.txt", runs.text());
        write("summary.json", runs.json(exitCode));
        System.out.println(runs.counts());
        System.out.println("reports written to " + folder.toAbsolutePath());
    }

    /** Ranks outcomes so that the worst wins: 0 fine, 3 undecided, 1 a definite wrong verdict. */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return code == 0 ? 0 : code == 3 ? 1 : 2;
    }

    /** Exit code of one entry judged against its expectation: 0, 1 (unexpected) or 3 (incomplete). */
    static int judged(RunSet.Entry e) {
        if (e.result().verdict() == Verdict.INCOMPLETE) {
            return 3;
        }
        return e.asExpected() ? 0 : 1;
    }

    /** A file name from a check name: '@', '+', '-' and '.' stay, anything else odd becomes '_'. */
    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9@+._-]", "_");
    }

    private void write(String file, String text) {
        Path p = folder.resolve(file);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + p, e);
        }
    }
}
