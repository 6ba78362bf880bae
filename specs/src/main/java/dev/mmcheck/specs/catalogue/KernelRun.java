package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A scenario run with a kernel variant: what every command, check and report names
 * {@code <scenario>@<variant id>} (see {@code docs/naming.md}). The variant's name is its unique
 * id ({@link KnownVariants}), so the name resolves back to this run.
 *
 * @param scenario builds the scenario (fresh per call)
 * @param variant  the algorithm, named by its unique id
 */
public record KernelRun(Supplier<Scenario> scenario, Variant variant) {
    public KernelRun {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(variant, "variant");
    }

    /** {@code munmap-vs-fault@v4.12}, {@code nested-flush-lazy-psc@B3-7a30df49f63a-buggy}. */
    public String name() {
        return scenarioName() + "@" + variant.name();
    }

    public String scenarioName() {
        return scenario.get().name();
    }

    /** The model and the kernel handles its traces are shown with. */
    public KernelModel compile() {
        return ScenarioModel.compile(scenario.get(), variant);
    }
}
