package dev.mmcheck.checker.model;

import dev.mmcheck.checker.trace.Trace;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A named safety property checked in every reachable state. {@link #explain} turns a violating
 * state into one sentence a user can act on; it runs once per violation, never on the hot path.
 */
public interface Invariant {
    /** The display name: for a model's property its id and one sentence, "I7 no use of a freed kernel object". */
    String name();

    /** What this invariant is matched by (verdicts, expectations, trace files); by default its name. */
    default InvariantId id() {
        return new InvariantId(name());
    }

    boolean holds(long[] state);

    /**
     * The fields {@link #holds} reads, when declared ({@link #reading}): a search then checks this
     * invariant in a new state only where one of them differs from the parent's. Empty (the
     * default): it may read any field, and is checked in every new state.
     */
    default Optional<Reads> reads() {
        return Optional.empty();
    }

    /**
     * This invariant, declared to read only {@code reads}: every field any evaluation of
     * {@link #holds} may read must be among them, or a violation can go unseen.
     */
    default Invariant reading(Reads reads) {
        Objects.requireNonNull(reads, "reads");
        Invariant self = this;
        return new Invariant() {
            @Override public String name() { return self.name(); }
            @Override public InvariantId id() { return self.id(); }
            @Override public boolean holds(long[] state) { return self.holds(state); }
            @Override public Optional<Reads> reads() { return Optional.of(reads); }
            @Override public String explain(long[] state) { return self.explain(state); }
            @Override public String explain(Trace trace) { return self.explain(trace); }
            @Override public String toString() { return self.name(); }
        };
    }

    default String explain(long[] state) {
        return name() + " is violated";
    }

    /**
     * Explains a counterexample that ends in a violating state. By default the last state
     * alone; an invariant that records an event (a use of a freed object) overrides it to say
     * where along the trace the event's causes happened.
     */
    default String explain(Trace trace) {
        return explain(trace.lastState());
    }

    /**
     * This invariant with {@code explainTrace} as its counterexample explanation: for a
     * property whose violating state records what happened but not where it started.
     */
    default Invariant explainedBy(Function<Trace, String> explainTrace) {
        Objects.requireNonNull(explainTrace);
        Invariant self = this;
        return new Invariant() {
            @Override public String name() { return self.name(); }
            @Override public InvariantId id() { return self.id(); }
            @Override public boolean holds(long[] state) { return self.holds(state); }
            @Override public Optional<Reads> reads() { return self.reads(); }
            @Override public String explain(long[] state) { return self.explain(state); }
            @Override public String explain(Trace trace) { return explainTrace.apply(trace); }
            @Override public String toString() { return self.name(); }
        };
    }

    /**
     * An invariant with its own id and a one-sentence statement: named {@code "<id> <sentence>"}
     * ({@code "U1 the driver never maps a pfn it has released"}).
     */
    static Invariant of(InvariantId id, String sentence, Predicate<long[]> holds, Function<long[], String> explain) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sentence, "sentence");
        Objects.requireNonNull(holds);
        Objects.requireNonNull(explain);
        String name = id.code() + " " + sentence;
        return new Invariant() {
            @Override public String name() { return name; }
            @Override public InvariantId id() { return id; }
            @Override public boolean holds(long[] state) { return holds.test(state); }
            @Override public String explain(long[] state) { return explain.apply(state); }
            @Override public String toString() { return name; }
        };
    }

    /** An invariant with its own id and a one-sentence statement, explained by its name alone. */
    static Invariant of(InvariantId id, String sentence, Predicate<long[]> holds) {
        return of(id, sentence, holds, s -> id.code() + " " + sentence + " is violated");
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
