package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.reports.RunSet;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.ReleaseMatrix;
import dev.mmcheck.specs.catalogue.ReleaseMatrixTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "catalogue", mixinStandardHelpOptions = true,
        description = {"Run the check catalogue, each check against the verdict it must give: correct kernel "
                + "variants HOLD, mutants and buggy variants are VIOLATED, fixed variants HOLD.",
                "Exit codes: 0 every check gave its expected verdict, 1 some check gave an unexpected verdict, "
                        + "2 usage or input error, 3 some check ended INCOMPLETE (and none was wrong)."})
final class CatalogueCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "CHECK", description = "Only these checks (see 'mmcheck list checks').")
    List<String> names = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "Only one group: example, kernel, release, mutant or bug.")
    String group;

    @Option(names = "--exhaustive", description = "Include the large checks of the exhaustive profile.")
    boolean exhaustive;

    @Mixin
    SearchFlags search = new SearchFlags();

    @Mixin
    OutputFlags output = new OutputFlags();

    @Override
    public Integer call() {
        StringBuilder cmd = new StringBuilder("mmcheck catalogue");
        names.forEach(n -> cmd.append(' ').append(n));
        if (group != null) {
            cmd.append(" --group ").append(group);
        }
        if (exhaustive) {
            cmd.append(" --exhaustive");
        }
        return runCatalogue(cmd.toString(), names, group, exhaustive, search, output);
    }

    static int runCatalogue(String command, List<String> names, String group, boolean exhaustive,
                            SearchFlags search, OutputFlags output) {
        List<Check> checks = new ArrayList<>();
        if (!names.isEmpty()) {
            for (String n : names) {
                checks.add(Catalogue.find(n));
            }
        } else {
            checks.addAll(exhaustive ? Catalogue.all() : Catalogue.defaults());
        }
        if (group != null) {
            Set<String> groups = new TreeSet<>();
            Catalogue.all().forEach(c -> groups.add(c.group()));
            if (!groups.contains(group)) {
                throw new IllegalArgumentException("--group: '" + group + "' is not a group; use one of " + String.join(", ", groups));
            }
            checks.removeIf(c -> !c.group().equals(group));
        }
        List<Target> targets = checks.stream().map(Target::of).collect(Collectors.toList());
        try (Runner runner = new Runner(command, search, output, false, targets)) {
            int exit = 0;
            Map<String, Result> results = new HashMap<>();
            for (int i = 0; i < checks.size(); i++) {
                Check c = checks.get(i);
                RunSet.Entry e = runner.run(targets.get(i));
                results.put(c.name(), e.result());
                int judged = Runner.judged(e);
                if (judged == 0 && !c.accepts(e.result())) {
                    System.out.println(c.name() + ": " + e.result().invariant() + " broke; expected one of " + c.invariants() + " (UNEXPECTED)");
                    judged = 1;
                }
                exit = Runner.worse(exit, judged);
            }
            if (checks.stream().anyMatch(c -> c.group().equals(ReleaseMatrix.GROUP))) {
                System.out.println();
                System.out.print(ReleaseMatrixTable.render(ReleaseMatrix.cells(), results));
            }
            runner.finish(exit);
            return exit;
        }
    }
}
