package dev.mmcheck.reports;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.trace.Trace;

import java.util.Objects;

/**
 * What a trace demonstrates: the verdict, the broken invariant (its id, which is what matches,
 * and its name, which is what is shown; for VIOLATED) and the one-sentence explanation of the
 * last state.
 *
 * @param verdict     VIOLATED or DEADLOCK for a counterexample
 * @param invariantId the broken invariant's identity, or null
 * @param invariant   the broken invariant's name, or null
 * @param explanation one sentence about the last state; may be empty
 */
public record Finding(Verdict verdict, InvariantId invariantId, String invariant, String explanation) {
    /** The message the engine gives a deadlock. */
    public static final String DEADLOCK_MESSAGE = "no step is enabled and the state is not a proper final state";

    public Finding {
        Objects.requireNonNull(verdict, "verdict");
        explanation = explanation == null ? "" : explanation;
    }

    public static Finding of(Result result) {
        return new Finding(result.verdict(), result.invariantId(), result.invariant(), result.message());
    }

    /** {@code invariant} broken at the end of {@code trace}, explained by the invariant itself. */
    public static Finding violated(Invariant invariant, Trace trace) {
        return new Finding(Verdict.VIOLATED, invariant.id(), invariant.name(), invariant.explain(trace));
    }

    public static Finding deadlock() {
        return new Finding(Verdict.DEADLOCK, null, null, DEADLOCK_MESSAGE);
    }

    /** The headline: {@code VIOLATED: mutual exclusion}, {@code DEADLOCK}. */
    public String headline() {
        return verdict + (invariant == null ? "" : ": " + invariant);
    }

    /** One sentence for the end of a trace, e.g. {@code Invariant "I1" is broken: CPU1 can still ...}. */
    public String sentence() {
        String why = explanation.isEmpty() ? "" : ": " + explanation;
        String s;
        if (verdict == Verdict.VIOLATED && invariant != null) {
            s = "Invariant \"" + invariant + "\" is broken" + why;
        } else if (verdict == Verdict.DEADLOCK) {
            s = "Deadlock" + why;
        } else {
            s = verdict + why;
        }
        return s.endsWith(".") ? s : s + ".";
    }
}
