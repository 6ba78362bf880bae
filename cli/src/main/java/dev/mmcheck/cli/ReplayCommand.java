package dev.mmcheck.cli;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.reports.Finding;
import dev.mmcheck.reports.ReplayCheck;
import dev.mmcheck.reports.TextTrace;
import dev.mmcheck.reports.TraceFile;
import dev.mmcheck.reports.TraceFiles;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.KernelRun;
import dev.mmcheck.specs.catalogue.KnownScenarios;
import dev.mmcheck.specs.catalogue.KnownVariant;
import dev.mmcheck.specs.catalogue.KnownVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-execute a JSON trace (mmcheck-trace/1) against the scenario and variant it names and "
                + "confirm or refute what it claims: every state it records must be the state re-executed, and the "
                + "last one must break the named invariant (or be a deadlock).",
                "Exit codes: 0 confirmed, 1 refuted (the message names the first step and field that differ), "
                        + "2 the file is malformed, not an mmcheck trace, or names a scenario, variant or check this "
                        + "mmcheck does not know."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE.json", description = "A trace written by mmcheck check or catalogue.")
    Path file;

    @Override
    public Integer call() {
        TraceFile trace = TraceFiles.read(file);
        Target target = target(trace);
        Target.Built built = target.build().get();
        ReplayCheck check;
        try {
            check = TraceFiles.replay(trace, built.model());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        System.out.println(file + ": " + trace.transitions().length + " steps of " + built.model().name()
                + " (" + describe(target.metadata()) + ")");
        if (check.confirmed()) {
            System.out.println("CONFIRMED: " + check.message());
            System.out.println();
            System.out.print(TextTrace.render(check.trace(), built.view().get(),
                    new Finding(trace.verdict(), trace.invariantId(), trace.invariant(), trace.explanation())));
            return 0;
        }
        System.out.println("REFUTED: " + check.message());
        return 1;
    }

    /** The model the file names: its scenario and variant, else its catalogue check, else its model name. */
    private Target target(TraceFile trace) {
        Map<String, String> meta = trace.metadata();
        String where = file + ": ";
        if (meta.containsKey("scenario") && meta.containsKey("variant")) {
            try {
                KnownVariant v = KnownVariants.find(meta.get("variant"));
                return Target.kernel(new KernelRun(KnownScenarios.find(meta.get("scenario")), v.variant()), null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "$.metadata: " + e.getMessage());
            }
        }
        if (meta.containsKey("check")) {
            Check c;
            try {
                c = Catalogue.find(meta.get("check"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "$.metadata.check: " + e.getMessage());
            }
            return Target.of(c);
        }
        for (Check c : Catalogue.all()) {
            Model m = c.model().get();
            if (m.name().equals(trace.model())) {
                return Target.of(c);
            }
        }
        throw new IllegalArgumentException(where + "$.metadata names no scenario and variant, and no check builds model '"
                + trace.model() + "'; this trace was not written by mmcheck check or catalogue");
    }

    private static String describe(Map<String, String> meta) {
        StringBuilder sb = new StringBuilder();
        meta.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
