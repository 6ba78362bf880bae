package dev.mmcheck.cli;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.reports.RunSet;
import dev.mmcheck.specs.catalogue.KernelRun;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run bugs of the corpus: each bug's buggy variant (must be caught, breaking the bug's "
                + "invariant) and its fixed variant (must hold), on the bug's scenario.",
                "Exit codes: 0 every buggy variant caught and every fixed one holds, 1 otherwise, "
                        + "2 usage or input error, 3 some run ended INCOMPLETE (and none was wrong)."})
final class BugsCheckCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "BUG", description = "Bug id (B3; B6 runs both of its fixes), key (B6-20841405940e), fix commit (7a30df49f63a) or CVE.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--all", description = "Every bug of the corpus.")
    boolean all;

    @Mixin
    SearchFlags search = new SearchFlags();

    @Mixin
    OutputFlags output = new OutputFlags();

    @Override
    public Integer call() {
        if (all == !keys.isEmpty()) {
            throw new IllegalArgumentException("name bugs (id, fix commit or CVE; see 'mmcheck bugs') or give --all, not both");
        }
        Set<Bug> bugs = new LinkedHashSet<>();
        if (all) {
            bugs.addAll(Bugs.all());
        } else {
            for (String k : keys) {
                bugs.addAll(Bugs.matching(k));
            }
        }
        List<Target> targets = new ArrayList<>();
        for (Bug b : bugs) {
            targets.add(Target.kernel(new KernelRun(b.scenario(), b.namedBuggy()), Verdict.VIOLATED));
            targets.add(Target.kernel(new KernelRun(b.scenario(), b.namedFixed()), Verdict.HOLDS));
        }
        try (Runner runner = new Runner("mmcheck bugs check " + (all ? "--all" : String.join(" ", keys)), search, output, false,
                targets)) {
            List<String> verdicts = new ArrayList<>();
            int exit = 0;
            int next = 0;
            for (Bug b : bugs) {
                RunSet.Entry buggy = runner.run(targets.get(next++));
                RunSet.Entry fixed = runner.run(targets.get(next++));
                boolean rightInvariant = buggy.result().violated(b.invariant().id());
                int bugExit = Runner.worse(Runner.judged(buggy), Runner.judged(fixed));
                if (buggy.asExpected() && !rightInvariant) {
                    bugExit = 1;
                }
                exit = Runner.worse(exit, bugExit);
                verdicts.add(String.format("%-18s buggy %s%-6s fixed %-10s %s", b.key(),
                        buggy.result().verdict(), buggy.result().invariantId() == null ? "" : " (" + buggy.result().invariantId() + ")",
                        fixed.result().verdict(), bugExit == 0 ? "ok" : bugExit == 3 ? "undecided" : "WRONG"));
            }
            System.out.println();
            verdicts.forEach(System.out::println);
            runner.finish(exit);
            return exit;
        }
    }
}
