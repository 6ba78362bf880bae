package dev.mmcheck.checker.model;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A named safety property checked in every reachable state. {@link #explain} turns a violating
 * state into one sentence a user can act on; it runs once per violation, never on the hot path.
 */
public interface Invariant {
    String name();

    boolean holds(long[] state);

    default String explain(long[] state) {
        return name() + " is violated";
    }

    static Invariant of(String name, Predicate<long[]> holds, Function<long[], String> explain) {
        Objects.requireNonNull(name);
        Objects.requireNonNull(holds);
        Objects.requireNonNull(explain);
        return new Invariant() {
            @Override public String name() { return name; }
            @Override public boolean holds(long[] state) { return holds.test(state); }
            @Override public String explain(long[] state) { return explain.apply(state); }
            @Override public String toString() { return name; }
        };
    }

    static Invariant of(String name, Predicate<long[]> holds) {
        return of(name, holds, s -> name + " is violated");
    }
}
