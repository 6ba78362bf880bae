package dev.mmcheck.cli;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.KnownScenarios;
import dev.mmcheck.specs.catalogue.KnownVariant;
import dev.mmcheck.specs.catalogue.KnownVariants;
import dev.mmcheck.specs.catalogue.PatchableSteps;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List variants, scenarios, invariants and the checks of the catalogue, one line each.")
final class ListCommand implements Callable<Integer> {
    private static final List<String> WHAT = List.of("variants", "scenarios", "invariants", "checks", "steps");

    @Parameters(arity = "0..1", paramLabel = "WHAT",
            description = "variants, scenarios, invariants, checks or steps (default: the first four).")
    String what;

    @Option(names = "--variant", paramLabel = "VARIANT",
            description = "For steps: the variant whose steps to list (default: v4.20-fixed).")
    String variant;

    @Option(names = "--scenario", paramLabel = "SCENARIO",
            description = "For steps: only the steps this scenario's model writes (default: every scenario).")
    String scenario;

    @Override
    public Integer call() {
        if (what != null && !WHAT.contains(what)) {
            throw new IllegalArgumentException("list: '" + what + "' is not a list; use one of " + String.join(", ", WHAT));
        }
        if ((variant != null || scenario != null) && !"steps".equals(what)) {
            throw new IllegalArgumentException("list: --variant and --scenario go with 'list steps' only");
        }
        if ("steps".equals(what)) {
            steps();
            return 0;
        }
        if (what == null || what.equals("variants")) {
            section("VARIANTS (mmcheck check VARIANT)");
            for (KnownVariant v : KnownVariants.all().values()) {
                String kind = v.kind() != KnownVariant.Kind.KERNEL ? v.kind().label()
                        : v.variant().isRelease() ? "release" : "composite";
                System.out.printf("%-32s %-9s %s%s%n", v.id(), kind, v.variant().description(),
                        v.home() == null ? "" : " [scenario " + v.home().get().name() + "]");
            }
        }
        if (what == null || what.equals("scenarios")) {
            section("SCENARIOS (--scenario NAME; * = main, run by --all)");
            Set<String> main = new HashSet<>();
            Scenarios.main().forEach(s -> main.add(s.get().name()));
            for (Supplier<Scenario> s : KnownScenarios.all().values()) {
                Scenario sc = s.get();
                System.out.printf("%-34s %s %s%s%n", sc.name(), main.contains(sc.name()) ? "*" : " ", sc.description(),
                        sc.isExhaustiveOnly() ? " (large)" : "");
            }
        }
        if (what == null || what.equals("invariants")) {
            section("INVARIANTS (every kernel model checks all of them)");
            for (Invariant inv : ScenarioModel.build(Scenarios.munmapVsFaultSameVma(), Variants.v4_12()).invariants()) {
                System.out.println(inv.name());
            }
            System.out.println("I6 no deadlock (the engine's deadlock check)");
        }
        if (what == null || what.equals("checks")) {
            section("CHECKS (mmcheck catalogue [CHECK...])");
            for (Check c : Catalogue.all()) {
                System.out.printf("%-48s %-8s %-9s %s%s%n", c.name(), c.group(), c.expected(), c.description(),
                        c.exhaustiveOnly() ? " (exhaustive profile only)" : "");
            }
        }
        return 0;
    }

    /**
     * Every step and either alternative the variant's models write, with the StepRef constant
     * that names it (where the model declares one) and its source reference.
     */
    private void steps() {
        KnownVariant v = KnownVariants.find(variant == null ? "v4.20-fixed" : variant);
        List<Supplier<Scenario>> scenarios = scenario == null ? List.copyOf(KnownScenarios.all().values())
                : List.of(KnownScenarios.find(scenario));
        Map<String, String> steps = PatchableSteps.of(v.variant(), scenarios);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("list steps: variant " + v.id() + " runs none of the scenarios given");
        }
        Map<String, String> constants = new HashMap<>();
        PatchableSteps.constants().forEach((ref, name) -> constants.put(ref.name(), name));
        section("STEPS of " + v.id() + (scenario == null ? " on every scenario" : " on " + scenario)
                + " (STEP, the StepRef constant naming it, SOURCE); patch them in a Variant or VariantCheck");
        int width = constants.values().stream().mapToInt(String::length).max().orElse(1);
        steps.forEach((name, source) -> System.out.printf("%-64s %-" + width + "s  %s%n", name,
                constants.getOrDefault(name, "-"), source));
    }

    private static void section(String title) {
        System.out.println();
        System.out.println(title);
    }
}
