package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Config;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kernel's own algorithms by name: the releases the model offers (some also with PARAVIRT),
 * and v4.20 as later fixed (a composite). Mutants and historical-bug variants are listed by
 * {@link Mutants} and {@link Bugs}.
 */
public final class Variants {
    private Variants() {
    }

    /** do_munmap of v4.12: everything under the write lock. */
    public static Variant v4_12() {
        return Variant.of(KernelVersion.V4_12);
    }

    /** v4.13: mmu_gather raises tlb_flush_pending; nested gathers force a flush (99baac21e458). */
    public static Variant v4_13() {
        return Variant.of(KernelVersion.V4_13);
    }

    /** v4.20 as released: munmap downgrades mmap_sem; has B2 and B3. */
    public static Variant v4_20() {
        return Variant.of(KernelVersion.V4_20);
    }

    /** __do_munmap of v4.20 with the later fixes of its races (7a30df49f63a, 246c320a8cfe; 209954cbc7d0 closes CS3). */
    public static Variant v4_20Fixed() {
        return Variant.of(KernelVersion.V4_20)
                .with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES)
                .with(Feature.NO_DOWNGRADE_NEXT_TO_STACK)
                .with(Feature.LAZY_MM_CPUMASK)
                .named("v4.20-fixed", "Linux v4.20 munmap with mmap_sem downgrade, plus 7a30df49f63a, 246c320a8cfe and 209954cbc7d0 (CS3)");
    }

    /**
     * Every release the model offers in the default configuration, and a configuration's build of
     * a release where the features that configuration adds change (from the facts: v4.19, where
     * RCU table freeing becomes PARAVIRT-only; in v4.14-v4.18 every x86 kernel has it). The
     * release matrix's columns.
     */
    public static List<Variant> releases() {
        List<Variant> list = new ArrayList<>();
        KernelVersion previous = null;
        for (KernelVersion version : KernelVersion.values()) {
            list.add(Variant.of(version));
            for (Config c : Config.values()) {
                Set<Feature> added = addedBy(version, c);
                if (!added.isEmpty() && (previous == null || !added.equals(addedBy(previous, c)))) {
                    list.add(Variant.of(version, c));
                }
            }
            previous = version;
        }
        return list;
    }

    /** The features that building {@code version} with {@code c} adds to its default configuration. */
    private static Set<Feature> addedBy(KernelVersion version, Config c) {
        Set<Feature> s = version.features(EnumSet.of(c));
        s.removeAll(version.features());
        return s;
    }

    /** The correct algorithms, which must hold in every scenario. */
    public static List<Variant> correct() {
        return List.of(v4_12(), v4_13(), v4_20Fixed());
    }

    /** Every named kernel variant, by name. */
    public static Map<String, Variant> byName() {
        Map<String, Variant> m = new LinkedHashMap<>();
        for (Variant release : releases()) {
            m.put(release.name(), release);
        }
        m.put(v4_20Fixed().name(), v4_20Fixed());
        return m;
    }

    /**
     * A composite named as {@link Variant#with}/{@link Variant#without} name it: a release, its
     * configurations, then commits added or removed, e.g. {@code v5.15+6db2526c1d69} or
     * {@code v4.19-paravirt-d86564a2f085}; empty when the name is not of that form.
     */
    public static Optional<Variant> composite(String name) {
        String[] parts = name.split("(?=[+-])");
        Optional<KernelVersion> release = Arrays.stream(KernelVersion.values()).filter(v -> v.label().equals(parts[0])).findFirst();
        if (release.isEmpty()) {
            return Optional.empty();
        }
        List<Config> configs = new ArrayList<>();
        int i = 1;
        for (; i < parts.length; i++) {
            String label = parts[i].substring(1);
            Optional<Config> c = Arrays.stream(Config.values()).filter(x -> x.label().equals(label)).findFirst();
            if (!parts[i].startsWith("-") || c.isEmpty()) {
                break;
            }
            configs.add(c.get());
        }
        Variant v = Variant.of(release.get(), configs.toArray(new Config[0]));
        for (; i < parts.length; i++) {
            String id = parts[i].substring(1);
            Optional<Feature> f = Arrays.stream(Feature.values()).filter(x -> x.commit().equals(id)).findFirst();
            if (f.isEmpty()) {
                return Optional.empty();
            }
            v = parts[i].startsWith("+") ? v.with(f.get()) : v.without(f.get());
        }
        return Optional.of(v);
    }

    /** The variant called {@code name} (a named one or a composite); an error listing the valid names otherwise. */
    public static Variant find(String name) {
        Variant v = byName().get(name);
        if (v == null) {
            v = composite(name).orElse(null);
        }
        if (v == null) {
            throw new IllegalArgumentException("unknown variant '" + name + "'; valid names: "
                    + byName().keySet().stream().collect(Collectors.joining(", ")));
        }
        return v;
    }
}
