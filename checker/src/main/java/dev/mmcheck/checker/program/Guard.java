package dev.mmcheck.checker.program;

/**
 * A condition over a state vector, e.g. {@code s -> mapCount.get(s) > 0}. Guards decide whether a
 * step is enabled ({@code await}), where a step jumps ({@code ifGoTo}), and express invariants.
 * They read the vector only and must not allocate: they run on the engine's hot path.
 */
@FunctionalInterface
public interface Guard {
    boolean test(long[] state);

    default Guard and(Guard other) {
        return s -> test(s) && other.test(s);
    }

    default Guard or(Guard other) {
        return s -> test(s) || other.test(s);
    }

    default Guard negate() {
        return s -> !test(s);
    }
}
