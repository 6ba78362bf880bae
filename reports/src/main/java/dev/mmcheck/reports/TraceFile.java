package dev.mmcheck.reports;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link JsonTrace#read} takes back from a trace document: enough to re-execute it against
 * a model and to tell which scenario and variant it belongs to.
 *
 * @param toolVersion    the mmcheck version that wrote it
 * @param model          the model's name
 * @param metadata       scenario, variant, ... as written
 * @param verdict        VIOLATED or DEADLOCK
 * @param invariantId    the broken invariant's id for VIOLATED (what replay matches), or null in a
 *                       file written before invariants had ids
 * @param invariant      the broken invariant's name for VIOLATED, else null
 * @param explanation    the sentence stated for the last state
 * @param initialOrdinal which initial state the trace starts from
 * @param transitions    the transition ids, in order
 * @param states         the states the file records, field name to value: the initial state, then
 *                       one per step
 */
public record TraceFile(String toolVersion, String model, Map<String, String> metadata, Verdict verdict,
                        InvariantId invariantId, String invariant, String explanation, int initialOrdinal, int[] transitions,
                        List<Map<String, Long>> states) {
    public TraceFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        transitions = transitions.clone();
        List<Map<String, Long>> copy = new ArrayList<>();
        for (Map<String, Long> st : states) {
            copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(st)));
        }
        states = Collections.unmodifiableList(copy);
        if (states.size() != transitions.length + 1) {
            throw new IllegalArgumentException(states.size() + " recorded states for " + transitions.length + " steps");
        }
    }

    @Override
    public int[] transitions() {
        return transitions.clone();
    }
}
