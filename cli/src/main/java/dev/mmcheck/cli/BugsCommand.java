package dev.mmcheck.cli;

import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "bugs", mixinStandardHelpOptions = true,
        description = "List the historical-bug corpus: id, fix commit, CVE, title. 'mmcheck bugs check' runs them.",
        subcommands = BugsCheckCommand.class)
final class BugsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.printf("%-4s %-13s %-15s %-4s %s%n", "ID", "FIX", "CVE", "INV", "TITLE");
        for (Bug b : Bugs.all()) {
            System.out.printf("%-4s %-13s %-15s %-4s %s%n", b.id(), b.fixCommit(), b.cve().isEmpty() ? "-" : b.cve(),
                    b.invariant(), b.title());
        }
        return 0;
    }
}
