package dev.mmcheck.cli;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.GenericStateView;
import dev.mmcheck.reports.StateView;
import dev.mmcheck.reports.kernel.KernelView;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.KernelRun;
import dev.mmcheck.specs.scenario.KernelModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One run the command makes: its name (the check's, or {@code <scenario>@<variant id>}; the
 * report files are named after it), what the trace metadata says (scenario and variant ids, so
 * that {@code mmcheck replay} can rebuild the model), how to build the model and its view, and
 * the verdict it should give (null when nothing is expected).
 */
record Target(String name, Map<String, String> metadata, Supplier<Built> build, Verdict expected) {
    /** A built model and the view its traces are shown in. */
    record Built(Model model, Supplier<StateView> view) {
    }

    /** A scenario run with a variant, outside the catalogue. */
    static Target kernel(KernelRun run, Verdict expected) {
        return new Target(run.name(), kernelMetadata(run), () -> built(run), expected);
    }

    /** A check of the catalogue. */
    static Target of(Check check) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("check", check.name());
        meta.put("group", check.group());
        meta.put("expected", check.expected().name());
        if (check.kernel() == null) {
            return new Target(check.name(), meta, () -> {
                Model m = check.model().get();
                return new Built(m, () -> new GenericStateView(m));
            }, check.expected());
        }
        meta.putAll(kernelMetadata(check.kernel()));
        return new Target(check.name(), meta, () -> built(check.kernel()), check.expected());
    }

    private static Map<String, String> kernelMetadata(KernelRun run) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("scenario", run.scenarioName());
        meta.put("variant", run.variant().name());
        meta.putAll(run.variant().describe());
        return meta;
    }

    private static Built built(KernelRun run) {
        KernelModel km = run.compile();
        return new Built(km.model(), () -> new KernelView(km.model(), km.kernel()));
    }
}
