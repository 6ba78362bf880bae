package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Catalogue entries for the maple-tree kernels beyond the release matrix: v6.1 with what the
 * 6.1.y stable tree took in 6.1.37 for the paths the scenarios exercise (the stack grows under
 * the write lock, 8d7071af8907; munmap subtracts locked_vm at the point of no return,
 * 606c812eb1d5, and returns a failed side-tree store's error, 6c26bd4384da), on the stack and
 * munmap-error scenarios, which must hold (docs/model-maple.md).
 */
public final class MapleChecks {
    private MapleChecks() {
    }

    /** v6.1 with the 6.1.37 stack and munmap fixes (a composite: not a release). */
    public static Variant stable6137() {
        return Variant.of(KernelVersion.V6_1).with(Feature.STACK_EXPANSION_WRITE_LOCK).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN)
                .with(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR);
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        List<Supplier<Scenario>> scenarios = new ArrayList<>(List.of(Scenarios::munmapNextToGrowingStack));
        scenarios.addAll(MapleScenarios.all());
        for (Supplier<Scenario> sc : scenarios) {
            list.add(Check.holds(sc, stable6137(), sc.get().isExhaustiveOnly()));
        }
        return list;
    }
}
