package dev.mmcheck.model;

import dev.mmcheck.checker.program.Effect;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An algorithm to check: a kernel version, optionally with single features added or removed (a
 * fix commit backported, or reverted) and named steps patched (a mutant or a proposed change).
 * Immutable; every {@code with*} returns a new variant.
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
    private final Set<Feature> features;
    private final Map<String, StepPatch> patches;
    private final Map<String, String> patchReasons;

    private Variant(String name, String description, KernelVersion base, Set<Feature> features,
                    Map<String, StepPatch> patches, Map<String, String> patchReasons) {
        this.name = name;
        this.description = description;
        this.base = base;
        this.features = features;
        this.patches = patches;
        this.patchReasons = patchReasons;
    }

    /** The kernel's own algorithm at {@code version}. */
    public static Variant of(KernelVersion version) {
        return new Variant(version.label(), "Linux " + version.label(), version, version.features(),
                Map.of(), Map.of());
    }

    public Variant named(String newName, String newDescription) {
        return new Variant(newName, newDescription, base, features, patches, patchReasons);
    }

    public Variant with(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.add(f);
        return new Variant(name + "+" + f.commit(), description + " with " + f.commit(), base, s, patches, patchReasons);
    }

    public Variant without(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.remove(f);
        return new Variant(name + "-" + f.commit(), description + " without " + f.commit(), base, s, patches, patchReasons);
    }

    /**
     * The same version and features without the step patches: what a mutant or a proposed change
     * started from, so that it can be checked to hold where the patched variant does not.
     */
    public Variant unpatched() {
        Variant v = Variant.of(base);
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
        return new Variant(name, description, base, features, Collections.unmodifiableMap(p), Collections.unmodifiableMap(r));
    }

    public String name() { return name; }
    public String description() { return description; }
    public KernelVersion base() { return base; }
    public boolean has(Feature f) { return features.contains(f); }
    public Set<Feature> features() { return Collections.unmodifiableSet(features); }
    /** Patched step names and why, in the order given. */
    public Map<String, String> patches() { return patchReasons; }

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
