package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Scenarios with context switches (issue 5): a CPU that ran a thread of the mm switches to a
 * kernel thread (lazy TLB) or another process and back while munmap or MADV_DONTNEED flushes,
 * and the x86 page-table freeing of bug B9.
 */
public final class ContextSwitchScenarios {
    private ContextSwitchScenarios() {
    }

    /** 2 CPUs: T0 on CPU0, CPU1 runs a thread of the mm that only runs in user space. */
    static MachineConfig twoCpusOneThread() {
        return MachineConfig.small().withCpus(2, 1);
    }

    /**
     * T0 munmaps [0x0000, 0x2000), freeing the page and its page table, while CPU1, which caches
     * 0x0000, switches to a kernel thread or another process and back (up to 2 switches away).
     */
    public static Scenario munmapWhileSwitching() {
        return Scenario.named("ctxsw-munmap-2cpu",
                        "T0 munmaps [0x0000, 0x2000) while CPU1, caching 0x0000, switches to a kernel thread or another process and back")
                .machine(twoCpusOneThread())
                .vma(0, 2).mapped(0)
                .tlb(1, 0)
                .cpu(1, CpuRole.THREAD)
                .contextSwitches(1, 2)
                .thread(0, Op.munmap(0, 2));
    }

    /**
     * T0 zaps 0x0000 with MADV_DONTNEED (a leaf-only flush: from v4.20 lazy CPUs are skipped)
     * while CPU1, caching 0x0000, switches away and back.
     */
    public static Scenario dontneedWhileSwitching() {
        return Scenario.named("ctxsw-dontneed-2cpu",
                        "T0 madvise(DONTNEED)s 0x0000 while CPU1, caching 0x0000, switches to a kernel thread or another process and back")
                .machine(twoCpusOneThread())
                .vma(0, 2).mapped(0, 1)
                .tlb(1, 0)
                .cpu(1, CpuRole.THREAD)
                .contextSwitches(1, 2)
                .thread(0, Op.madviseDontneed(0, 1));
    }

    /**
     * 3 CPUs: T0 munmaps [0x0000, 0x2000); T1 stores to 0x2000 (it may be preempted before);
     * CPU2, caching 0x0000, switches away and back.
     */
    public static Scenario munmapVsAccessWhileSwitching() {
        return Scenario.named("ctxsw-munmap-access-3cpu",
                        "T0 munmaps [0x0000, 0x2000) while T1 stores to 0x2000 (preemptible before) and CPU2 switches away and back")
                .machine(MachineConfig.small().withCpus(3, 2))
                .vma(0, 2).vma(2, 4).mapped(0, 2)
                .tlb(2, 0)
                .cpu(2, CpuRole.THREAD)
                .contextSwitches(1, 1)
                .contextSwitches(2, 1)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(2));
    }

    /**
     * B9: a single-threaded process (mm_users == 1) munmaps [0x0000, 0x2000); its own CPU0 caches
     * the page-table pointer of 0x0000.
     */
    public static Scenario singleThreadMunmapFreesTable() {
        return Scenario.named("pv-table-free-1thread",
                        "a single-threaded process munmaps [0x0000, 0x2000), freeing the page table its own CPU caches")
                .machine(MachineConfig.small().withCpus(1, 1))
                .vma(0, 2).mapped(0)
                .tlb(0, 0)
                .thread(0, Op.munmap(0, 2));
    }

    /** The scenarios whose correct variants must hold. */
    public static List<Supplier<Scenario>> main() {
        return List.of(ContextSwitchScenarios::munmapWhileSwitching, ContextSwitchScenarios::dontneedWhileSwitching,
                ContextSwitchScenarios::munmapVsAccessWhileSwitching);
    }
}
