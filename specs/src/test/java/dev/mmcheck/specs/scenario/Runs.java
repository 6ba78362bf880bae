package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;

import java.util.function.Function;

/** Runs scenario models for the tests and adds checks on their final states. */
public final class Runs {
    private static final SearchOptions OPTIONS = SearchOptions.defaults().withWorkers(2);

    private Runs() {
    }

    /** Checks {@code model} exhaustively with 2 workers and prints the verdict line (for the reports). */
    public static Result check(Model model) {
        return check(model.name(), model);
    }

    /** {@link #check(Model)}, reporting the run under {@code name}. */
    public static Result check(String name, Model model) {
        Result r = Checker.check(model, OPTIONS);
        System.out.println("[" + name + "] " + r.summary()
                + (r.verdict() == Verdict.VIOLATED || r.verdict() == Verdict.DEADLOCK
                        ? " trace length " + r.trace().length() + " (" + r.invariant() + ")" : ""));
        if (Boolean.getBoolean("mmcheck.coverage")) {
            long[] fired = r.statistics().transitionsFired();
            for (int id = 0; id < fired.length; id++) {
                if (fired[id] == 0 && !model.transition(id).actor().is("CPU")) {
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
        return model.withInvariant(Invariant.of(name, s -> !model.isFinal(s) || problem.apply(s) == null, problem::apply));
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
