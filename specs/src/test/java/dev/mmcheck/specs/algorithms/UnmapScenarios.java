package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.checker.trace.TraceStep;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.CpuRole;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;

import java.util.List;

/**
 * Small scenarios for the unmap side (munmap, madvise(MADV_DONTNEED), the mmu_gather and the TLB
 * shootdown), the variants that must hold on them, and how the tests run and report them. Every
 * machine has 4 pages in page tables of 2 (one table of 4 where the test needs a shared table),
 * 5 frames and 3 VMA slots.
 */
public final class UnmapScenarios {
    /** 2 CPUs, each running a thread of the mm. */
    public static final MachineConfig TWO_CPUS = new MachineConfig(2, 2, 4, 2, 5, 3, 0, 7);
    /** 3 CPUs: two threads, CPU2 left for a lazy kernel thread. */
    public static final MachineConfig LAZY_CPU2 = new MachineConfig(3, 2, 4, 2, 5, 3, 0, 7);

    private UnmapScenarios() {
    }

    /**
     * The algorithms without known bugs in these paths: v4.12; v4.20 with 7a30df49f63a and v5.8,
     * both with 209954cbc7d0, since their lazy CPU otherwise shows CS3 (it clears its cpumask bit
     * before its CR3 write when a flush makes it leave).
     */
    public static List<Variant> correctVariants() {
        return List.of(Variant.of(KernelVersion.V4_12),
                Variant.of(KernelVersion.V4_20).with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES).with(Feature.LAZY_MM_CPUMASK),
                Variant.of(KernelVersion.V5_8).with(Feature.LAZY_MM_CPUMASK));
    }

    /** munmap of the lower VMA while the other thread zaps a range across both VMAs. */
    public static Scenario munmapVsMadvise(int gatherBatch) {
        return Scenario.named("munmap-vs-madvise" + batchSuffix(gatherBatch),
                        "T0 munmaps [0x0, 0x2000) while T1 zaps [0x0, 0x3000) with MADV_DONTNEED; both CPUs cache pages")
                .machine(TWO_CPUS.withGatherBatch(gatherBatch))
                .vma(0, 2).vma(2, 4).mapped(0, 1, 2)
                .tlb(0, 1).tlb(1, 0, 2)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.madviseDontneed(0, 3));
    }

    /** Two munmaps that overlap in [0x1000, 0x2000) of an mlocked VMA; T1's needs two splits. */
    public static Scenario munmapVsMunmap() {
        return Scenario.named("munmap-vs-munmap",
                        "T0 munmaps the mlocked [0x0, 0x2000) while T1 munmaps [0x1000, 0x3000) (two splits, three VMA slots)")
                .machine(TWO_CPUS)
                .lockedVma(0, 2).vma(2, 4).mapped(0, 1, 2)
                .tlb(0, 2).tlb(1, 0, 1)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.munmap(1, 3));
    }

    /**
     * munmap of a VMA whose page table lies wholly in the hole, while the other thread zaps the
     * upper VMA; CPU2 is lazy and caches both page tables and pages (the B3 setting).
     */
    public static Scenario munmapVsMadviseLazy(int gatherBatch) {
        return Scenario.named("munmap-vs-madvise-lazy" + batchSuffix(gatherBatch),
                        "T0 munmaps [0x0, 0x2000) (its page table is freed) while T1 zaps [0x2000, 0x4000); CPU2 is lazy")
                .machine(LAZY_CPU2.withGatherBatch(gatherBatch))
                .vma(0, 2).vma(2, 4).mapped(0, 2)
                .cpu(2, CpuRole.LAZY).tlb(2, 0, 2).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.madviseDontneed(2, 4));
    }

    /** Both VMAs unmapped at once by two threads, with a lazy CPU2 caching both tables. */
    public static Scenario munmapVsMunmapLazy() {
        return Scenario.named("munmap-vs-munmap-lazy",
                        "T0 munmaps [0x0, 0x2000) while T1 munmaps [0x2000, 0x4000); CPU2 is lazy")
                .machine(LAZY_CPU2)
                .vma(0, 2).vma(2, 4).mapped(0, 2)
                .cpu(2, CpuRole.LAZY).tlb(2, 0, 2)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.munmap(2, 4));
    }

    /** munmap of the VMA just below a stack while the other thread zaps the stack. */
    public static Scenario munmapBelowStack() {
        return Scenario.named("munmap-below-stack",
                        "T0 munmaps [0x0, 0x2000) just below the VM_GROWSDOWN [0x2000, 0x4000) that T1 zaps")
                .machine(TWO_CPUS)
                .vma(0, 2).stackVma(2, 4).mapped(0, 2)
                .tlb(0, 2).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.madviseDontneed(2, 4));
    }

    /** Every race scenario the correct variants must hold on. */
    public static List<Scenario> races() {
        return List.of(munmapVsMadvise(7), munmapVsMadvise(1), munmapVsMunmap(),
                munmapVsMadviseLazy(7), munmapVsMadviseLazy(2), munmapVsMunmapLazy(), munmapBelowStack());
    }

    private static String batchSuffix(int gatherBatch) {
        return gatherBatch == 7 ? "" : "-batch" + gatherBatch;
    }

    // ---- running ---------------------------------------------------------------------------------

    /** A finished run: the model and what the checker said about it. */
    public record Run(ProgramModel model, Result result) {
        /** How often {@code actor}'s step {@code label} was taken during the exploration. */
        public long fired(String actor, String label) {
            long n = 0;
            for (int id = 0; id < model.transitionCount(); id++) {
                if (model.transition(id).actor().toString().equals(actor) && model.transition(id).label().equals(label)) {
                    n += result.statistics().transitionsFired()[id];
                }
            }
            return n;
        }
    }

    /** Explores {@code scenario} under {@code variant} exhaustively and prints the verdict line. */
    public static Run run(Scenario scenario, Variant variant) {
        ProgramModel model = ScenarioModel.build(scenario, variant);
        Result r = Checker.check(model, SearchOptions.defaults().withWorkers(2));
        System.out.printf("[mmcheck] %-28s @ %-24s %s%n", scenario.name(), variant.name(), r.summary()
                + (r.trace() == null ? "" : " — trace of " + r.trace().length() + " steps, " + r.invariant()));
        return new Run(model, r);
    }

    /** {@link #run}'s result. */
    public static Result check(Scenario scenario, Variant variant) {
        return run(scenario, variant).result();
    }

    /** The position of the first step of {@code actor} labelled {@code label} in the trace, or -1. */
    public static int indexOf(Trace trace, String actor, String label) {
        List<TraceStep> steps = trace.steps();
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).transition().actor().toString().equals(actor) && steps.get(i).transition().label().equals(label)) {
                return i;
            }
        }
        return -1;
    }

    /** The trace as "actor: label" lines, for failure messages. */
    public static String story(Trace trace) {
        StringBuilder sb = new StringBuilder();
        for (TraceStep st : trace.steps()) {
            if (!st.isInitial()) {
                sb.append("  ").append(st.transition().title()).append('\n');
            }
        }
        return sb.toString();
    }
}
