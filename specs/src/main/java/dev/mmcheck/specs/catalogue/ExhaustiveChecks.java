package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.specs.scenario.CpuRole;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks too large for the default run ({@code mvn -B verify -Pexhaustive} only): three threads
 * on three CPUs racing munmap, MADV_DONTNEED and a page fault over a 6-frame machine (one scenario with a fourth, lazy-TLB CPU), for the
 * kernel's write-locked munmap (v4.12) and its downgrading one with both later fixes
 * (v4.20-fixed). Both must hold; each takes from several seconds to a few minutes.
 */
public final class ExhaustiveChecks {
    private ExhaustiveChecks() {
    }

    /** 3 CPUs, 3 threads, 4 pages in 2 tables, 6 frames, 3 VMA slots. */
    private static MachineConfig threeThreads() {
        return MachineConfig.small().withCpus(3, 3).withMemory(4, 2, 6);
    }

    /**
     * munmap of the lower table while MADV_DONTNEED zaps across both tables and a third thread
     * faults a page of the upper VMA in; every CPU starts with some of the pages cached.
     */
    public static Scenario munmapMadviseFault() {
        return Scenario.named("munmap-madvise-fault-3cpu",
                        "T0 munmaps [0x0000, 0x2000) while T1 madvise(DONTNEED)s [0x1000, 0x4000) and T2 stores to 0x3000")
                .machine(threeThreads())
                .vma(0, 2).vma(2, 4)
                .mapped(0, 1, 2)
                .tlb(0, 1).tlb(1, 0).tlb(2, 2)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.madviseDontneed(1, 4))
                .thread(2, Op.access(3))
                .exhaustiveOnly();
    }

    /**
     * munmap of a whole 4-page VMA (both page tables freed) while another thread faults into it,
     * a third zaps a page of it, and a fourth CPU in lazy-TLB mode caches a page and its table.
     */
    public static Scenario munmapWholeVsFaultAndMadvise() {
        return Scenario.named("munmap-all-vs-fault-madvise-lazy",
                        "T0 munmaps [0x0000, 0x4000) while T1 stores to 0x1000 and T2 madvise(DONTNEED)s 0x2000; lazy CPU3 caches 0x0000")
                .machine(MachineConfig.small().withCpus(4, 3).withMemory(4, 2, 6))
                .vma(0, 4)
                .mapped(0, 2, 3)
                .tlb(0, 2).tlb(1, 0).tlb(2, 3).tlb(3, 0)
                .cpu(3, CpuRole.LAZY)
                .thread(0, Op.munmap(0, 4))
                .thread(1, Op.access(1))
                .thread(2, Op.madviseDontneed(2, 3))
                .exhaustiveOnly();
    }

    public static List<Supplier<Scenario>> scenarios() {
        return List.of(ExhaustiveChecks::munmapMadviseFault, ExhaustiveChecks::munmapWholeVsFaultAndMadvise);
    }

    public static List<Check> checks() {
        List<Check> list = new ArrayList<>();
        for (Supplier<Scenario> sc : scenarios()) {
            for (Variant v : List.of(Variants.v4_12(), Variants.v4_20Fixed())) {
                list.add(Check.holds(sc, v, true));
            }
        }
        return list;
    }
}
