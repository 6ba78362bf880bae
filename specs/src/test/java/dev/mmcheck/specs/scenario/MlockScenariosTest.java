package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.KernelVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** mlock / munlock with VMA splits (mm/mlock.c, v4.12) against a concurrent fault: locked_vm (I3). */
class MlockScenariosTest {
    private static final MachineConfig SMALL = MachineConfig.small();
    private static final Variant V4_12 = Variant.of(KernelVersion.V4_12);

    /**
     * VMA [0, 0x4000): T0 mlocks [0, 0x2000) (split at 0x2000), munlocks [0x1000, 0x2000) (split
     * at 0x1000) and munlocks [0x2000, 0x4000) (not locked: no change); T1 faults 0x3000 meanwhile.
     */
    private static Scenario mlockMunlock() {
        return Scenario.named("mlock-munlock-split", "mlock then munlock part of a VMA, with a fault racing")
                .machine(SMALL)
                .vma(0, 4)
                .thread(0, Op.mlock(0, 2), Op.munlock(1, 2), Op.munlock(2, 4))
                .thread(1, Op.access(3));
    }

    @Test
    void mlockThenMunlockOfPartOfAVmaKeepsLockedVmExact() {
        Model model = ScenarioModel.build(mlockMunlock(), V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "three VMAs, [0, 0x1000) locked, locked_vm 1", s -> {
            int locked = 0;
            int vmas = Runs.get(model, s, "mm.map_count");
            for (int v = 0; v < SMALL.vmaSlots(); v++) {
                if (Runs.get(model, s, "vma.in_tree[" + v + "]") == 1 && Runs.get(model, s, "vma.VM_LOCKED[" + v + "]") == 1) {
                    locked++;
                    if (Runs.get(model, s, "vma.vm_start[" + v + "]") != 0 || Runs.get(model, s, "vma.vm_end[" + v + "]") != 1) {
                        return "VMA " + v + " is locked but is not [0, 0x1000)";
                    }
                }
            }
            return vmas == 3 && locked == 1 && Runs.get(model, s, "mm.locked_vm") == 1 && Runs.get(model, s, "T0.failed") == 0
                    ? null : vmas + " VMAs, " + locked + " locked, locked_vm " + Runs.get(model, s, "mm.locked_vm");
        }));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }


    @Test
    void mlockThatRunsOutOfVmaObjectsFailsWithLockedVmUnchanged() {
        MachineConfig two = SMALL.withVmaSlots(2);
        Scenario sc = Scenario.named("mlock-enomem", "mlock the middle of a VMA with one spare VMA object: the second split fails")
                .machine(two)
                .vma(0, 4)
                .thread(0, Op.mlock(1, 2))
                .thread(1, Op.access(0));
        Model model = ScenarioModel.build(sc, V4_12);
        Result r = Runs.check(Runs.withFinalCheck(model, "-ENOMEM, one split kept, nothing locked", s ->
                Runs.get(model, s, "T0.failed") == 1 && Runs.get(model, s, "mm.map_count") == 2
                        && Runs.get(model, s, "mm.locked_vm") == 0 ? null : "unexpected end"));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
    }
}
