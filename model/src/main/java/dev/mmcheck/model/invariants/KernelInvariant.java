package dev.mmcheck.model.invariants;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.model.Kernel;

/**
 * A property a user adds to the model's own invariants (I1 to I10): given the kernel state
 * handles of one model, the invariant to check in every reachable state. Name it with an id of
 * its own and one sentence in kernel words ({@code "U1 the driver never maps a pfn it has
 * released"}); its {@link Invariant#explain} says what a violating state shows. Ghost state it
 * needs is declared on {@code kernel.program} (a field no kernel step reads), once per model
 * with {@link Kernel#shared}, so that a patch can write what the invariant reads.
 */
@FunctionalInterface
public interface KernelInvariant {
    Invariant build(Kernel kernel);
}
