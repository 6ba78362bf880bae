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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs targets and writes their reports: per run a text report (summary, then the trace with
 * its steps reordered for fewer context switches, in kernel words for kernel models), the JSON
 * and the HTML trace when there is a counterexample; summary.txt and summary.json from the start
 * and after every run. Results go to stdout, progress to stderr.
 *
 * <p>A command owns the reports of the runs it makes: it writes the files a run produces and
 * removes that run's files it does not produce (the trace of an earlier run that was VIOLATED
 * and is now INCOMPLETE, a format not asked for this time). The summary always says whether the
 * command completed, is still running, or was stopped by Ctrl-C or an error.
 */
final class Runner implements AutoCloseable {
    private final SearchOptions options;
    private final Path folder;
    private final Set<OutputFlags.Format> formats;
    private final boolean quiet;
    private final boolean full;
    private final RunSet runs;
    private final int nameWidth;
    private final Thread onInterrupt;
    private RunSet.Status status = RunSet.Status.RUNNING;
    private int exitCode;

    /**
     * @param full    print each run's whole summary and text trace on stdout; otherwise one line
     *                per run (the reports hold the rest)
     * @param planned the runs the command will make, in order
     */
    Runner(String command, SearchFlags search, OutputFlags output, boolean full, List<Target> planned) {
        this.options = search.options();
        this.formats = output.formats();
        this.folder = output.folder();
        this.quiet = search.quiet;
        this.full = full;
        this.runs = new RunSet(command, planned.size());
        this.nameWidth = planned.stream().mapToInt(t -> t.name().length()).max().orElse(0);
        writeSummary();
        this.onInterrupt = new Thread(() -> stop(RunSet.Status.INTERRUPTED), "mmcheck-summary");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    Path folder() {
        return folder;
    }

    /** Runs {@code t}, prints its summary, writes its reports and returns its entry. */
    RunSet.Entry run(Target t) {
        if (!quiet) {
            System.err.println("[mmcheck] checking " + t.name() + " (" + options + ")");
        }
        Target.Built built = t.build().get();
        Result result = Checker.check(built.model(), options);
        RunSet.Entry entry = new RunSet.Entry(t.name(), t.metadata(), result, t.expected());
        StringBuilder text = new StringBuilder(RunSummary.text(t.name(), result));
        for (String key : List.of("release", "config", "kind", "added", "removed", "patched")) {
            String value = t.metadata().get(key);
            if (value != null) {
                text.append(String.format("  %-12s %s%n", key + ":", value));
            }
        }
        if (t.expected() != null) {
            text.append("  expected:    ").append(t.expected()).append(entry.asExpected() ? " (as expected)"
                    : result.verdict() == Verdict.INCOMPLETE ? " (undecided)" : " (UNEXPECTED)").append(System.lineSeparator());
        }
        String base = fileName(t.name());
        Map<OutputFlags.Format, String> files = new EnumMap<>(OutputFlags.Format.class);
        String traceText = "";
        if (result.trace() != null) {
            Counterexample c = Counterexample.from(result, t.metadata());
            StateView view = built.view().get();
            text.append("  shown:       ").append(c.stepsAndSwitches()).append(System.lineSeparator());
            traceText = TextTrace.render(c, view);
            if (formats.contains(OutputFlags.Format.JSON)) {
                files.put(OutputFlags.Format.JSON, JsonTrace.write(c, view));
                text.append("  json trace:  ").append(base).append(".json").append(System.lineSeparator());
            }
            if (formats.contains(OutputFlags.Format.HTML)) {
                files.put(OutputFlags.Format.HTML, HtmlTrace.render(c, view));
                text.append("  html trace:  ").append(base).append(".html").append(System.lineSeparator());
            }
        }
        if (formats.contains(OutputFlags.Format.TEXT)) {
            files.put(OutputFlags.Format.TEXT, text + (traceText.isEmpty() ? "" : System.lineSeparator() + traceText));
        }
        for (OutputFlags.Format f : OutputFlags.Format.values()) {
            Path p = folder.resolve(base + f.extension());
            if (files.containsKey(f)) {
                write(p, files.get(f));
            } else {
                delete(p);
            }
        }
        synchronized (this) {
            runs.add(entry);
        }
        writeSummary();
        if (full) {
            System.out.print(text);
            System.out.println("  reports:     " + folder.toAbsolutePath().resolve(base) + ".{" + extensions(files.keySet()) + "}");
            if (!traceText.isEmpty()) {
                System.out.println();
                System.out.print(traceText);
            }
            System.out.println();
        } else {
            System.out.println(RunSet.line(entry, nameWidth));
        }
        return entry;
    }

    /** Writes the final summary.txt and summary.json and prints where the reports are. */
    void finish(int exit) {
        synchronized (this) {
            status = RunSet.Status.COMPLETE;
            exitCode = exit;
        }
        writeSummary();
        System.out.println(runs.counts());
        System.out.println("reports written to " + folder.toAbsolutePath());
    }

    /** A command that did not call {@link #finish} was stopped by an error: the summary says so. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run.
            return;
        }
        stop(RunSet.Status.FAILED);
    }

    private synchronized void stop(RunSet.Status why) {
        if (status == RunSet.Status.RUNNING) {
            status = why;
            writeSummary();
        }
    }

    private synchronized void writeSummary() {
        write(folder.resolve("summary.txt"), runs.text(status));
        write(folder.resolve("summary.json"), runs.json(status, exitCode));
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

    /** A file name from a run's name: '@', '+', '-' and '.' stay, anything else odd becomes '_'. */
    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9@+._-]", "_");
    }

    private static String extensions(Set<OutputFlags.Format> written) {
        StringBuilder sb = new StringBuilder();
        for (OutputFlags.Format f : written) {
            sb.append(sb.length() == 0 ? "" : ",").append(f.extension().substring(1));
        }
        return sb.toString();
    }

    /** Writes {@code text} whole or not at all: readers never see half a report. */
    static void write(Path p, String text) {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + p + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale report " + p + ": " + e.getMessage(), e);
        }
    }
}
