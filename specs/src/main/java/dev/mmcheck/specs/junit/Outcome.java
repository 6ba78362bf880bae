package dev.mmcheck.specs.junit;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.Counterexample;
import dev.mmcheck.reports.RunSummary;
import dev.mmcheck.reports.TextTrace;
import dev.mmcheck.reports.kernel.KernelView;
import dev.mmcheck.specs.scenario.KernelModel;

/**
 * One scenario's run in a {@link VariantCheck}: the result, and for VIOLATED or DEADLOCK the
 * counterexample (reordered for fewer context switches among the shortest traces).
 *
 * @param model          the compiled scenario and variant
 * @param result         what the search gave
 * @param counterexample the trace shown, or null when the result has none
 */
public record Outcome(KernelModel model, Result result, Counterexample counterexample) {
    /** The check's name: {@code scenario@variant}. */
    public String name() {
        return model.model().name();
    }

    public Verdict verdict() {
        return result.verdict();
    }

    /** The run summary, then the counterexample as a text trace in kernel words if there is one. */
    public String report() {
        String summary = RunSummary.text(name(), result);
        if (counterexample == null) {
            return summary;
        }
        return summary + "  shown:       " + counterexample.stepsAndSwitches() + System.lineSeparator()
                + System.lineSeparator() + TextTrace.render(counterexample, new KernelView(model.model(), model.kernel()));
    }
}
