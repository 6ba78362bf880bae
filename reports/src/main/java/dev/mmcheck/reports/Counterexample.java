package dev.mmcheck.reports;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Statistics;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.trace.SwitchMinimizer;
import dev.mmcheck.checker.trace.Trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the trace renderers show: the trace, what it demonstrates, where it comes from
 * (scenario, variant, ... as free-form metadata) and the run's statistics.
 *
 * @param trace            the path shown (usually reordered for fewer context switches)
 * @param finding          the verdict and broken invariant
 * @param metadata         e.g. {@code scenario -> munmap-vs-fault}, {@code variant -> v4.12}; insertion order kept
 * @param statistics       the run's statistics, or null when unknown
 * @param originalSwitches context switches of the trace the search found, before reordering
 */
public record Counterexample(Trace trace, Finding finding, Map<String, String> metadata, Statistics statistics,
                             int originalSwitches) {
    public Counterexample {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(finding, "finding");
        Map<String, String> copy = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, () -> "metadata value of '" + k + "'")));
        }
        metadata = Collections.unmodifiableMap(copy);
    }

    /** A trace shown as it is. */
    public static Counterexample of(Trace trace, Finding finding) {
        return new Counterexample(trace, finding, Map.of(), null, trace.contextSwitches());
    }

    /**
     * The counterexample of a VIOLATED or DEADLOCK result, reordered by {@link SwitchMinimizer}
     * to an equally short trace with fewer context switches. For a violation the reordered
     * trace may end in another state that breaks the same invariant, so the explanation is
     * recomputed from the state actually shown.
     */
    public static Counterexample from(Result result, Map<String, String> metadata) {
        Trace original = result.trace();
        if (original == null) {
            throw new IllegalArgumentException("a " + result.verdict() + " result has no trace to show");
        }
        Invariant broken = null;
        if (result.verdict() == Verdict.VIOLATED) {
            for (Invariant inv : original.model().invariants()) {
                if (inv.id().equals(result.invariantId())) {
                    broken = inv;
                }
            }
        }
        Trace shown;
        Finding finding;
        if (broken != null) {
            Invariant inv = broken;
            shown = SwitchMinimizer.minimize(original, s -> !inv.holds(s));
            finding = Finding.violated(inv, shown);
        } else {
            shown = SwitchMinimizer.minimize(original);
            finding = Finding.of(result);
        }
        return new Counterexample(shown, finding, metadata, result.statistics(), original.contextSwitches());
    }

    /** {@code 4 steps, 1 context switch (3 before reordering)}. */
    public String stepsAndSwitches() {
        int n = trace.length();
        int s = trace.contextSwitches();
        return n + (n == 1 ? " step, " : " steps, ") + s + (s == 1 ? " context switch" : " context switches")
                + (s == originalSwitches ? "" : " (" + originalSwitches + " before reordering)");
    }
}
