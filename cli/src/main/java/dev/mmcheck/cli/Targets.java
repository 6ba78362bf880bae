package dev.mmcheck.cli;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Variant;
import dev.mmcheck.reports.GenericStateView;
import dev.mmcheck.reports.StateView;
import dev.mmcheck.reports.kernel.KernelView;
import dev.mmcheck.specs.catalogue.AllScenarios;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the command's names mean: variants (kernel versions, mutants, {@code B3-buggy} style bug
 * variants), scenarios (the catalogue's, the mutants' and the bugs'), and the kernel model
 * behind a catalogue check, so that its traces read in kernel words.
 */
final class Targets {
    /** A variant as the user names it, with the scenario it belongs to (mutants and bugs) or null. */
    record NamedVariant(String name, Variant variant, Supplier<Scenario> home) {
    }

    private Targets() {
    }

    /** Every variant name the command accepts, in listing order. */
    static Map<String, NamedVariant> variants() {
        Map<String, NamedVariant> m = new LinkedHashMap<>();
        Variants.byName().forEach((name, v) -> m.put(name, new NamedVariant(name, v, null)));
        for (Mutant mu : Mutants.all()) {
            m.put(mu.name(), new NamedVariant(mu.name(), mu.variant(), mu.scenario()));
        }
        for (Bug b : Bugs.all()) {
            m.put(b.id() + "-buggy", new NamedVariant(b.id() + "-buggy", b.buggy(), b.scenario()));
            m.put(b.id() + "-fixed", new NamedVariant(b.id() + "-fixed", b.fixed(), b.scenario()));
        }
        return m;
    }

    /**
     * The variant called {@code name}: a kernel version, a mutant, or {@code <bug>-buggy} /
     * {@code <bug>-fixed} where the bug is named by id, fix commit or CVE.
     */
    static NamedVariant variant(String name) {
        Map<String, NamedVariant> all = variants();
        NamedVariant v = all.get(name);
        if (v != null) {
            return v;
        }
        for (String suffix : List.of("-buggy", "-fixed")) {
            if (name.endsWith(suffix)) {
                String key = name.substring(0, name.length() - suffix.length());
                for (Bug b : Bugs.all()) {
                    if (b.matches(key)) {
                        return all.get(b.id() + suffix);
                    }
                }
            }
        }
        Optional<Variant> composite = Variants.composite(name);
        if (composite.isPresent()) {
            return new NamedVariant(name, composite.get(), null);
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'; valid names: " + String.join(", ", all.keySet())
                + " (a bug may also be named by fix commit or CVE, e.g. 7a30df49f63a-buggy; a composite as release+commit,"
                + " e.g. v5.15+6db2526c1d69)");
    }

    /** Every named scenario: the catalogue's, the exhaustive ones, then the mutants' and bugs' own. */
    static Map<String, Supplier<Scenario>> scenarios() {
        return AllScenarios.byName();
    }

    static Supplier<Scenario> scenario(String name) {
        Map<String, Supplier<Scenario>> all = scenarios();
        Supplier<Scenario> s = all.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; valid names: " + String.join(", ", all.keySet()));
        }
        return s;
    }

    /**
     * The view for traces of {@code model}: kernel words when the model is a scenario compiled
     * for a known variant (its name is {@code scenario@variant}), found by building that model
     * again and checking it has the same layout and steps; the generic view otherwise.
     */
    static StateView viewFor(Model model) {
        int at = model.name().indexOf('@');
        if (at > 0) {
            Supplier<Scenario> scenario = scenarios().get(model.name().substring(0, at));
            Variant variant = variantByOwnName(model.name().substring(at + 1));
            if (scenario != null && variant != null) {
                try {
                    KernelModel twin = ScenarioModel.compile(scenario.get(), variant);
                    if (sameShape(model, twin.model())) {
                        return new KernelView(twin.model(), twin.kernel());
                    }
                } catch (RuntimeException e) {
                    // Not the model it looked like: fall back to the generic view below.
                    return new GenericStateView(model);
                }
            }
        }
        return new GenericStateView(model);
    }

    /** A kernel variant by {@link Variant#name()} (which for bug variants differs from the command's name). */
    private static Variant variantByOwnName(String name) {
        for (NamedVariant v : variants().values()) {
            if (v.variant().name().equals(name)) {
                return v.variant();
            }
        }
        return Variants.composite(name).orElse(null);
    }

    private static boolean sameShape(Model a, Model b) {
        if (!a.name().equals(b.name()) || a.transitionCount() != b.transitionCount()) {
            return false;
        }
        List<Field> fa = a.layout().fields();
        List<Field> fb = b.layout().fields();
        if (fa.size() != fb.size()) {
            return false;
        }
        for (int i = 0; i < fa.size(); i++) {
            if (!fa.get(i).name().equals(fb.get(i).name())) {
                return false;
            }
        }
        return true;
    }
}
