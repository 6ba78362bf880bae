package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.function.Supplier;

/**
 * A variant as the commands and reports name it.
 *
 * @param id      unique among all variants: {@code v4.12}, {@code mutant-skip-ipi}, {@code B3-7a30df49f63a-buggy}
 * @param kind    what it is
 * @param variant the algorithm, named {@code id}
 * @param home    the scenario a mutant or bug variant belongs to; null for kernel variants
 */
public record KnownVariant(String id, Kind kind, Variant variant, Supplier<Scenario> home) {
    /** What a variant is, for listings. */
    public enum Kind {
        /** A kernel version, possibly with single fixes added or removed. */
        KERNEL,
        /** A deliberate mistake the model must catch. */
        MUTANT,
        /** The buggy or fixed variant of a historical bug. */
        BUG;

        /** {@code kernel}, {@code mutant}, {@code bug}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
