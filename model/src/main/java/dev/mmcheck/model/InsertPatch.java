package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;

/**
 * Proposed new steps: written into {@code code} (the thread's own code or its copy of a
 * procedure) with the usual {@link Code} methods, each with its own label, source reference,
 * guard, effect and jumps to labels of the same code. Write the source with
 * {@link Kernel#src} like any kernel step; reports mark the steps as proposed.
 */
@FunctionalInterface
public interface InsertPatch {
    void write(Kernel kernel, Code code);
}
