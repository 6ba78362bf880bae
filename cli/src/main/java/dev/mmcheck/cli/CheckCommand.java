package dev.mmcheck.cli;

import dev.mmcheck.reports.RunSet;
import dev.mmcheck.specs.catalogue.KernelRun;
import dev.mmcheck.specs.catalogue.KnownScenarios;
import dev.mmcheck.specs.catalogue.KnownVariant;
import dev.mmcheck.specs.catalogue.KnownVariants;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a variant on one scenario or on all main scenarios.",
                "Without --scenario or --all, a mutant or bug variant runs on its own scenario and a kernel version "
                        + "on every main scenario. 'check --all' with no variant runs the default catalogue "
                        + "(the same as 'mmcheck catalogue').",
                "Exit codes: 0 holds, 1 violated or deadlock, 2 usage or input error, 3 incomplete."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "VARIANT",
            description = "A kernel version (v4.12, v4.20-fixed, ...), a mutant, or <bug>-buggy / <bug>-fixed "
                    + "(see 'mmcheck list variants').")
    String variant;

    @Option(names = "--scenario", paramLabel = "NAME", description = "The scenario (see 'mmcheck list scenarios').")
    String scenario;

    @Option(names = "--all", description = "Every main scenario.")
    boolean all;

    @Mixin
    SearchFlags search = new SearchFlags();

    @Mixin
    OutputFlags output = new OutputFlags();

    @Override
    public Integer call() {
        if (variant == null) {
            if (all && scenario == null) {
                return CatalogueCommand.runCatalogue("mmcheck check --all", List.of(), null, false, search, output);
            }
            throw new IllegalArgumentException("name a variant (see 'mmcheck list variants'), or give --all alone to run the catalogue");
        }
        if (all && scenario != null) {
            throw new IllegalArgumentException("give either --scenario or --all, not both");
        }
        KnownVariant v = KnownVariants.find(variant);
        List<Supplier<Scenario>> scenarios = new ArrayList<>();
        if (scenario != null) {
            scenarios.add(KnownScenarios.find(scenario));
        } else if (all || v.home() == null) {
            scenarios.addAll(Scenarios.main());
        } else {
            scenarios.add(v.home());
        }
        List<Target> targets = new ArrayList<>();
        for (Supplier<Scenario> sc : scenarios) {
            // A named scenario the variant cannot run is an error (ScenarioModel says why); from
            // the main list it is skipped with the reason.
            String refusal = scenario == null ? sc.get().refusal(v.variant()) : null;
            if (refusal != null) {
                System.err.println("mmcheck: skipped: " + refusal);
                continue;
            }
            targets.add(Target.kernel(new KernelRun(sc, v.variant()), null));
        }
        try (Runner runner = new Runner("mmcheck check " + variant + (scenario != null ? " --scenario " + scenario : all ? " --all" : ""),
                search, output, true, targets)) {
            int exit = 0;
            for (Target t : targets) {
                RunSet.Entry e = runner.run(t);
                exit = Runner.worse(exit, e.result().verdict().exitCode());
            }
            runner.finish(exit);
            return exit;
        }
    }
}
