package dev.mmcheck.model;

import dev.mmcheck.checker.program.Effect;

/**
 * A change to one named step of an algorithm: given the kernel state handles and the step's
 * original effect, the effect the variant runs instead. A mutant or a proposed change is a few
 * of these, so it reads as a small diff against the kernel version it starts from.
 */
@FunctionalInterface
public interface StepPatch {
    Effect apply(Kernel kernel, Effect original);
}
