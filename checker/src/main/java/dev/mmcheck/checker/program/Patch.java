package dev.mmcheck.checker.program;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A proposed change to a program, as a small diff against the steps it was written with: each
 * edit targets one step by its {@link StepRef} and says why. {@link Program#apply} installs a
 * patch before the code is written; each edit then takes effect as the targeted step is
 * written, in every process that has a copy of it, and {@link Program#build()} rejects an edit
 * whose step was never written. Every patched or inserted step is marked in traces: its source
 * reads {@code "proposed: <why> · <source>"}.
 *
 * <ul>
 * <li>{@link #replaceEffect}: the step runs another effect (for a call: other arguments).</li>
 * <li>{@link #replaceGuard}: the step waits for another condition (null: never waits).</li>
 * <li>{@link #skip}: the step (or one alternative of an {@code either}) is deleted with its
 *     jumps, as a deleted line of C; jumps to its label land on the step after it. With an
 *     insertion at the same step, it replaces the step by the inserted ones.</li>
 * <li>{@link #insertBefore}/{@link #insertAfter}: new steps written with the usual {@link Code}
 *     methods, with their own labels, sources, guards, locals and jumps to labels of the same
 *     code. Steps inserted after a step run when it falls through to the step written after it
 *     (a jump from it goes where it went before); a jump to the step's own label reaches the
 *     step itself, not the steps inserted before it.</li>
 * <li>{@link #replaceCall}: a call step calls another procedure (a new one written with
 *     {@link Program#procedure}, or another of the model's).</li>
 * </ul>
 */
public final class Patch {
    /** What a step's effect becomes, given where it is written and its original (maybe null). */
    @FunctionalInterface
    public interface EffectEdit {
        Effect apply(Code site, Effect original);
    }

    /** What a step's guard becomes, given its original (null: always enabled); null: never waits. */
    @FunctionalInterface
    public interface GuardEdit {
        Guard apply(Code site, Guard original);
    }

    /** The kinds of edit, as reports name them. */
    public enum Kind {
        REPLACE_EFFECT("replace effect"), REPLACE_GUARD("replace guard"), SKIP("skip"),
        INSERT_BEFORE("insert before"), INSERT_AFTER("insert after"), REPLACE_CALL("replace call");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** One edit: its kind, the step it targets, why, and the function that performs it. */
    public record Edit(Kind kind, StepRef target, String why, Object function) {
        public Edit {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(target, "target");
            if (why == null || why.isBlank()) {
                throw new IllegalArgumentException("an edit of " + target.name() + " must say why (a non-empty reason)");
            }
            boolean wholeStep = kind == Kind.INSERT_BEFORE || kind == Kind.INSERT_AFTER || kind == Kind.REPLACE_CALL;
            if (wholeStep && target.choice() != null) {
                throw new IllegalArgumentException(kind + " targets a whole step, not the alternative " + target.name());
            }
        }

        /** {@code "skip munmap.up_write: already released"}. */
        @Override
        public String toString() {
            return kind + " " + target.name() + ": " + why;
        }
    }

    private static final Patch NONE = new Patch(List.of());

    private final List<Edit> edits;

    private Patch(List<Edit> edits) {
        this.edits = edits;
    }

    /** The patch that changes nothing. */
    public static Patch none() {
        return NONE;
    }

    public Patch replaceEffect(StepRef step, String why, EffectEdit effect) {
        return with(new Edit(Kind.REPLACE_EFFECT, step, why, Objects.requireNonNull(effect, "effect")));
    }

    public Patch replaceGuard(StepRef step, String why, GuardEdit guard) {
        return with(new Edit(Kind.REPLACE_GUARD, step, why, Objects.requireNonNull(guard, "guard")));
    }

    public Patch skip(StepRef step, String why) {
        return with(new Edit(Kind.SKIP, step, why, null));
    }

    public Patch insertBefore(StepRef step, String why, Consumer<Code> steps) {
        return with(new Edit(Kind.INSERT_BEFORE, step, why, Objects.requireNonNull(steps, "steps")));
    }

    public Patch insertAfter(StepRef step, String why, Consumer<Code> steps) {
        return with(new Edit(Kind.INSERT_AFTER, step, why, Objects.requireNonNull(steps, "steps")));
    }

    /** The call step {@code step} calls the procedure {@code callee} returns for its site. */
    public Patch replaceCall(StepRef step, String why, Function<Code, Procedure> callee) {
        return with(new Edit(Kind.REPLACE_CALL, step, why, Objects.requireNonNull(callee, "callee")));
    }

    /** Every edit of this patch followed by every edit of {@code other}. */
    public Patch and(Patch other) {
        Patch p = this;
        for (Edit e : other.edits) {
            p = p.with(e);
        }
        return p;
    }

    public List<Edit> edits() {
        return edits;
    }

    public boolean isEmpty() {
        return edits.isEmpty();
    }

    /** Skipping a step and changing it are contradictory; skipping and inserting replace it. */
    private static boolean skipsChanged(Edit a, Edit b) {
        return a.kind() == Kind.SKIP && b.kind() != Kind.INSERT_BEFORE && b.kind() != Kind.INSERT_AFTER;
    }

    private Patch with(Edit edit) {
        for (Edit e : edits) {
            if (e.target().equals(edit.target()) && (e.kind() == edit.kind() || skipsChanged(e, edit) || skipsChanged(edit, e))) {
                throw new IllegalArgumentException("two edits of " + edit.target().name() + " conflict: '"
                        + e + "' and '" + edit + "'");
            }
        }
        List<Edit> l = new ArrayList<>(edits);
        l.add(edit);
        return new Patch(Collections.unmodifiableList(l));
    }
}
