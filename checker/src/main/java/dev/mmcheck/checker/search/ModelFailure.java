package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Model;

/** The model itself failed (threw) during exploration: a bug in the model, not a verdict. */
public final class ModelFailure extends RuntimeException {
    public ModelFailure(Model model, Throwable cause) {
        super("model '" + model.name() + "' failed during exploration: " + cause, cause);
    }
}
