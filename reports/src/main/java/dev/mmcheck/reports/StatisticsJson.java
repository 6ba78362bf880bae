package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Statistics;

import java.util.Locale;

/** Writes {@link Statistics} as one JSON object; shared by the trace and run-summary documents. */
final class StatisticsJson {
    private StatisticsJson() {
    }

    /** Writes the value of a member whose name the caller has already written (null allowed). */
    static void write(JsonWriter w, Statistics s) {
        if (s == null) {
            w.nullValue();
            return;
        }
        boolean simulated = s.mode() == Mode.SIMULATE;
        w.beginObject().field("mode", s.mode().name().toLowerCase(Locale.ROOT));
        // Random walks store no states: their figure is of states visited, repeats included.
        countOrNull(w, "distinct", !simulated, s.distinct());
        countOrNull(w, "visited", simulated, s.visited());
        w.field("generated", s.generated())
                .field("diameter", s.diameter())
                .field("peakQueue", s.peakQueue())
                .name("elapsedSeconds").value(s.elapsed().toNanos() / 1e9)
                .name("statesPerSecond").value(s.statesPerSecond())
                .field("visitedBytes", s.visitedBytes())
                .name("bytesPerState").value(s.bytesPerState())
                .field("peakHeapBytes", s.peakHeapBytes())
                .field("pruned", s.pruned())
                .name("collisionBound").value(s.collisionBound())
                .field("workers", s.workers())
                .field("transitionsNeverFired", s.transitionsNeverFired());
        w.name("transitionsFired").beginInlineArray();
        if (s.transitionsFired() != null) {
            for (long c : s.transitionsFired()) {
                w.value(c);
            }
        }
        w.endArray().endObject();
    }

    private static void countOrNull(JsonWriter w, String name, boolean present, long value) {
        w.name(name);
        if (present) {
            w.value(value);
        } else {
            w.nullValue();
        }
    }
}
