package dev.mmcheck.model;

import dev.mmcheck.checker.program.Guard;

/**
 * A proposed guard for one step: given the kernel state handles and the step's original guard
 * (null when it never waits), the condition the variant waits for instead (null: never waits).
 * {@link Kernel#site()} is the code being patched while it runs.
 */
@FunctionalInterface
public interface GuardPatch {
    Guard apply(Kernel kernel, Guard original);
}
