package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I10;
import static dev.mmcheck.model.invariants.KernelProperty.I7;

/** The maple-tree bugs (v6.1+): munmap's error path (B16, two fixes) and the stack's tree store under the read lock (MT1, B18). */
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
                        Introduced.by(Feature.MAPLE_TREE), List.of(Exercise.on(VmaLockScenarios::faultVsMunmapEnomem), Exercise.on(MapleScenarios::munmapTreeStoreEnomem),
                                Exercise.on(MapleScenarios::munmapTreeStoreEnomemVsFaults3cpu))),
                // 606c812eb1d5's own error path: v6.4.0 only among mainline releases (none offered),
                // and no 6.1.y release (6.1.37 took both fixes), so shown on the v6.1 composite.
                new Bug("B16", Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR, "",
                        "after a split, a failed side-tree store jumps to munmap's error path without setting the error, so"
                                + " munmap undoes the gather and returns the split's 0 with nothing unmapped",
                        I10, MapleScenarios::munmapSplitThenStoreEnomem,
                        Variant.of(KernelVersion.V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN),
                        Variant.of(KernelVersion.V6_1).with(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN)
                                .with(Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR),
                        Introduced.by(Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN), List.of()),
                // 6.1.0 to 6.1.23: the stack's tree store rewrites the node in place under
                // readers (syzbot 8d95422d3537159ca390). Its fix, RCU mode, turns the same race
                // into StackRot (below), so the fixed variant has both fixes.
                new Bug("MT1", Feature.MAPLE_TREE_RCU_MODE, "",
                        "a stack growth under the mmap read lock that removes the gap below rewrites the maple-tree node in place"
                                + " under readers that hold only that lock (syzbot 8d95422d3537159ca390)",
                        I4, MapleScenarios::stackExpansionVsFindVmaPrev,
                        Variant.of(KernelVersion.V6_1),
                        stackRot().with(Feature.STACK_EXPANSION_WRITE_LOCK),
                        Introduced.by(Feature.MAPLE_TREE), List.of(Exercise.on(MapleScenarios::stackExpansionsRace),
                                Exercise.on(MapleScenarios::stackExpansionVsMadviseVsMunmap3cpu))),
                // The use-after-free form: in RCU mode (6.1.24 on) the stack's tree store replaces
                // the node and RCU frees the old one.
                new Bug("B18", Feature.STACK_EXPANSION_WRITE_LOCK, "CVE-2023-3269",
                        "StackRot: stack expansion replaces a maple-tree node under the mmap read lock, and RCU frees it under a"
                                + " reader that holds only that lock",
                        I7, MapleScenarios::stackExpansionVsFindVmaPrev,
                        stackRot(),
                        stackRot().with(Feature.STACK_EXPANSION_WRITE_LOCK),
                        Introduced.by(Feature.MAPLE_TREE_RCU_MODE), List.of(Exercise.on(MapleScenarios::stackExpansionsRace),
                                Exercise.on(MapleScenarios::stackExpansionVsMadviseVsMunmap3cpu))));
    }

    /** v6.1 with the tree in RCU mode (6.1.24's 3dd443254941) and the stack still growing under the read lock. */
    public static Variant stackRot() {
        return Variant.of(KernelVersion.V6_1).with(Feature.MAPLE_TREE_RCU_MODE);
    }
}
