package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.List;

/** The userfaultfd bugs of shared/kernel/BUGS.md that the model reproduces. */
public final class UffdBugs {
    private UffdBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("B11", "df2cc96e7701", "",
                        "UFFDIO_COPY lands between a non-cooperative event's prep and the monitor reading it (no mmap_changing)",
                        "I5", UffdScenarios::munmapVsBackgroundCopy,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.UFFD_MMAP_CHANGING)));
    }
}
