package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.scenario.UffdScenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The userfaultfd checks: the uffd scenarios hold from v4.18 on (v4.19, v4.20 with the munmap
 * downgrade, v5.15 with the mmap_changing counter); with two events in flight only the counter
 * holds, the bool of v4.18-v5.14 is cleared by the first event to complete; the mutants are
 * caught; B11 is caught before df2cc96e7701 and holds with it. The UFFDIO_REGISTER scenarios
 * (no VMA starts registered) hold from v4.18 on; with an UNMAP and a REMOVE event of the
 * registered range in flight, again only the counter holds.
 */
public final class UffdChecks {
    private UffdChecks() {
    }

    private static List<Variant> correct() {
        return List.of(Variant.of(KernelVersion.V4_19), Variant.of(KernelVersion.V4_20), Variant.of(KernelVersion.V5_15));
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : UffdScenarios.main()) {
            for (Variant v : correct()) {
                list.add(kernel(sc, v, Verdict.HOLDS, ""));
            }
        }
        for (Supplier<Scenario> sc : List.<Supplier<Scenario>>of(UffdScenarios::twoUnmapEvents, UffdScenarios::dontneedAndMunmapEvents,
                UffdRegisterScenarios::registerThenMunmapAndDontneed)) {
            list.add(kernel(sc, Variant.of(KernelVersion.V5_15), Verdict.HOLDS, ""));
            list.add(kernel(sc, Variant.of(KernelVersion.V4_19), Verdict.VIOLATED,
                    ": the mmap_changing bool is cleared by the first event to complete (I5)"));
        }
        // UFFDIO_REGISTER as an operation (no VMA starts registered).
        for (Supplier<Scenario> sc : UffdRegisterScenarios.main()) {
            for (Variant v : correct()) {
                list.add(kernel(sc, v, Verdict.HOLDS, ""));
            }
        }
        return list;
    }

    private static Check kernel(Supplier<Scenario> sc, Variant v, Verdict expected, String why) {
        return Check.kernel(sc, v, expected, why, false);
    }
}
