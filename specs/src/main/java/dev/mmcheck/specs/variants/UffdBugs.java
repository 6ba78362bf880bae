package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.List;

/** The userfaultfd bugs the model reproduces: B11 of shared/kernel/BUGS.md, and UF2 (a759a909d42d). */
public final class UffdBugs {
    private UffdBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("B11", "df2cc96e7701", "",
                        "UFFDIO_COPY lands between a non-cooperative event's prep and the monitor reading it (no mmap_changing)",
                        "I5", UffdScenarios::munmapVsBackgroundCopy,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.UFFD_MMAP_CHANGING)),
                // a759a909d42d's message: a concurrent MADV_DONTNEED can leave mmap_changing false
                // although a remove event was not read yet. Not in BUGS.md; listed here as UF2.
                new Bug("UF2", "a759a909d42d", "",
                        "the mmap_changing bool is cleared by the first of two events to complete; UFFDIO_COPY lands before the monitor read the other",
                        "I5", UffdScenarios::dontneedAndMunmapEvents,
                        Variant.of(KernelVersion.V4_19),
                        Variant.of(KernelVersion.V4_19).with(Feature.UFFD_MMAP_CHANGING_COUNT)));
    }
}
