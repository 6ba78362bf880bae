package dev.mmcheck.model;

import dev.mmcheck.checker.program.Effect;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An algorithm to check: a kernel release in a configuration, optionally with single features
 * added or removed (a fix commit backported, or reverted) and named steps patched (a mutant or a
 * proposed change). A variant with nothing added, removed or patched is exactly that release
 * ({@link #isRelease()}); any other is a composite, and its name says what was added. Immutable;
 * every {@code with*} returns a new variant.
 *
 * <pre>{@code
 * Variant buggy = Variant.of(KernelVersion.V4_20);                                   // has B3
 * Variant fixed = buggy.with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES).named("v4.20+7a30df49f63a", "...");
 * Variant mutant = Variant.of(KernelVersion.V4_12).patch("zap_pte_range.ptep_get_and_clear_full", "never clear the PTE",
 *         (k, original) -> s -> {});
 * }</pre>
 *
 * Step names are {@code "procedure.label"} for steps inside procedures; a patch naming a step
 * that the built model does not have is an error when the model is built.
 */
public final class Variant {
    private final String name;
    private final String description;
    private final KernelVersion base;
    private final Set<Config> configs;
    private final Set<Feature> features;
    private final Map<String, StepPatch> patches;
    private final Map<String, String> patchReasons;

    private Variant(String name, String description, KernelVersion base, Set<Config> configs, Set<Feature> features,
                    Map<String, StepPatch> patches, Map<String, String> patchReasons) {
        this.name = name;
        this.description = description;
        this.base = base;
        this.configs = configs;
        this.features = features;
        this.patches = patches;
        this.patchReasons = patchReasons;
    }

    /** The kernel's own algorithm at {@code version}, default configuration (x86-64, no PARAVIRT). */
    public static Variant of(KernelVersion version) {
        return of(version, new Config[0]);
    }

    /** The kernel's own algorithm at {@code version} built with {@code configs}: {@code v4.14-paravirt}. */
    public static Variant of(KernelVersion version, Config... configs) {
        Set<Config> c = EnumSet.noneOf(Config.class);
        c.addAll(List.of(configs));
        String suffix = c.stream().map(x -> "-" + x.label()).collect(Collectors.joining());
        String built = c.isEmpty() ? "" : c.stream().map(x -> "CONFIG_" + x.name()).collect(Collectors.joining(", ", " (", ")"));
        return new Variant(version.label() + suffix, "Linux " + version.label() + built, version,
                Collections.unmodifiableSet(c), version.features(c), Map.of(), Map.of());
    }

    public Variant named(String newName, String newDescription) {
        return new Variant(newName, newDescription, base, configs, features, patches, patchReasons);
    }

    public Variant with(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.add(f);
        return new Variant(name + "+" + f.commit(), description + " with " + f.commit(), base, configs, s, patches, patchReasons);
    }

    public Variant without(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.remove(f);
        return new Variant(name + "-" + f.commit(), description + " without " + f.commit(), base, configs, s, patches, patchReasons);
    }

    /**
     * The same version and features without the step patches: what a mutant or a proposed change
     * started from, so that it can be checked to hold where the patched variant does not.
     */
    public Variant unpatched() {
        Variant v = Variant.of(base, configs.toArray(new Config[0]));
        for (Feature f : Feature.values()) {
            if (features.contains(f) && !v.has(f)) {
                v = v.with(f);
            } else if (!features.contains(f) && v.has(f)) {
                v = v.without(f);
            }
        }
        return v;
    }

    /** Replaces the effect of step {@code step}; {@code why} is shown in reports. */
    public Variant patch(String step, String why, StepPatch patch) {
        Map<String, StepPatch> p = new LinkedHashMap<>(patches);
        Map<String, String> r = new LinkedHashMap<>(patchReasons);
        if (p.put(step, patch) != null) {
            throw new IllegalArgumentException("variant '" + name + "' patches step '" + step + "' twice");
        }
        r.put(step, why);
        return new Variant(name, description, base, configs, features, Collections.unmodifiableMap(p), Collections.unmodifiableMap(r));
    }

    public String name() { return name; }
    public String description() { return description; }
    public KernelVersion base() { return base; }
    /** The configuration the release is built with (empty: the default). */
    public Set<Config> configs() { return configs; }
    public boolean has(Feature f) { return features.contains(f); }
    public Set<Feature> features() { return Collections.unmodifiableSet(features); }
    /** Patched step names and why, in the order given. */
    public Map<String, String> patches() { return patchReasons; }

    /** The release's own features in this variant's configuration. */
    private Set<Feature> releaseFeatures() {
        return base.features(configs);
    }

    /**
     * Is this exactly a release (in its configuration): no feature added or removed, no step
     * patched? Otherwise it is a composite, which no kernel tree need have shipped as such.
     */
    public boolean isRelease() {
        return patches.isEmpty() && features.equals(releaseFeatures());
    }

    /** Features this variant has that its release lacks, in {@link Feature} order. */
    public Set<Feature> added() {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.removeAll(releaseFeatures());
        return s;
    }

    /** Features of the release that this variant removed. */
    public Set<Feature> removed() {
        Set<Feature> s = releaseFeatures();
        s.removeAll(features);
        return s;
    }

    /**
     * What a report says about the variant: {@code release}, {@code config}, {@code kind}
     * (release or composite), {@code added}/{@code removed} (commit and feature, when any),
     * {@code patched} steps (when any) and every {@code features} it has.
     */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("release", base.label());
        m.put("config", configs.isEmpty() ? "default (x86-64)"
                : configs.stream().map(c -> "CONFIG_" + c.name()).collect(Collectors.joining(", ")));
        m.put("kind", isRelease() ? "release" : "composite, not a release");
        if (!added().isEmpty()) {
            m.put("added", added().stream().map(f -> "+" + f.commit() + " " + f.name()).collect(Collectors.joining(", ")));
        }
        if (!removed().isEmpty()) {
            m.put("removed", removed().stream().map(f -> "-" + f.commit() + " " + f.name()).collect(Collectors.joining(", ")));
        }
        if (!patches.isEmpty()) {
            m.put("patched", String.join(", ", patchReasons.keySet()));
        }
        m.put("features", features.isEmpty() ? "none"
                : features.stream().map(f -> f.name() + " " + f.commit()).collect(Collectors.joining(", ")));
        return m;
    }

    /** The effect step {@code step} runs in this variant. */
    Effect effect(Kernel kernel, String step, Effect original) {
        StepPatch p = patches.get(step);
        return p == null ? original : p.apply(kernel, original);
    }

    boolean patches(String step) {
        return patches.containsKey(step);
    }

    @Override
    public String toString() {
        return name;
    }
}
