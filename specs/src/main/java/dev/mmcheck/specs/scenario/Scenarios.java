package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * The named scenarios of the catalogue. Addresses are pages (page 2 = 0x2000); with two pages
 * per page table, pages 0-1 share table 0 and pages 2-3 table 1. Each scenario is as small as
 * the race it shows allows.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** 2 CPUs, 2 threads, 4 pages in 2 tables, 5 frames, 3 VMA slots. */
    static MachineConfig twoCpus() {
        return MachineConfig.small();
    }

    /** 3 CPUs: threads T0 and T1 on CPU0 and CPU1; CPU2 as the scenario says. */
    static MachineConfig threeCpus(int threads) {
        return MachineConfig.small().withCpus(3, threads);
    }

    /** munmap of a VMA while another thread faults in it: the fault either wins or gets SIGSEGV. */
    public static Scenario munmapVsFaultSameVma() {
        return Scenario.named("munmap-vs-fault", "T0 munmaps [0x0000, 0x2000) while T1 stores to 0x1000 in it")
                .machine(twoCpus())
                .vma(0, 2).vma(2, 4)
                .mapped(0)
                .tlb(1, 0)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(1));
    }

    /** munmap of a VMA while a fault runs in its neighbour, which shares the page table. */
    public static Scenario munmapVsFaultSharedTable() {
        return Scenario.named("munmap-vs-fault-neighbour",
                        "T0 munmaps [0x0000, 0x1000) while T1 faults 0x1000 in the neighbouring VMA that shares its page table")
                .machine(twoCpus())
                .vma(0, 1).vma(1, 2).vma(2, 4)
                .mapped(0)
                .tlb(0, 0)
                .thread(0, Op.munmap(0, 1))
                .thread(1, Op.access(1));
    }

    /** Partial munmap of an mlocked VMA: two splits, and locked_vm must drop by exactly the hole. */
    public static Scenario partialMunmapOfLockedVma() {
        return Scenario.named("munmap-mlocked-split",
                        "T0 munmaps [0x1000, 0x2000) out of the mlocked VMA [0x0000, 0x4000) while T1 stores to 0x3000")
                .machine(twoCpus())
                .lockedVma(0, 4)
                .mapped(1, 3)
                .tlb(1, 3)
                .thread(0, Op.munmap(1, 2))
                .thread(1, Op.access(3));
    }

    /** munmap against MADV_DONTNEED of an overlapping range, with a third CPU caching the page. */
    public static Scenario munmapVsMadvise() {
        return Scenario.named("munmap-vs-madvise",
                        "T0 munmaps [0x0000, 0x2000) while T1 madvise(DONTNEED)s [0x1000, 0x3000); T2 on CPU2 caches 0x1000")
                .machine(threeCpus(3))
                .vma(0, 4)
                .mapped(1, 2)
                .tlb(2, 1)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.madviseDontneed(1, 3));
    }

    /** munmap while other CPUs hold TLB entries for the range, one of them in lazy-TLB mode. */
    public static Scenario munmapWithLazyTlbHolder() {
        return Scenario.named("munmap-lazy-tlb",
                        "T0 munmaps [0x0000, 0x2000); CPU1 (T1) and lazy CPU2 both cache 0x0000 and its page table")
                .machine(threeCpus(2))
                .vma(0, 2).vma(2, 4)
                .mapped(0, 2)
                .tlb(1, 0, 2)
                .tlb(2, 0)
                .cpu(2, CpuRole.LAZY)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(2));
    }

    /** munmap of the VMA just below a VM_GROWSDOWN stack while a fault expands the stack into the hole. */
    public static Scenario munmapNextToGrowingStack() {
        return Scenario.named("munmap-vs-stack-expansion",
                        "T0 munmaps [0x1000, 0x2000) just below the stack [0x2000, 0x4000) while T1 stores to 0x1000, growing the stack")
                .machine(twoCpus())
                .vma(1, 2).stackVma(2, 4)
                .mapped(1)
                .thread(0, Op.munmap(1, 2))
                .thread(1, Op.access(1));
    }

    /** Two MADV_DONTNEED of one page while a third thread's CPU caches it (B4). */
    public static Scenario parallelDontneed() {
        return Scenario.named("parallel-madv-dontneed",
                        "T0 and T1 both madvise(DONTNEED) 0x0000 while T2 on CPU2 caches it")
                .machine(threeCpus(3))
                .vma(0, 2)
                .mapped(0)
                .tlb(2, 0)
                .thread(0, Op.madviseDontneed(0, 1))
                .thread(1, Op.madviseDontneed(0, 1));
    }

    /** munmap freeing a page table cached by a lazy CPU while a madvise makes the flush nested (B3). */
    public static Scenario nestedFlushWithLazyCpu() {
        return Scenario.named("nested-flush-lazy-psc",
                        "T0 munmaps [0x0000, 0x2000), freeing its page table, while T1 madvise(DONTNEED)s 0x2000; lazy CPU2 caches the page-table pointer")
                .machine(threeCpus(2))
                .vma(0, 2).vma(2, 4)
                .mapped(0, 2)
                .tlb(2, 0)
                .cpu(2, CpuRole.LAZY)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.madviseDontneed(2, 3));
    }

    /**
     * CVE-2018-17182 (B1): with a 1-bit vmacache seqnum, T0 caches Y, munmaps X so the seqnum
     * wraps with mm_users == 1 (no flush), clones T1, which munmaps Y; T0 then finds Y in its
     * cache, which looks current again.
     */
    public static Scenario vmacacheWrap() {
        return Scenario.named("vmacache-seqnum-wrap",
                        "T0 caches VMA Y, wraps the vmacache seqnum by munmapping X alone, clones T1; T1 munmaps Y; T0 stores to Y")
                .machine(MachineConfig.small().withVmacacheSeqBits(1))
                .vma(0, 1).vma(1, 2)
                .vmacacheSeqnums(1, 0)
                .startsLater(1)
                .thread(0, Op.access(1), Op.munmap(0, 1), Op.clone(1), Op.access(1))
                .thread(1, Op.munmap(1, 2));
    }

    /** The scenarios every correct variant must hold on (the default catalogue). */
    public static List<Supplier<Scenario>> main() {
        return List.of(Scenarios::munmapVsFaultSameVma, Scenarios::munmapVsFaultSharedTable,
                Scenarios::partialMunmapOfLockedVma, Scenarios::munmapVsMadvise, Scenarios::munmapWithLazyTlbHolder,
                Scenarios::munmapNextToGrowingStack);
    }

    /** Every named scenario: the main ones, then the historical bugs' setups. */
    public static List<Supplier<Scenario>> all() {
        List<Supplier<Scenario>> all = new java.util.ArrayList<>(main());
        all.addAll(List.of(Scenarios::parallelDontneed, Scenarios::nestedFlushWithLazyCpu, Scenarios::vmacacheWrap));
        return all;
    }

    /** The scenario called {@code name}; an error listing the valid names otherwise. */
    public static Scenario find(String name) {
        for (Supplier<Scenario> s : all()) {
            Scenario sc = s.get();
            if (sc.name().equals(name)) {
                return sc;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; valid names: "
                + all().stream().map(s -> s.get().name()).collect(java.util.stream.Collectors.joining(", ")));
    }
}
