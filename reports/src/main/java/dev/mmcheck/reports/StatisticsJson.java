package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Statistics;

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
        w.beginObject()
                .field("distinct", s.distinct())
                .field("generated", s.generated())
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
}
