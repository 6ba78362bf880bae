package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.TruncateScenarios;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Catalogue entries for truncate over page-cache file mappings (docs/model-file.md): v4.13,
 * v4.20-fixed and v5.17 hold on every scenario; v4.12 holds where no zap of the mm races
 * truncate's zap, and is caught (I2) where madvise does: its gather does not know that another
 * one cleared the PTE (B4, fixed by 99baac21e458 in v4.13).
 */
public final class TruncateChecks {
    private TruncateChecks() {
    }

    /** The variants that must hold on every truncate scenario. */
    public static List<Variant> correct() {
        return List.of(Variants.v4_13(), Variants.v4_20Fixed(), Variant.of(KernelVersion.V5_17));
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Variant v : correct()) {
            for (Supplier<Scenario> sc : TruncateScenarios.all()) {
                list.add(Check.holds(sc, v, false));
            }
        }
        list.add(Check.holds(TruncateScenarios::munmapVsTruncate, Variants.v4_12(), false));
        list.add(Check.holds(TruncateScenarios::faultVsTruncate, Variants.v4_12(), false));
        list.add(Check.holds(TruncateScenarios::munmapVsTruncateVsStore, Variants.v4_12(), false));
        return list;
    }
}
