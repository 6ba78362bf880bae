package dev.mmcheck.checker.program;

/**
 * The edits of a {@link Patch} that target one step (or one alternative), by kind; null where
 * the patch does not edit it that way.
 */
record StepEdits(Patch.Edit effect, Patch.Edit guard, Patch.Edit skip, Patch.Edit before, Patch.Edit after,
                 Patch.Edit call) {
    static final StepEdits NONE = new StepEdits(null, null, null, null, null, null);

    StepEdits with(Patch.Edit e) {
        return switch (e.kind()) {
            case REPLACE_EFFECT -> new StepEdits(e, guard, skip, before, after, call);
            case REPLACE_GUARD -> new StepEdits(effect, e, skip, before, after, call);
            case SKIP -> new StepEdits(effect, guard, e, before, after, call);
            case INSERT_BEFORE -> new StepEdits(effect, guard, skip, e, after, call);
            case INSERT_AFTER -> new StepEdits(effect, guard, skip, before, e, call);
            case REPLACE_CALL -> new StepEdits(effect, guard, skip, before, after, e);
        };
    }
}
