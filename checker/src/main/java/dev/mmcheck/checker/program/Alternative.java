package dev.mmcheck.checker.program;

import java.util.ArrayList;
import java.util.List;

/**
 * One way a step can go, as written: guard, effect, the values it ranges over, the procedure it
 * calls and where it continues. The control-flow modifiers of {@link Code} ({@code goTo},
 * {@code ifGoTo}, ...) edit the most recently added alternative.
 */
final class Alternative {
    /** The either-branch name or the with-variable name; null for other steps. */
    final String choice;
    /** Its own source reference, or null to use the step's. */
    final String source;
    final int lo;
    final int hi;
    /** Null when always enabled. */
    final ChoiceGuard guard;
    /** Null when the step changes nothing but the pc. */
    final ChoiceEffect effect;
    /** Null unless this is a call. */
    final Procedure callee;
    /** Conditional jumps, tried in order on the state after the effect. */
    final List<Guard> jumpIf = new ArrayList<>();
    final List<String> jumpTo = new ArrayList<>();
    /** Where it continues when no jump is taken; null falls through to the next step. */
    String next;

    Alternative(String choice, String source, int lo, int hi, ChoiceGuard guard, ChoiceEffect effect,
                Procedure callee) {
        this.choice = choice;
        this.source = source;
        this.lo = lo;
        this.hi = hi;
        this.guard = guard;
        this.effect = effect;
        this.callee = callee;
    }

    /** An alternative without choice: one transition. */
    static Alternative of(Guard guard, Effect effect) {
        return new Alternative(null, null, 0, 0, liftGuard(guard), liftEffect(effect), null);
    }

    static ChoiceGuard liftGuard(Guard guard) {
        return guard == null ? null : (s, v) -> guard.test(s);
    }

    static ChoiceEffect liftEffect(Effect effect) {
        return effect == null ? null : (s, v) -> effect.apply(s);
    }
}
