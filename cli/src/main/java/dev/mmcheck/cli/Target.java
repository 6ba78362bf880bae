package dev.mmcheck.cli;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.reports.StateView;
import dev.mmcheck.reports.kernel.KernelView;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One run the command makes: a name for reports, what the trace metadata says (scenario and
 * variant, so that {@code mmcheck replay} can rebuild the model), how to build the model and
 * its view, and the verdict it should give (null when nothing is expected).
 */
record Target(String name, Map<String, String> metadata, Supplier<Built> build, Verdict expected) {
    /** A built model and the view its traces are shown in. */
    record Built(Model model, Supplier<StateView> view) {
    }

    /** {@code scenario} running {@code variant}, the variant named as the user names it. */
    static Target kernel(Supplier<Scenario> scenario, String variantName, Variant variant, Verdict expected) {
        String scenarioName = scenario.get().name();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("scenario", scenarioName);
        meta.put("variant", variantName);
        meta.putAll(variant.describe());
        return new Target(scenarioName + "@" + variantName, meta, () -> {
            KernelModel km = ScenarioModel.compile(scenario.get(), variant);
            return new Built(km.model(), () -> new KernelView(km.model(), km.kernel()));
        }, expected);
    }

    /** A check of the catalogue. */
    static Target of(Check check) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("check", check.name());
        meta.put("group", check.group());
        meta.put("expected", check.expected().name());
        if (check.variant() != null) {
            meta.putAll(check.variant().describe());
        }
        return new Target(check.name(), meta, () -> {
            Model m = check.model().get();
            return new Built(m, () -> Targets.viewFor(m));
        }, check.expected());
    }
}
