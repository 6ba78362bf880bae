package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.trace.Trace;

/**
 * The verdict of a run with what supports it.
 *
 * @param verdict    the outcome
 * @param limit      for {@link Verdict#INCOMPLETE}: the bound that was hit; otherwise null
 * @param invariantId for {@link Verdict#VIOLATED}: the id of the broken invariant; otherwise null
 * @param invariant  for {@link Verdict#VIOLATED}: its display name; otherwise null
 * @param message    one sentence: what broke, or which bound stopped the run and why
 * @param trace      for VIOLATED and DEADLOCK: the path from an initial state; otherwise null
 * @param statistics what the run measured
 */
public record Result(Verdict verdict, Limit limit, InvariantId invariantId, String invariant, String message, Trace trace,
                     Statistics statistics) {
    public Result {
        if (verdict == Verdict.INCOMPLETE && limit == null) {
            throw new IllegalArgumentException("an INCOMPLETE result must name its limit");
        }
        if ((verdict == Verdict.VIOLATED || verdict == Verdict.DEADLOCK) && trace == null) {
            throw new IllegalArgumentException(verdict + " needs a trace");
        }
    }

    /** Whether this run broke the invariant {@code id}. */
    public boolean violated(InvariantId id) {
        return verdict == Verdict.VIOLATED && id.equals(invariantId);
    }

    /** One line: verdict, why, and the headline numbers. */
    public String summary() {
        Statistics s = statistics;
        return verdict + (message == null || message.isEmpty() ? "" : ": " + message)
                + String.format(" [%,d distinct states, %,d generated, depth %d, %.1f s, %,.0f states/s]",
                s.distinct(), s.generated(), s.diameter(), s.elapsed().toNanos() / 1e9, s.statesPerSecond());
    }
}
