package dev.mmcheck.reports;

import dev.mmcheck.checker.model.Transition;

import java.util.List;

/**
 * Turns states into words for every trace format (text, JSON, HTML): the plug-in point where a
 * model says how its state reads. {@link GenericStateView} works for any model from its layout;
 * a model-specific view (page tables, TLBs, VMA tree vs list) implements this interface, usually
 * delegating to a {@code GenericStateView} for what it does not render itself.
 */
public interface StateView {
    /** What changed from {@code before} to {@code after}, one line each; empty if nothing did. */
    List<String> changes(long[] before, long[] after);

    /** A multi-line picture of the whole state (no trailing newline needed); may be empty. */
    String picture(long[] state);

    /** The column (swimlane) a step goes in. */
    default String actorColumn(Transition t) {
        return t.actor().toString();
    }

    /**
     * Lanes the swimlanes show beside the actors' columns even where no step is taken in them,
     * named as {@link #actorColumn} names columns: for a machine, every CPU, so that a CPU that
     * only holds the stale translation an invariant is about is in the picture. None by default.
     */
    default List<String> lanes() {
        return List.of();
    }

    /** What {@code lane} holds in {@code state}, in one line (e.g. a CPU's TLB); empty when the view says nothing. */
    default String laneState(String lane, long[] state) {
        return "";
    }

    /** What changed in {@code lane}'s own state from {@code before} to {@code after}; empty if nothing did. */
    default List<String> laneChanges(String lane, long[] before, long[] after) {
        return List.of();
    }

    /**
     * Whether to draw the picture after step {@code stepIndex} (1-based). The renderers always
     * draw it for the initial state and after the last step; this adds steps in between.
     */
    default boolean interesting(int stepIndex, long[] before, long[] after) {
        return false;
    }
}
