package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs scenario models for the tests and adds checks on their final states. */
final class Runs {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    private Runs() {
    }

    /** Checks {@code model} exhaustively with 2 workers and prints the verdict line (for the reports). */
    static Result check(Model model) {
        Result r = Checker.check(model, OPTIONS);
        System.out.println("[" + model.name() + "] " + r.summary()
                + (r.verdict() == Verdict.VIOLATED || r.verdict() == Verdict.DEADLOCK
                        ? " trace length " + r.trace().length() + " (" + r.invariant() + ")" : ""));
        if (Boolean.getBoolean("mmcheck.coverage")) {
            long[] fired = r.statistics().transitionsFired();
            for (int id = 0; id < fired.length; id++) {
                if (fired[id] == 0 && !model.transition(id).actor().startsWith("CPU")) {
                    System.out.println("  never taken: " + model.transition(id).actor() + ": " + model.transition(id).label());
                }
            }
        }
        if (r.verdict() == Verdict.VIOLATED || r.verdict() == Verdict.DEADLOCK) {
            System.out.println(r.message());
            for (int i = 1; i < r.trace().steps().size(); i++) {
                var t = r.trace().steps().get(i).transition();
                System.out.println("  " + i + ". " + t.actor() + ": " + t.label());
            }
        }
        return r;
    }

    /**
     * {@code model} with one more invariant that only applies to final states (every thread
     * done): {@code problem} returns null when the final state is as expected, else why not.
     */
    static Model withFinalCheck(Model model, String name, Function<long[], String> problem) {
        Invariant atEnd = Invariant.of(name, s -> !model.isFinal(s) || problem.apply(s) == null, problem::apply);
        List<Invariant> invariants = new ArrayList<>(model.invariants());
        invariants.add(atEnd);
        return new Model() {
            @Override public String name() { return model.name(); }
            @Override public Layout layout() { return model.layout(); }
            @Override public List<long[]> initialStates() { return model.initialStates(); }
            @Override public void successors(long[] state, Successors out) { model.successors(state, out); }
            @Override public int transitionCount() { return model.transitionCount(); }
            @Override public Transition transition(int id) { return model.transition(id); }
            @Override public List<Invariant> invariants() { return invariants; }
            @Override public boolean isFinal(long[] state) { return model.isFinal(state); }
            @Override public boolean withinConstraint(long[] state) { return model.withinConstraint(state); }
            @Override public String describe(long[] state) { return model.describe(state); }
        };
    }

    /** The value of field {@code name} (e.g. {@code "pte[0]"}, {@code "T0.failed"}) in {@code s}. */
    static int get(Model model, long[] s, String name) {
        return model.layout().field(name).get(s);
    }

    /** Frames of kind {@code kind} (Machine.ANON, ...). */
    static int framesOfKind(Model model, long[] s, int frames, int kind) {
        int n = 0;
        for (int f = 0; f < frames; f++) {
            if (get(model, s, "frame.kind[" + f + "]") == kind) {
                n++;
            }
        }
        return n;
    }
}
