package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.machine.MachineConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The userfaultfd scenarios: a monitor thread (a loop that reads fault and event messages and
 * resolves faults with UFFDIO_COPY) races page faults, munmap's UNMAP events and
 * MADV_DONTNEED's REMOVE events. Pages are addresses / 0x1000; VMAs marked uffd are registered
 * in missing mode at the start.
 */
public final class UffdScenarios {
    private UffdScenarios() {
    }

    /** A fault in a registered VMA is handed to the monitor, which fills the page and wakes it. */
    public static Scenario faultResolvedByMonitor() {
        return Scenario.named("uffd-fault",
                        "T0 stores to 0x1000 in the registered VMA [0x0000, 0x2000); T1, the monitor, resolves it with UFFDIO_COPY")
                .machine(MachineConfig.small())
                .uffdVma(0, 2)
                .thread(0, Op.access(1))
                .uffdMonitor(1);
    }

    /**
     * BUGS.md B11 (unmap flavour): T0 unmaps the first page of a registered VMA while the monitor
     * copies the second page in the background. Before df2cc96e7701 the copy can land after the
     * UNMAP event was prepped and before the monitor read it.
     */
    public static Scenario munmapVsBackgroundCopy() {
        return Scenario.named("uffd-munmap-vs-copy",
                        "T0 munmaps [0x0000, 0x1000) of the registered VMA [0x0000, 0x2000); T1, the monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small())
                .uffdVma(0, 2)
                .thread(0, Op.munmap(0, 1))
                .uffdMonitor(1, 1);
    }

    /**
     * The copy and the unmap touch different registered VMAs: T0 unmaps [0x0000, 0x1000) while
     * the monitor copies 0x2000 in the background. No VMA lock orders them; before v6.9 mmap_lock
     * does (munmap holds it for write, the copy for read), from v6.9 (UFFDIO_COPY under the
     * destination VMA's lock) ctx->map_changing_lock does: the UNMAP event's prep waits for a copy
     * that passed its mmap_changing check.
     */
    public static Scenario munmapVsCopyOtherVma() {
        return Scenario.named("uffd-munmap-vs-copy-other-vma",
                        "T0 munmaps the registered VMA [0x0000, 0x1000); T1, the monitor, copies 0x2000 of the registered VMA [0x2000, 0x3000) in the background")
                .machine(MachineConfig.small())
                .uffdVma(0, 1).uffdVma(2, 3)
                .thread(0, Op.munmap(0, 1))
                .uffdMonitor(1, 2);
    }

    /**
     * B11's setup with a copy that faults: the monitor's copy_from_user under mmap_sem fails,
     * __mcopy_atomic drops the lock to copy and retries; munmap's UNMAP event can be prepped in
     * that window, so the retry must check mmap_changing again (SEMANTICS.md 6.4 step 5).
     */
    public static Scenario copyRetryVsMunmap() {
        return Scenario.named("uffd-copy-retry-vs-munmap",
                        "T0 munmaps [0x0000, 0x1000) of the registered VMA [0x0000, 0x2000); T1, the monitor, copies 0x1000 in the background and its copy_from_user may fault")
                .machine(MachineConfig.small())
                .uffdVma(0, 2)
                .thread(0, Op.munmap(0, 1))
                .uffdMonitor(1, 1)
                .uffdCopyMayFault();
    }

    /**
     * A fault resolved by a copy that may fault and retry, while another thread unmaps the other
     * half of the registered VMA (3 CPUs).
     */
    public static Scenario faultCopyRetryVsMunmap() {
        return Scenario.named("uffd-fault-copy-retry-vs-munmap",
                        "T0 stores to 0x1000 in the registered VMA [0x0000, 0x2000) while T1 munmaps [0x0000, 0x1000); T2, the monitor, resolves the fault with a copy_from_user that may fault")
                .machine(MachineConfig.small().withCpus(3, 3))
                .uffdVma(0, 2)
                .thread(0, Op.access(1))
                .thread(1, Op.munmap(0, 1))
                .uffdMonitor(2)
                .uffdCopyMayFault();
    }

    /** A sleeping fault, munmap of its VMA, and the monitor: the fault ends in SIGSEGV or succeeds. */
    public static Scenario faultVsMunmap() {
        return Scenario.named("uffd-fault-vs-munmap",
                        "T0 stores to 0x1000 in the registered VMA [0x0000, 0x2000) while T1 munmaps it; T2 is the monitor")
                .machine(MachineConfig.small().withCpus(3, 3))
                .uffdVma(0, 2).vma(2, 4)
                .mapped(2)
                .thread(0, Op.access(1))
                .thread(1, Op.munmap(0, 2))
                .uffdMonitor(2);
    }

    /**
     * Two UNMAP events in flight at once: T0 and T1 unmap the two ends of a registered VMA while
     * the monitor copies a page in the middle. The first event to complete must not let the copy
     * through while the second is unread: mmap_changing has to count (a759a909d42d).
     */
    public static Scenario twoUnmapEvents() {
        return Scenario.named("uffd-two-unmaps",
                        "T0 munmaps 0x0000 and T1 munmaps 0x3000 of the registered VMA [0x0000, 0x4000); T2, the monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small().withCpus(3, 3))
                .uffdVma(0, 4)
                .thread(0, Op.munmap(0, 1))
                .thread(1, Op.munmap(3, 4))
                .uffdMonitor(2, 1);
    }

    /** MADV_DONTNEED's REMOVE event: the caller drops mmap_sem and waits while the monitor copies. */
    public static Scenario dontneedVsBackgroundCopy() {
        return Scenario.named("uffd-dontneed-vs-copy",
                        "T0 madvise(DONTNEED)s 0x0000 of the registered VMA [0x0000, 0x2000); T1, the monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small())
                .uffdVma(0, 2)
                .mapped(0)
                .thread(0, Op.madviseDontneed(0, 1))
                .uffdMonitor(1, 1);
    }

    /**
     * A REMOVE and an UNMAP event in flight at once, while the monitor copies a page the zap does
     * not touch; T0's page is mapped, so the zap and the flush run after its event is read.
     */
    public static Scenario dontneedAndMunmapEvents() {
        return Scenario.named("uffd-dontneed-and-munmap",
                        "T0 madvise(DONTNEED)s 0x0000 and T1 munmaps 0x3000 of the registered VMA [0x0000, 0x4000); T2, the monitor, copies 0x1000 in the background")
                .machine(MachineConfig.small().withCpus(3, 3))
                .uffdVma(0, 4)
                .mapped(0)
                .thread(0, Op.madviseDontneed(0, 1))
                .thread(1, Op.munmap(3, 4))
                .uffdMonitor(2, 1);
    }

    /** Every userfaultfd scenario of this class: the main ones and the two-event ones. */
    public static List<Supplier<Scenario>> all() {
        List<Supplier<Scenario>> all = new ArrayList<>(main());
        all.add(UffdScenarios::twoUnmapEvents);
        all.add(UffdScenarios::dontneedAndMunmapEvents);
        return all;
    }

    /** The scenarios that every correct variant from v4.18 on must hold. */
    public static List<Supplier<Scenario>> main() {
        return List.of(UffdScenarios::faultResolvedByMonitor, UffdScenarios::munmapVsBackgroundCopy,
                UffdScenarios::dontneedVsBackgroundCopy, UffdScenarios::faultVsMunmap,
                UffdScenarios::copyRetryVsMunmap, UffdScenarios::faultCopyRetryVsMunmap, UffdScenarios::munmapVsCopyOtherVma);
    }
}
