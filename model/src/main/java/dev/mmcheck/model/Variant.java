package dev.mmcheck.model;

import dev.mmcheck.checker.program.Patch;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.versions.Config;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;

import java.util.ArrayList;
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
 * Variant mutant = Variant.of(KernelVersion.V4_12).skip(MmuGather.CLEAR_PTE, "never clear the PTE");
 * }</pre>
 *
 * Steps are named by the {@link StepRef} constants the model declares beside the code that
 * writes them ({@code ./mmcheck list steps} lists every step); an edit of a step that the built
 * model does not have is an error when the model is built.
 */
public final class Variant {
    private final String name;
    private final String description;
    private final KernelVersion base;
    private final Set<Config> configs;
    private final Set<Feature> features;
    /** The proposed change, in the order written (see {@link Patch}). */
    private final List<Edit> edits;

    /** One edit of a step: {@code change} is a {@link StepPatch}, {@link GuardPatch}, ... by kind. */
    private record Edit(Patch.Kind kind, StepRef step, String why, Object change) { }

    private Variant(String name, String description, KernelVersion base, Set<Config> configs, Set<Feature> features,
                    List<Edit> edits) {
        this.name = name;
        this.description = description;
        this.base = base;
        this.configs = configs;
        this.features = features;
        this.edits = edits;
        toPatch(null); // reports conflicting edits now, not when a model is built
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
                Collections.unmodifiableSet(c), version.features(c), List.of());
    }

    public Variant named(String newName, String newDescription) {
        return new Variant(newName, newDescription, base, configs, features, edits);
    }

    public Variant with(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.add(f);
        return new Variant(name + "+" + f.commit(), description + " with " + f.commit(), base, configs, s, edits);
    }

    public Variant without(Feature f) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        s.addAll(features);
        s.remove(f);
        return new Variant(name + "-" + f.commit(), description + " without " + f.commit(), base, configs, s, edits);
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

    // ---- proposed changes: each edit targets one step by its constant and says why ---------

    /** Step {@code step} runs another effect (for a call step: other arguments). */
    public Variant replaceEffect(StepRef step, String why, StepPatch effect) {
        return edit(Patch.Kind.REPLACE_EFFECT, step, why, effect);
    }

    /** Step {@code step} waits for another condition. */
    public Variant replaceGuard(StepRef step, String why, GuardPatch guard) {
        return edit(Patch.Kind.REPLACE_GUARD, step, why, guard);
    }

    /** Step {@code step} (or one alternative) is deleted with its jumps; its label names the next step. */
    public Variant skip(StepRef step, String why) {
        return edit(Patch.Kind.SKIP, step, why, null);
    }

    /** New steps run before step {@code step} (a jump to its label still lands on it). */
    public Variant insertBefore(StepRef step, String why, InsertPatch steps) {
        return edit(Patch.Kind.INSERT_BEFORE, step, why, steps);
    }

    /** New steps run after step {@code step} when it falls through. */
    public Variant insertAfter(StepRef step, String why, InsertPatch steps) {
        return edit(Patch.Kind.INSERT_AFTER, step, why, steps);
    }

    /** Call step {@code step} calls another procedure. */
    public Variant replaceCall(StepRef step, String why, CallPatch callee) {
        return edit(Patch.Kind.REPLACE_CALL, step, why, callee);
    }

    private Variant edit(Patch.Kind kind, StepRef step, String why, Object change) {
        if (kind != Patch.Kind.SKIP && change == null) {
            throw new IllegalArgumentException("variant '" + name + "': " + kind + " " + step + " needs a change, got null");
        }
        List<Edit> l = new ArrayList<>(edits);
        l.add(new Edit(kind, step, why, change));
        return new Variant(name, description, base, configs, features, List.copyOf(l));
    }

    /**
     * The proposed change as the program layer applies it, each edit run with {@code kernel};
     * replacements run with {@link Kernel#site()} set to the code being patched, insertions are
     * handed that code.
     */
    Patch toPatch(Kernel kernel) {
        Patch p = Patch.none();
        for (Edit e : edits) {
            p = switch (e.kind()) {
                case REPLACE_EFFECT -> p.replaceEffect(e.step(), e.why(),
                        (site, original) -> kernel.at(site, () -> ((StepPatch) e.change()).apply(kernel, original)));
                case REPLACE_GUARD -> p.replaceGuard(e.step(), e.why(),
                        (site, original) -> kernel.at(site, () -> ((GuardPatch) e.change()).apply(kernel, original)));
                case SKIP -> p.skip(e.step(), e.why());
                case INSERT_BEFORE -> p.insertBefore(e.step(), e.why(), site -> ((InsertPatch) e.change()).write(kernel, site));
                case INSERT_AFTER -> p.insertAfter(e.step(), e.why(), site -> ((InsertPatch) e.change()).write(kernel, site));
                case REPLACE_CALL -> p.replaceCall(e.step(), e.why(),
                        site -> kernel.at(site, () -> ((CallPatch) e.change()).callee(kernel)));
            };
        }
        return p;
    }

    public String name() { return name; }
    public String description() { return description; }
    public KernelVersion base() { return base; }
    /** The configuration the release is built with (empty: the default). */
    public Set<Config> configs() { return configs; }
    public boolean has(Feature f) { return features.contains(f); }
    public Set<Feature> features() { return Collections.unmodifiableSet(features); }
    /**
     * The proposed change, one line per edit in the order given: {@code "skip munmap.up_write:
     * already released"}. Empty for a release or a composite of features.
     */
    public List<String> patches() {
        return edits.stream().map(e -> e.kind() + " " + e.step().name() + ": " + e.why()).toList();
    }

    /** The release's own features in this variant's configuration. */
    private Set<Feature> releaseFeatures() {
        return base.features(configs);
    }

    /**
     * Is this exactly a release (in its configuration): no feature added or removed, no step
     * patched? Otherwise it is a composite, which no kernel tree need have shipped as such.
     */
    public boolean isRelease() {
        return edits.isEmpty() && features.equals(releaseFeatures());
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
        if (!edits.isEmpty()) {
            m.put("patched", edits.stream().map(e -> e.kind() + " " + e.step().name()).collect(Collectors.joining(", ")));
        }
        m.put("features", features.isEmpty() ? "none"
                : features.stream().map(f -> f.name() + " " + f.commit()).collect(Collectors.joining(", ")));
        return m;
    }

    @Override
    public String toString() {
        return name;
    }
}
