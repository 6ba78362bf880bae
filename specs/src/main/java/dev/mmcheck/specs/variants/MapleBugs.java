package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I3;

/** The maple-tree munmap bugs of BUGS.md (v6.1+). */
public final class MapleBugs {
    private MapleBugs() {
    }

    public static List<Bug> all() {
        return List.of(
                new Bug("B16", Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN, "",
                        "maple-tree munmap subtracts locked_vm while it gathers VMAs and does not add it back when a later split"
                                + " fails with -ENOMEM",
                        I3, MapleScenarios::munmapEnomemAfterMlocked,
                        Variant.of(KernelVersion.V6_1),
                        Variant.of(KernelVersion.V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN),
                        Introduced.by(Feature.MAPLE_TREE), List.of(Exercise.on(VmaLockScenarios::faultVsMunmapEnomem), Exercise.on(MapleScenarios::munmapTreeStoreEnomem))));
    }
}
