package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Statistics;

import java.util.Locale;
import java.util.Map;

/**
 * The run summary: verdict, why, and every statistic, as text for the terminal and report files
 * and as JSON (schema {@value #SCHEMA}, described in {@code docs/trace-json.md}) for tools.
 */
public final class RunSummary {
    public static final String SCHEMA = "mmcheck-run/1";

    private RunSummary() {
    }

    public static String json(String checkName, Result result) {
        return json(checkName, result, Map.of());
    }

    /** @param metadata scenario, variant, ... as known to the caller; written in its order */
    public static String json(String checkName, Result result, Map<String, String> metadata) {
        JsonWriter w = new JsonWriter();
        write(w, checkName, result, metadata);
        return w.toString();
    }

    /** Writes the run object as the next value of {@code w} (shared with {@link RunSet}). */
    static void write(JsonWriter w, String checkName, Result result, Map<String, String> metadata) {
        w.beginObject();
        w.field("schema", SCHEMA);
        w.name("tool").beginInlineObject().field("name", ToolVersion.NAME).field("version", ToolVersion.version()).endObject();
        w.field("check", checkName);
        w.name("metadata").beginObject();
        metadata.forEach(w::field);
        w.endObject();
        w.field("verdict", result.verdict().name());
        w.field("exitCode", result.verdict().exitCode());
        w.field("limit", result.limit() == null ? null : result.limit().name());
        w.field("limitDescription", result.limit() == null ? null : result.limit().description());
        w.field("invariant", result.invariant());
        w.field("message", result.message());
        w.name("trace");
        if (result.trace() == null) {
            w.nullValue();
        } else {
            w.beginInlineObject()
                    .field("model", result.trace().model().name())
                    .field("length", result.trace().length())
                    .field("contextSwitches", result.trace().contextSwitches())
                    .endObject();
        }
        w.name("statistics");
        StatisticsJson.write(w, result.statistics());
        w.endObject();
    }

    /**
     * The one line of a run's text that depends on the machine and the moment rather than on the
     * model and the options: time, rate, workers and heap. Everything else in a report is the same
     * for every run of the same check with the same options.
     */
    public static String timing(Statistics s) {
        return String.format(Locale.ROOT, "  time:        %.2f s, %,.0f states/s, %d worker(s), heap in use %,d MiB",
                s.elapsed().toNanos() / 1e9, s.statesPerSecond(), s.workers(), s.peakHeapBytes() >> 20);
    }

    public static String text(String checkName, Result result) {
        Statistics s = result.statistics();
        StringBuilder sb = new StringBuilder();
        sb.append(checkName).append(": ").append(result.verdict());
        if (result.limit() != null) {
            sb.append(" (").append(result.limit().description()).append(')');
        }
        sb.append(System.lineSeparator());
        if (result.invariant() != null) {
            sb.append("  invariant:   ").append(result.invariant()).append(System.lineSeparator());
        }
        if (result.message() != null) {
            sb.append("  why:         ").append(result.message()).append(System.lineSeparator());
        }
        if (result.trace() != null) {
            sb.append(String.format(Locale.ROOT, "  trace:       %d steps, %d context switches%n",
                    result.trace().length(), result.trace().contextSwitches()));
        }
        sb.append(String.format(Locale.ROOT, "  states:      %s, %,d generated, %s, peak %s %,d%n",
                s.stateCount(), s.generated(), s.depthDescription(), s.mode() == Mode.DFS ? "stack" : "queue", s.peakQueue()));
        sb.append(timing(s)).append(System.lineSeparator());
        if (s.mode() != Mode.SIMULATE) {
            sb.append(String.format(Locale.ROOT, "  memory:      %.1f bytes/state in the visited set and parent log%n",
                    s.bytesPerState()));
        }
        if (s.collisionBound() > 0) {
            sb.append(String.format(Locale.ROOT, "  fingerprints: probability of a missed state <= %.3g%n", s.collisionBound()));
        }
        if (s.pruned() > 0) {
            sb.append(String.format(Locale.ROOT, "  constraint:  %,d states outside the state constraint were not expanded%n", s.pruned()));
        }
        int never = s.transitionsNeverFired();
        if (never > 0) {
            sb.append(String.format(Locale.ROOT, "  coverage:    %d of %d steps never taken%n", never, s.transitionsFired().length));
        }
        return sb.toString();
    }
}
