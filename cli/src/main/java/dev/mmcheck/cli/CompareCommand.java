package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.Comparison;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Check two variants on the same scenarios and show their verdicts side by side "
                + "(a text table on stdout, compare-A-vs-B.html in --out).",
                "Without --scenario, every main scenario.",
                "Exit codes: 0 both ran to a verdict everywhere (they may differ: see the table), "
                        + "2 usage or input error, 3 some run ended INCOMPLETE."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "VARIANT_A", description = "The first variant (see 'mmcheck list variants').")
    String a;

    @Parameters(index = "1", paramLabel = "VARIANT_B", description = "The second variant.")
    String b;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Only these scenarios (comma-separated; see 'mmcheck list scenarios').")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--all", description = "Every main scenario (the default).")
    boolean all;

    @Mixin
    SearchFlags search = new SearchFlags();

    @Mixin
    OutputFlags output = new OutputFlags();

    @Override
    public Integer call() {
        if (all && !scenarios.isEmpty()) {
            throw new IllegalArgumentException("give either --scenario or --all, not both");
        }
        KnownVariant va = KnownVariants.find(a);
        KnownVariant vb = KnownVariants.find(b);
        List<Supplier<Scenario>> list = new ArrayList<>();
        for (String s : scenarios) {
            list.add(KnownScenarios.find(s));
        }
        if (list.isEmpty()) {
            list.addAll(Scenarios.main());
        }
        List<Target> targets = new ArrayList<>();
        for (Supplier<Scenario> sc : list) {
            targets.add(Target.kernel(new KernelRun(sc, va.variant()), null));
            targets.add(Target.kernel(new KernelRun(sc, vb.variant()), null));
        }
        try (Runner runner = new Runner("mmcheck compare " + a + " " + b, search, output, false, targets)) {
            List<Comparison.Row> rows = new ArrayList<>();
            int exit = 0;
            for (int i = 0; i < list.size(); i++) {
                RunSet.Entry ea = runner.run(targets.get(2 * i));
                RunSet.Entry eb = runner.run(targets.get(2 * i + 1));
                rows.add(new Comparison.Row(list.get(i).get().name(), ea.result(), eb.result()));
                for (RunSet.Entry e : List.of(ea, eb)) {
                    if (e.result().verdict() == Verdict.INCOMPLETE) {
                        exit = 3;
                    }
                }
            }
            Comparison cmp = new Comparison(va.id(), vb.id(), rows);
            System.out.println();
            System.out.print(cmp.text());
            Path html = runner.folder().resolve(Runner.fileName("compare-" + va.id() + "-vs-" + vb.id()) + ".html");
            Runner.write(html, cmp.html());
            System.out.println("comparison: " + html);
            runner.finish(exit);
            return exit;
        }
    }
}
