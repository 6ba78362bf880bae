package dev.mmcheck.cli;

import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the checks of the catalogue.")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.printf("%-28s %-8s %-9s %s%n", "CHECK", "GROUP", "EXPECTED", "DESCRIPTION");
        for (Check c : Catalogue.all()) {
            System.out.printf("%-28s %-8s %-9s %s%s%n", c.name(), c.group(), c.expected(), c.description(),
                    c.exhaustiveOnly() ? " (exhaustive profile only)" : "");
        }
        return 0;
    }
}
