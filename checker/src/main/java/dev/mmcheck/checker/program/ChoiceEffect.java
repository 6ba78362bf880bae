package dev.mmcheck.checker.program;

/**
 * The effect of a {@code with} step: mutates the successor vector given the chosen value, e.g.
 * {@code (s, cpu) -> target.set(s, cpu)}. The value is a parameter, not a field, so choosing
 * costs no state bits unless the effect stores it.
 */
@FunctionalInterface
public interface ChoiceEffect {
    void apply(long[] state, int value);
}
