package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.MremapScenarios;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.TruncateScenarios;

import java.util.List;
import java.util.stream.Collectors;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I2;
import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I7;

/** The historical-bug corpus the model reproduces (shared/kernel/BUGS.md). */
public final class Bugs {
    private Bugs() {
    }

    /** The corpus: B1-B4 here, then the bugs of the other areas. */
    public static List<Bug> all() {
        List<Bug> all = new java.util.ArrayList<>(core());
        all.addAll(MremapBugs.all());
        all.addAll(ReclaimBugs.all());
        all.addAll(UffdBugs.all());
        all.addAll(ContextSwitchBugs.all());
        all.addAll(MapleBugs.all());
        return all;
    }

    private static List<Bug> core() {
        return List.of(
                new Bug("B1", Feature.VMACACHE_SEQNUM_U64, "CVE-2018-17182",
                        "vmacache sequence-number wrap skips the flush when mm_users == 1 (use-after-free of a VMA)",
                        I4, Scenarios::vmacacheWrap,
                        Variant.of(KernelVersion.V4_12).named("v4.12-vmacache-u32",
                                "Linux v4.12: u32 vmacache_seqnum and the mm_users == 1 shortcut of vmacache_flush_all (6b4ebc3a9078)"),
                        Variant.of(KernelVersion.V4_12).with(Feature.VMACACHE_SEQNUM_U64),
                        Introduced.at("6b4ebc3a9078", "mm,vmacache: optimize overflow system-wide flushing", "v3.16"), List.of()),
                new Bug("B2", Feature.NO_DOWNGRADE_NEXT_TO_STACK, "CVE-2020-29369",
                        "munmap downgrades mmap_sem next to a VM_GROWSDOWN stack that a fault expands into the hole",
                        I7, Scenarios::munmapNextToGrowingStack,
                        Variant.of(KernelVersion.V4_20),
                        Variant.of(KernelVersion.V4_20).with(Feature.NO_DOWNGRADE_NEXT_TO_STACK),
                        Introduced.by(Feature.MUNMAP_DOWNGRADE), List.of(Exercise.on(MapleScenarios::stackExpansionVsMadviseVsMunmap3cpu))),
                new Bug("B3", Feature.NESTED_FLUSH_KEEPS_FREED_TABLES, "",
                        "the nested-flush path of tlb_finish_mmu resets freed_tables, so lazy CPUs keep cached page-table pointers",
                        I1, Scenarios::nestedFlushWithLazyCpu,
                        // with 209954cbc7d0, so that CS3 (the lazy CPU leaving the cpumask before
                        // its CR3 write, on the same scenario) does not break the fixed variant too
                        Variant.of(KernelVersion.V4_20).with(Feature.LAZY_MM_CPUMASK),
                        Variant.of(KernelVersion.V4_20).with(Feature.LAZY_MM_CPUMASK).with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES),
                        Introduced.by(Feature.FREED_TABLES_LAZY_SKIP), List.of()),
                new Bug("B4", Feature.TLB_FLUSH_PENDING_COUNT, "",
                        "parallel MADV_DONTNEED: the second caller finds the PTE already clear and returns before the first flushed",
                        I2, Scenarios::parallelDontneed,
                        Variant.of(KernelVersion.V4_12),
                        Variant.of(KernelVersion.V4_12).with(Feature.TLB_FLUSH_PENDING_COUNT),
                        Introduced.longStanding("the batched mmu_gather flush; v4.12.0 has no tlb_flush_pending counter"),
                        // truncate's zap of the file mapping, or the driver's unmap_mapping_range, is the other
                        // zapper; the driver then reuses the pfn, so the stale entry maps a freed frame (I1)
                        List.of(Exercise.on(TruncateScenarios::madviseVsTruncate), Exercise.on(TruncateScenarios::madviseVsTruncateVsStore),
                                Exercise.on(MremapScenarios::pfnmapMunmapVsRevoke, I1),
                                Exercise.on(MremapScenarios::pfnmapMunmapVsRevokeVsStore, I1))));
    }

    /**
     * Every entry {@code key} names: by key ({@code B6-20841405940e}), id ({@code B6}: all of
     * that bug's fixes), fix commit or CVE; an error listing the known ones when none does.
     */
    public static List<Bug> matching(String key) {
        List<Bug> found = all().stream().filter(b -> b.matches(key)).collect(Collectors.toList());
        if (found.isEmpty()) {
            throw new IllegalArgumentException("unknown bug '" + key + "'; known: " + all().stream()
                    .map(b -> b.id() + " " + b.fixCommit() + (b.cve().isEmpty() ? "" : " " + b.cve()))
                    .collect(Collectors.joining(", ")));
        }
        return found;
    }

    /** The one entry {@code key} names; an error when it names none or several (B6: name a fix). */
    public static Bug find(String key) {
        List<Bug> found = matching(key);
        if (found.size() > 1) {
            throw new IllegalArgumentException("bug '" + key + "' is ambiguous: it names " + found.stream()
                    .map(Bug::key).collect(Collectors.joining(", ")) + "; name one of them");
        }
        return found.get(0);
    }
}
