package dev.mmcheck.checker.program;

import java.util.ArrayList;
import java.util.List;

/**
 * One labelled atomic step as written (before linking): its label, source reference and the
 * alternatives it offers. A plain step, {@code await}, {@code with} and {@code call} have one
 * alternative; {@code either} has one per {@code or}.
 */
final class Step {
    enum Kind { PLAIN, WITH, EITHER, CALL }

    final String label;
    final String source;
    final Kind kind;
    final List<Alternative> alternatives = new ArrayList<>();

    Step(String label, String source, Kind kind) {
        this.label = label;
        this.source = source;
        this.kind = kind;
    }

    /** The transition label of {@code alternative} when it chose {@code value}. */
    String transitionLabel(String qualifiedLabel, Alternative alternative, int value) {
        return switch (kind) {
            case PLAIN, CALL -> qualifiedLabel;
            case EITHER -> qualifiedLabel + " [" + alternative.choice + "]";
            case WITH -> qualifiedLabel + " [" + alternative.choice + "=" + value + "]";
        };
    }
}
