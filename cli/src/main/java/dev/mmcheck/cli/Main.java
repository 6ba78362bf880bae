package dev.mmcheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/**
 * The {@code mmcheck} command: list, check, catalogue, compare, replay, bugs. Exit codes: 0 holds
 * (or every catalogue check gave its expected verdict), 1 violated or deadlock (or a check gave
 * an unexpected verdict), 2 usage or input error, 3 incomplete. Bad input is one line on stderr,
 * never a stack trace.
 */
@Command(name = "mmcheck", mixinStandardHelpOptions = true, version = "mmcheck 0.1.0",
        description = "Explicit-state model checker for Linux munmap and everything that races with it.",
        subcommands = {ListCommand.class, CheckCommand.class, CatalogueCommand.class, CompareCommand.class,
                ReplayCommand.class, BugsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("mmcheck: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException) {
                c.getErr().println("mmcheck: " + ex.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
