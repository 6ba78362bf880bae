package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * UFFDIO_REGISTER as an operation ({@link Op#uffdRegister}): a thread registers part of a VMA
 * with the userfaultfd while other threads fault in it, unmap it or zap it, and the monitor
 * resolves the missing faults that reach it with UFFDIO_COPY. No VMA starts registered. Pages
 * are addresses / 0x1000.
 */
public final class UffdRegisterScenarios {
    private UffdRegisterScenarios() {
    }

    /**
     * Registration splits the VMA, and the fault after it goes to the monitor. Page 0x0000 is
     * mapped, so the part split off below the range holds a PTE: while the split is half done,
     * no VMA covers it (hidden by the write lock).
     */
    public static Scenario registerThenFault() {
        return Scenario.named("uffd-register-then-fault",
                        "T0 registers [0x1000, 0x2000) of the VMA [0x0000, 0x2000) (0x0000 mapped), then stores to 0x1000; T1, the monitor, resolves the fault")
                .machine(MachineConfig.small())
                .vma(0, 2)
                .mapped(0)
                .thread(0, Op.uffdRegister(1, 2), Op.access(1))
                .uffdMonitor(1);
    }

    /**
     * Registration splits the VMA, so a fault just below the range stays an ordinary anonymous
     * fault, and one in the range goes to the monitor. The monitor serves only the range its
     * program registered: a fault it was handed outside of it would never be woken.
     */
    public static Scenario registerThenFaultOutside() {
        return Scenario.named("uffd-register-fault-outside",
                        "T0 registers [0x1000, 0x2000) of the VMA [0x0000, 0x2000), then stores to 0x0000 (outside the range) and to 0x1000; T1, the monitor, serves the range")
                .machine(MachineConfig.small())
                .vma(0, 2)
                .thread(0, Op.uffdRegister(1, 2), Op.access(0), Op.access(1))
                .uffdMonitor(1);
    }

    /**
     * A fault races the registration of its page: it either completes before the registration
     * takes mmap_sem (a plain anonymous fault) or starts after it and is handed to the monitor.
     */
    public static Scenario registerVsFault() {
        return Scenario.named("uffd-register-vs-fault",
                        "T0 registers [0x1000, 0x2000) of the VMA [0x0000, 0x4000) while T1 stores to 0x1000; T2, the monitor, resolves missing faults")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 4)
                .mapped(2)
                .thread(0, Op.uffdRegister(1, 2))
                .thread(1, Op.access(1))
                .uffdMonitor(2);
    }

    /**
     * An UNMAP event of a range registered during the run, racing a fault in it: T0 registers
     * the lower half of the VMA and unmaps its first page; T1 stores to the second page, before
     * the registration (a plain fault) or after it (the monitor resolves it with UFFDIO_COPY,
     * which must not land while the UNMAP event is unread).
     */
    public static Scenario registerThenMunmap() {
        return Scenario.named("uffd-register-then-munmap",
                        "T0 registers [0x0000, 0x2000) of the VMA [0x0000, 0x4000), then munmaps 0x0000, while T1 stores to 0x1000; T2, the monitor, resolves missing faults")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 4)
                .mapped(0)
                .thread(0, Op.uffdRegister(0, 2), Op.munmap(0, 1))
                .thread(1, Op.access(1))
                .uffdMonitor(2);
    }

    /**
     * Two events of a range registered during the run: T0 registers the lower half and unmaps
     * its first page (an UNMAP event), T1 zaps the second page (a REMOVE event if it comes after
     * the registration, none before); the monitor reads them and may copy 0x1000 in the
     * background. With both events in flight only the mmap_changing counter (a759a909d42d,
     * v5.15) keeps the copy out: the v4.18-v5.14 bool is cleared by the first event read.
     */
    public static Scenario registerThenMunmapAndDontneed() {
        return Scenario.named("uffd-register-munmap-and-dontneed",
                        "T0 registers [0x0000, 0x2000) of the VMA [0x0000, 0x4000), then munmaps 0x0000, while T1 madvise(DONTNEED)s 0x1000; T2, the monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small().withCpus(3, 3))
                .vma(0, 4)
                .mapped(1)
                .thread(0, Op.uffdRegister(0, 2), Op.munmap(0, 1))
                .thread(1, Op.madviseDontneed(1, 2))
                .uffdMonitor(2, 1);
    }

    /** The scenarios every correct kernel from v4.18 on holds. */
    public static List<Supplier<Scenario>> main() {
        return List.of(UffdRegisterScenarios::registerThenFault, UffdRegisterScenarios::registerThenFaultOutside,
                UffdRegisterScenarios::registerVsFault, UffdRegisterScenarios::registerThenMunmap);
    }

    /** Every UFFDIO_REGISTER scenario: the main ones, then the one that needs the v5.15 counter. */
    public static List<Supplier<Scenario>> all() {
        List<Supplier<Scenario>> all = new java.util.ArrayList<>(main());
        all.add(UffdRegisterScenarios::registerThenMunmapAndDontneed);
        return all;
    }
}
