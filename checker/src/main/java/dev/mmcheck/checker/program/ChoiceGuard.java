package dev.mmcheck.checker.program;

/**
 * A guard of a {@code with} step that also sees the chosen value, e.g.
 * {@code (s, cpu) -> online.get(s, cpu) == 1}: only the values it accepts become transitions.
 */
@FunctionalInterface
public interface ChoiceGuard {
    boolean test(long[] state, int value);
}
