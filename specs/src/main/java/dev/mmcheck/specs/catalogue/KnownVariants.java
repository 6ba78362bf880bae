package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every variant by its unique id: the kernel versions, the kernel variants the catalogue runs,
 * the mutants, and each historical bug's buggy and fixed variant. Reports name variants by these
 * ids and {@link #find} resolves them back, so whatever a report names can be run again.
 */
public final class KnownVariants {
    private static final Map<String, KnownVariant> ALL = build();

    private KnownVariants() {
    }

    private static Map<String, KnownVariant> build() {
        Map<String, KnownVariant> m = new LinkedHashMap<>();
        Variants.byName().values().forEach(v -> add(m, new KnownVariant(v.name(), KnownVariant.Kind.KERNEL, v, null)));
        for (Check c : Catalogue.all()) {
            if (c.kernel() != null && c.group().equals("kernel")) {
                Variant v = c.kernel().variant();
                add(m, new KnownVariant(v.name(), KnownVariant.Kind.KERNEL, v, null));
            }
        }
        for (Mutant mu : Mutants.all()) {
            add(m, new KnownVariant(mu.variant().name(), KnownVariant.Kind.MUTANT, mu.variant(), mu.scenario()));
        }
        for (Bug b : Bugs.all()) {
            add(m, new KnownVariant(b.buggyId(), KnownVariant.Kind.BUG, b.namedBuggy(), b.scenario()));
            add(m, new KnownVariant(b.fixedId(), KnownVariant.Kind.BUG, b.namedFixed(), b.scenario()));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Adds {@code v} unless the same variant is there already; two different variants may not share an id. */
    private static void add(Map<String, KnownVariant> m, KnownVariant v) {
        KnownVariant old = m.putIfAbsent(v.id(), v);
        if (old != null && !sameAlgorithm(old.variant(), v.variant())) {
            throw new IllegalStateException("two different variants are named '" + v.id() + "'");
        }
    }

    /** Same version, features and patched steps (patches are code, so their names stand for them). */
    static boolean sameAlgorithm(Variant a, Variant b) {
        return a.base() == b.base() && a.features().equals(b.features()) && a.patches().equals(b.patches());
    }

    /** Every variant by id, in listing order: kernel, mutants, bugs. */
    public static Map<String, KnownVariant> all() {
        return ALL;
    }

    /**
     * The variant called {@code name}: its id, or for a bug variant also {@code <bug>-buggy} /
     * {@code <bug>-fixed} with the bug named by id, fix commit or CVE, as long as that names one
     * entry (B6 has two fixes, so {@code B6-buggy} is ambiguous and the error lists both ids).
     */
    public static KnownVariant find(String name) {
        KnownVariant v = ALL.get(name);
        if (v != null) {
            return v;
        }
        for (String suffix : List.of("-buggy", "-fixed")) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String key = name.substring(0, name.length() - suffix.length());
                List<Bug> bugs = Bugs.all().stream().filter(b -> b.matches(key)).collect(Collectors.toList());
                if (bugs.size() == 1) {
                    return ALL.get(bugs.get(0).key() + suffix);
                }
                if (bugs.size() > 1) {
                    throw new IllegalArgumentException("variant '" + name + "' is ambiguous: " + key + " names "
                            + bugs.size() + " bug fixes; use " + bugs.stream().map(b -> b.key() + suffix)
                            .collect(Collectors.joining(" or ")));
                }
            }
        }
        Optional<Variant> composite = Variants.composite(name);
        if (composite.isPresent()) {
            return new KnownVariant(name, KnownVariant.Kind.KERNEL, composite.get(), null);
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'; valid names: " + String.join(", ", ALL.keySet())
                + " (a bug variant may also be named <bug id, fix commit or CVE>-buggy or -fixed, e.g. B3-buggy;"
                + " a composite as release+commit, e.g. v5.15+6db2526c1d69)");
    }
}
