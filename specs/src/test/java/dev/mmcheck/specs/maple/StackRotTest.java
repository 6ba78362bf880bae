package dev.mmcheck.specs.maple;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.model.versions.UnmodelledChange;
import dev.mmcheck.model.syscalls.Madvise;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.MapleBugs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack's maple-tree store under the mmap read lock (v6.1 to v6.4): the node rewritten in
 * place under readers (MT1, 6.1.0) and replaced and RCU-freed under them (StackRot, B18,
 * CVE-2023-3269, 6.1.24 on).
 */
class StackRotTest {
    private static final Variant STACKROT = MapleBugs.stackRot();

    /** The published interleaving: T1's find_vma_prev walks, T0's expansion replaces the node, T1 reads it. */
    @Test
    void theRcuModeTreeIsCaughtWithThePublishedInterleaving() {
        Violation v = VariantCheck.of(STACKROT).on(MapleScenarios::stackExpansionVsFindVmaPrev).assertViolates(I7);
        String trace = v.toString();
        int walk = trace.indexOf(Madvise.FIND_VMA_PREV_MAS_WALK.label());
        int store = trace.indexOf(PageFault.EXPAND_STACK.label());
        int read = trace.indexOf(Madvise.FIND_VMA_PREV.label(), walk + Madvise.FIND_VMA_PREV_MAS_WALK.label().length());
        assertTrue(walk > 0 && store > walk && read > store, trace);
        assertTrue(trace.contains("read a maple-tree node") && trace.contains("task.mas.node[1]: 0 -> 1"), trace);
        assertEquals(12, v.counterexample().trace().steps().size() - 1, trace); // the initial state is not a step
    }

    /** expand_downwards' own mas_prev is the second reader: two faults growing one stack. */
    @Test
    void twoExpandersAreCaughtToo() {
        Violation v = VariantCheck.of(STACKROT).on(MapleScenarios::stackExpansionsRace).assertViolates(I7);
        assertTrue(v.toString().contains(PageFault.EXPAND_MAS_WALK.label()), v.toString());
    }

    /** 8d7071af8907 (6.1.37, v6.5) grows the stack under the write lock: no node changes under a reader. */
    @Test
    void theStackUnderTheWriteLockHolds() {
        for (Variant fixed : List.of(STACKROT.with(Feature.STACK_EXPANSION_WRITE_LOCK), Variant.of(KernelVersion.V6_6))) {
            VariantCheck.of(fixed).on(MapleScenarios::stackExpansionVsFindVmaPrev).assertHolds();
            VariantCheck.of(fixed).on(MapleScenarios::stackExpansionsRace).assertHolds();
        }
        VariantCheck.of(KernelVersion.V5_19).on(MapleScenarios::stackExpansionVsFindVmaPrev).assertHolds();
    }

    /** A growth that only moves a pivot (the gap below stays) writes in place: nothing to catch. */
    @Test
    void aGrowthThatKeepsTheGapReplacesNoNode() {
        Scenario sc = Scenario.named("stack-growth-keeps-gap", "T0 stores to 0x2000 below the stack [0x3000, 0x4000), which"
                        + " stays above the VM_GROWSDOWN VMA [0x0000, 0x1000); T1 madvise(DONTNEED)s [0x3000, 0x4000)")
                .machine(MachineConfig.small())
                .stackVma(0, 1)
                .stackVma(3, 4)
                .thread(0, Op.access(2))
                .thread(1, Op.madviseDontneed(3, 4));
        VariantCheck.of(STACKROT).on(() -> sc).assertHolds();
    }

    /** The guard gap: a stack never grows to abut a VMA that cannot grow down, on any release. */
    @Test
    void aStackDoesNotAbutAPlainVma() {
        Scenario sc = Scenario.named("stack-growth-into-guard-gap", "T0 stores to 0x1000, just above the plain VMA"
                        + " [0x0000, 0x1000) and below the stack [0x2000, 0x4000); T1 madvise(DONTNEED)s [0x2000, 0x3000)")
                .machine(MachineConfig.small())
                .vma(0, 1)
                .stackVma(2, 4)
                .thread(0, Op.access(1))
                .thread(1, Op.madviseDontneed(2, 3));
        VariantCheck.of(STACKROT).on(() -> sc).assertHolds();
        VariantCheck.of(KernelVersion.V4_12).on(() -> sc).assertHolds();
    }

    /**
     * 6.1.0 to 6.1.23 rewrite the node in place (MT1): T1's mas_prev reads a slot of the new
     * layout through a maple state walked in the old one.
     */
    @Test
    void plainV61RewritesTheNodeUnderTheReader() {
        Violation v = VariantCheck.of(KernelVersion.V6_1).on(MapleScenarios::stackExpansionVsFindVmaPrev).assertViolates(I4);
        assertTrue(v.toString().contains("rewrote the node in place"), v.toString());
        VariantCheck.of(KernelVersion.V6_1).on(MapleScenarios::stackExpansionsRace).assertViolates(I4);
        VariantCheck.of(KernelVersion.V6_1).on(Scenarios::munmapNextToGrowingStack).assertHolds();
    }

    /** NUMA scanning's VMA iterator would be a third reader, which the model lacks: refused there. */
    @Test
    void numaScanningNextToAStackIsRefusedWhereNodesAreReplaced() {
        Scenario sc = Scenario.named("stack-and-numa-scan", "T0 faults below the stack while T1 scans it for NUMA")
                .machine(MachineConfig.small())
                .stackVma(2, 4)
                .mapped(2)
                .thread(0, Op.access(1))
                .thread(1, Op.numaScan(2, 3));
        for (Variant v : List.of(STACKROT, Variant.of(KernelVersion.V6_1))) {
            String why = sc.refusal(v);
            assertTrue(why != null && why.contains(UnmodelledChange.NUMA_SCAN_ITERATOR_UNDER_READ_LOCK.name()), String.valueOf(why));
        }
        assertFalse(sc.refusal(STACKROT.with(Feature.STACK_EXPANSION_WRITE_LOCK)) != null
                && sc.refusal(STACKROT.with(Feature.STACK_EXPANSION_WRITE_LOCK)).contains("NUMA_SCAN_ITERATOR"));
    }

    /** Only a mm with a stack, on the variants whose nodes change under readers, carries the node model. */
    @Test
    void theNodeModelExistsOnlyWhereNodesChangeUnderReaders() {
        Supplier<Scenario> stack = MapleScenarios::stackExpansionVsFindVmaPrev;
        assertTrue(fields(stack, STACKROT).contains("task.mas.node[0]"));
        assertTrue(fields(stack, Variant.of(KernelVersion.V6_1)).contains("task.mas.node[0]"));
        assertFalse(fields(stack, STACKROT.with(Feature.STACK_EXPANSION_WRITE_LOCK)).contains("task.mas.node[0]"));
        assertFalse(fields(stack, Variant.of(KernelVersion.V6_6)).contains("task.mas.node[0]"));
        assertFalse(fields(Scenarios::munmapVsMadvise, Variant.of(KernelVersion.V6_1)).contains("task.mas.node[0]"),
                "without a stack nothing rewrites the node under a reader");
    }

    private static List<String> fields(Supplier<Scenario> sc, Variant v) {
        return ScenarioModel.build(sc.get(), v).layout().fields().stream().map(f -> f.name()).toList();
    }
}
