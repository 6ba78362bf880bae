/**
 * The properties checked in every state (I1 to I10, {@link dev.mmcheck.model.invariants.KernelProperty}),
 * the ghost state they read, and the hook for a user's own
 * ({@link dev.mmcheck.model.invariants.KernelInvariant}).
 */
package dev.mmcheck.model.invariants;
