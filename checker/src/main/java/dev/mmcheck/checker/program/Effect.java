package dev.mmcheck.checker.program;

/**
 * What a step does: mutates the successor vector in place, e.g. {@code s -> locked.set(s, 0)}.
 * It gets a private copy of the source state, so it may read and write freely; it must not keep
 * the vector nor allocate.
 */
@FunctionalInterface
public interface Effect {
    void apply(long[] state);
}
