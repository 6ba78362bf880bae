package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I5;

/** The userfaultfd bugs the model reproduces: B11 of shared/kernel/BUGS.md, and UF2 (a759a909d42d). */
public final class UffdBugs {
    private UffdBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("B11", Feature.UFFD_MMAP_CHANGING, "",
                        "UFFDIO_COPY lands between a non-cooperative event's prep and the monitor reading it (no mmap_changing)",
                        I5, UffdScenarios::munmapVsBackgroundCopy,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.UFFD_MMAP_CHANGING),
                        Introduced.longStanding("the non-cooperative userfaultfd events (v4.11)"),
                        List.of(Exercise.on(UffdScenarios::dontneedVsBackgroundCopy), Exercise.on(UffdScenarios::copyRetryVsMunmap),
                                Exercise.on(UffdScenarios::munmapVsCopyOtherVma),
                                Exercise.on(UffdScenarios::faultCopyRetryVsMunmap), Exercise.on(UffdScenarios::twoUnmapEvents),
                                Exercise.on(UffdScenarios::dontneedAndMunmapEvents), Exercise.on(UffdRegisterScenarios::registerThenMunmap),
                                Exercise.on(UffdRegisterScenarios::registerThenMunmapAndDontneed),
                                Exercise.on(PtReclaimScenarios::reclaimVsUffdCopy), Exercise.on(PtReclaimScenarios::reclaimVsUserfault3cpu))),
                // a759a909d42d's message: a concurrent MADV_DONTNEED can leave mmap_changing false
                // although a remove event was not read yet. Not in BUGS.md; listed here as UF2.
                new Bug("UF2", Feature.UFFD_MMAP_CHANGING_COUNT, "",
                        "the mmap_changing bool is cleared by the first of two events to complete; UFFDIO_COPY lands before the monitor read the other",
                        I5, UffdScenarios::dontneedAndMunmapEvents,
                        Variant.of(KernelVersion.V4_19),
                        Variant.of(KernelVersion.V4_19).with(Feature.UFFD_MMAP_CHANGING_COUNT),
                        Introduced.by(Feature.UFFD_MMAP_CHANGING),
                        List.of(Exercise.on(UffdScenarios::twoUnmapEvents), Exercise.on(UffdRegisterScenarios::registerThenMunmapAndDontneed))));
    }
}
