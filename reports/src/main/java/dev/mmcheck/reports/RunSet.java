package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Statistics;
import dev.mmcheck.checker.search.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The summary of a command that ran several checks: one line per run (verdict, the verdict it
 * was expected to give if any, states, time) as text, and as JSON of schema {@value #SCHEMA}
 * (described in {@code docs/runs-json.md}) embedding one {@code mmcheck-run/1} object per run.
 */
public final class RunSet {
    public static final String SCHEMA = "mmcheck-runs/1";

    /**
     * One run.
     *
     * @param check    the check's name
     * @param metadata scenario, variant, ... as known to the caller
     * @param result   what the run gave
     * @param expected the verdict it should give, or null when nothing is expected
     */
    public record Entry(String check, Map<String, String> metadata, Result result, Verdict expected) {
        public Entry {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(result, "result");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** True when nothing was expected or the verdict is the expected one. */
        public boolean asExpected() {
            return expected == null || expected == result.verdict();
        }
    }

    /** Where the command that writes the summary is. */
    public enum Status {
        /** Still running: the summary lists the runs done so far. */
        RUNNING("running"),
        /** Every planned run is done. */
        COMPLETE("complete"),
        /** Stopped by a signal (Ctrl-C) before every planned run was done. */
        INTERRUPTED("INTERRUPTED"),
        /** Stopped by an error before every planned run was done. */
        FAILED("FAILED");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    private final String command;
    private final int planned;
    private final List<Entry> entries = new ArrayList<>();

    /** @param command what was run, e.g. {@code mmcheck catalogue --group bug} */
    public RunSet(String command) {
        this(command, 0);
    }

    /** @param planned how many runs the command means to make (0 when unknown) */
    public RunSet(String command, int planned) {
        this.command = Objects.requireNonNull(command, "command");
        this.planned = planned;
    }

    public void add(Entry e) {
        entries.add(Objects.requireNonNull(e, "entry"));
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** One line for {@code e}: {@code name  VIOLATED (expected VIOLATED)  1,234 states  0.2 s}. */
    public static String line(Entry e, int nameWidth) {
        Result r = e.result();
        Statistics s = r.statistics();
        String expectation = e.expected() == null ? ""
                : e.asExpected() ? "as expected"
                : r.verdict() == Verdict.INCOMPLETE ? "undecided, expected " + e.expected()
                : "UNEXPECTED, expected " + e.expected();
        return String.format(Locale.ROOT, "%-" + nameWidth + "s  %-10s %-28s %,12d %-7s %8.2f s%s", e.check(),
                r.verdict(), expectation, s.mode() == Mode.SIMULATE ? s.visited() : s.distinct(),
                s.mode() == Mode.SIMULATE ? "visited" : "states", s.elapsed().toNanos() / 1e9,
                r.invariant() == null ? "" : "  " + r.invariant());
    }

    /** The table of every run and a closing count, for a command that completed. */
    public String text() {
        return text(Status.COMPLETE);
    }

    /** {@code status: complete, 8 of 8 runs}, {@code status: INTERRUPTED after 3 of 205 runs; ...}. */
    public String status(Status status) {
        String runs = entries.size() + (planned > 0 ? " of " + planned : "") + " runs";
        switch (status) {
            case COMPLETE: return "status: complete, " + runs;
            case RUNNING: return "status: running, " + runs + " done so far";
            default: return "status: " + status.word() + " after " + runs + "; the runs not listed here did not run";
        }
    }

    /** The table of the runs done so far, headed by the command and where it is. */
    public String text(Status status) {
        int width = 5;
        for (Entry e : entries) {
            width = Math.max(width, e.check().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(command).append(System.lineSeparator());
        sb.append(status(status)).append(System.lineSeparator());
        for (Entry e : entries) {
            sb.append(line(e, width)).append(System.lineSeparator());
        }
        sb.append(counts()).append(System.lineSeparator());
        return sb.toString();
    }

    /** {@code 12 run(s): 9 HOLDS, 3 VIOLATED, 0 DEADLOCK, 0 INCOMPLETE; 0 unexpected} (the last part when something was expected). */
    public String counts() {
        StringBuilder sb = new StringBuilder().append(entries.size()).append(" run(s):");
        for (Verdict v : Verdict.values()) {
            sb.append(v == Verdict.HOLDS ? " " : ", ").append(entries.stream().filter(e -> e.result().verdict() == v).count())
                    .append(' ').append(v);
        }
        if (entries.stream().anyMatch(e -> e.expected() != null)) {
            long unexpected = entries.stream().filter(e -> !e.asExpected() && e.result().verdict() != Verdict.INCOMPLETE).count();
            sb.append("; ").append(unexpected).append(" unexpected");
        }
        return sb.toString();
    }

    /** The {@value #SCHEMA} document of a command that completed with {@code exitCode}. */
    public String json(int exitCode) {
        return json(Status.COMPLETE, exitCode);
    }

    /** The {@value #SCHEMA} document; {@code exitCode} is written only for a complete command. */
    public String json(Status status, int exitCode) {
        JsonWriter w = new JsonWriter().beginObject();
        w.field("schema", SCHEMA);
        w.name("tool").beginInlineObject().field("name", ToolVersion.NAME).field("version", ToolVersion.version()).endObject();
        w.field("command", command);
        w.field("status", status.name().toLowerCase(java.util.Locale.ROOT));
        w.field("runsPlanned", planned);
        w.name("exitCode");
        if (status == Status.COMPLETE) {
            w.value(exitCode);
        } else {
            w.nullValue();
        }
        w.name("runs").beginArray();
        for (Entry e : entries) {
            w.beginObject();
            w.field("check", e.check());
            w.field("expected", e.expected() == null ? null : e.expected().name());
            w.name("asExpected").value(e.asExpected());
            w.name("run");
            RunSummary.write(w, e.check(), e.result(), e.metadata());
            w.endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }
}
