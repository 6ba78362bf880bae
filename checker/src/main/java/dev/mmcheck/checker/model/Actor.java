package dev.mmcheck.checker.model;

import java.util.Objects;

/**
 * Who takes a transition, as a value: a kind and an index ({@code T} 1, {@code CPU} 0), or a
 * kind alone for an actor of which there is one ({@code monitor}). Reports choose columns and
 * tests select steps by kind and index, never by reading the display name back.
 */
public record Actor(String kind, int index) {
    /** The index of an actor that is the only one of its kind. */
    public static final int ONLY = -1;

    public Actor {
        Objects.requireNonNull(kind, "kind");
        if (kind.isBlank() || !kind.equals(kind.strip())) {
            throw new IllegalArgumentException("actor kind '" + kind + "': must be non-blank, without leading or trailing spaces");
        }
        if (index < ONLY) {
            throw new IllegalArgumentException("actor " + kind + ": index " + index + " is negative");
        }
    }

    /** Actor {@code index} of {@code kind}: {@code of("T", 1)} is {@code T1}. */
    public static Actor of(String kind, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("actor " + kind + ": index " + index + " is negative");
        }
        return new Actor(kind, index);
    }

    /** The only actor of {@code kind}. */
    public static Actor only(String kind) {
        return new Actor(kind, ONLY);
    }

    public boolean is(String kind) {
        return this.kind.equals(kind);
    }

    /** {@code T1}, {@code CPU0}, {@code monitor}: the name traces and state fields use. */
    @Override
    public String toString() {
        return index == ONLY ? kind : kind + index;
    }
}
