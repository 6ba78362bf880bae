package dev.mmcheck.model;

import dev.mmcheck.checker.program.Procedure;

/**
 * The procedure a call step calls instead: another of the model's or a new one written with
 * {@code kernel.program.procedure(name, body)} in the same step language.
 */
@FunctionalInterface
public interface CallPatch {
    Procedure callee(Kernel kernel);
}
