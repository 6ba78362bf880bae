package dev.mmcheck.checker.model;

import java.util.Objects;

/**
 * The identity of an invariant: what verdicts, expectations and trace files match by, never its
 * display name. A model's properties have short codes ({@code I7}, a user's {@code U1}); an
 * invariant made from a name alone is identified by that name.
 */
public record InvariantId(String code) {
    public InvariantId {
        Objects.requireNonNull(code, "code");
        if (code.isBlank() || !code.equals(code.strip())) {
            throw new IllegalArgumentException("invariant id '" + code + "': must be non-blank, without leading or trailing spaces");
        }
    }

    public static InvariantId of(String code) {
        return new InvariantId(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
