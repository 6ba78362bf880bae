package dev.mmcheck.model.versions;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.MmuGather;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mmcheck.model.versions.Feature.FLUSH_TLB_BATCHED_PENDING;
import static dev.mmcheck.model.versions.Feature.FREED_TABLES_LAZY_SKIP;
import static dev.mmcheck.model.versions.Feature.I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE;
import static dev.mmcheck.model.versions.Feature.LAZY_TLB_ALWAYS;
import static dev.mmcheck.model.versions.Feature.MIGRATION_SEES_PENDING_FLUSH;
import static dev.mmcheck.model.versions.Feature.MAPLE_TREE;
import static dev.mmcheck.model.versions.Feature.RECLAIM_FLUSHES_EXCLUSIVE_ANON;
import static dev.mmcheck.model.versions.Feature.FAULT_RETRY_MULTIPLE;
import static dev.mmcheck.model.versions.Feature.FLUSH_SKIPS_COVERED_GEN;
import static dev.mmcheck.model.versions.Feature.MPROTECT_MMU_GATHER;
import static dev.mmcheck.model.versions.Feature.MREMAP_DONTUNMAP;
import static dev.mmcheck.model.versions.Feature.MREMAP_FLUSH_UNDER_PTL;
import static dev.mmcheck.model.versions.Feature.MUNMAP_DOWNGRADE;
import static dev.mmcheck.model.versions.Feature.NESTED_FLUSH_KEEPS_FREED_TABLES;
import static dev.mmcheck.model.versions.Feature.NO_DOWNGRADE_NEXT_TO_STACK;
import static dev.mmcheck.model.versions.Feature.NUMA_HINT_DELAYED_MAPPING;
import static dev.mmcheck.model.versions.Feature.PCID_TLB_GEN;
import static dev.mmcheck.model.versions.Feature.PFNMAP_FLUSH_IN_TLB_END_VMA;
import static dev.mmcheck.model.versions.Feature.RCU_TABLE_FREE;
import static dev.mmcheck.model.versions.Feature.RCU_TABLE_FREE_INVALIDATES;
import static dev.mmcheck.model.versions.Feature.SHOULD_FLUSH_TLB;
import static dev.mmcheck.model.versions.Feature.LAZY_MM_CPUMASK;
import static dev.mmcheck.model.versions.Feature.SHOULD_FLUSH_SWITCHING;
import static dev.mmcheck.model.versions.Feature.SWITCHING_BEFORE_TLB_GEN;
import static dev.mmcheck.model.versions.Feature.VMA_REFCOUNT;
import static dev.mmcheck.model.versions.Feature.VMA_SLAB_TYPESAFE_BY_RCU;
import static dev.mmcheck.model.versions.Feature.PFNMAP_FLUSH_IN_FREE_PGTABLES;
import static dev.mmcheck.model.versions.Feature.MADVISE_BATCHED_GATHER;
import static dev.mmcheck.model.versions.Feature.MADV_DONTNEED_UNDER_VMA_LOCK;
import static dev.mmcheck.model.versions.Feature.TLB_FLUSH_BATCHED_GENERATIONS;
import static dev.mmcheck.model.versions.Feature.TLB_FLUSH_STRIDE;
import static dev.mmcheck.model.versions.Feature.TLB_FLUSH_PENDING_ATOMIC;
import static dev.mmcheck.model.versions.Feature.LEAVE_MM_VIA_SWITCH_MM;
import static dev.mmcheck.model.versions.Feature.TLB_FLUSH_PENDING_COUNT;
import static dev.mmcheck.model.versions.Feature.UFFD_MMAP_CHANGING;
import static dev.mmcheck.model.versions.Feature.UFFD_MMAP_CHANGING_COUNT;
import static dev.mmcheck.model.versions.Feature.MIGRATION_BATCHED_FLUSH;
import static dev.mmcheck.model.versions.Feature.MREMAP_LOCKED_VM_BEFORE_UNMAP;
import static dev.mmcheck.model.versions.Feature.PT_RECLAIM;
import static dev.mmcheck.model.versions.Feature.UFFD_PER_VMA_LOCKS;
import static dev.mmcheck.model.versions.Feature.UFFD_UNMAP_PREP_PER_VMA;
import static dev.mmcheck.model.versions.Feature.USERFAULTS_UNDER_VMA_LOCK;
import static dev.mmcheck.model.versions.Feature.UFFD_UNMAP_PREP_AFTER_SPLIT;
import static dev.mmcheck.model.versions.Feature.VMACACHE_SEQNUM_U64;
import static dev.mmcheck.model.versions.Feature.MAPLE_TREE_RCU_MODE;
import static dev.mmcheck.model.versions.Feature.STACK_EXPANSION_WRITE_LOCK;
import static dev.mmcheck.model.versions.Feature.MMAP_REGION_IN_VMA_C;
import static dev.mmcheck.model.versions.Feature.MUNMAP_LOCKED_VM_AT_NO_RETURN;
import static dev.mmcheck.model.versions.Feature.MUNMAP_STORE_FAILURE_RETURNS_ERROR;
import static dev.mmcheck.model.versions.Feature.PER_VMA_LOCK;
import static dev.mmcheck.model.versions.Feature.MUNMAP_ITERATION_ORDER;
import static dev.mmcheck.model.versions.Feature.X86_EXC_PAGE_FAULT;
import static dev.mmcheck.model.versions.Feature.NUMA_ISOLATE_UNDER_PTL;
import static dev.mmcheck.model.versions.Feature.DELAYED_ANON_VMA_CHECK;
import static dev.mmcheck.model.versions.Feature.LOCK_VMA_DETACHED_BEFORE_RANGE;
import static dev.mmcheck.model.versions.Feature.MUNMAP_GATHER_COMPLETE;
import static dev.mmcheck.model.versions.Feature.FILE_FAULTS_UNDER_VMA_LOCK;
import static dev.mmcheck.model.versions.Feature.RWSEM_SLOWPATH_IN_RWSEM_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The releases' feature sets, written out by hand: a change to a fact in {@link Feature} that moves
 * a feature into or out of an offered release fails here, so it cannot happen unnoticed.
 */
class KernelVersionTest {
    /** Every offered release in the default configuration, and what it has. */
    private static final Map<KernelVersion, Set<Feature>> GOLDEN = new LinkedHashMap<>();

    static {
        GOLDEN.put(KernelVersion.V4_12, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH));
        GOLDEN.put(KernelVersion.V4_13, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC));
        GOLDEN.put(KernelVersion.V4_14, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN, RCU_TABLE_FREE));
        GOLDEN.put(KernelVersion.V4_19, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES));
        GOLDEN.put(KernelVersion.V4_20, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE));
        Set<Feature> v52 = EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES);
        GOLDEN.put(KernelVersion.V5_2, v52);
        Set<Feature> v54 = EnumSet.copyOf(v52);
        v54.add(RWSEM_SLOWPATH_IN_RWSEM_C);
        GOLDEN.put(KernelVersion.V5_4, v54);
        Set<Feature> v58 = EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                NO_DOWNGRADE_NEXT_TO_STACK, MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C);
        GOLDEN.put(KernelVersion.V5_8, v58);
        GOLDEN.put(KernelVersion.V5_10, v58);
        GOLDEN.put(KernelVersion.V5_15, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                NO_DOWNGRADE_NEXT_TO_STACK, MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, NUMA_HINT_DELAYED_MAPPING));
        GOLDEN.put(KernelVersion.V5_17, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                NO_DOWNGRADE_NEXT_TO_STACK, MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS));
        GOLDEN.put(KernelVersion.V5_19, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                VMACACHE_SEQNUM_U64, MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                NO_DOWNGRADE_NEXT_TO_STACK, MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS, I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE, MPROTECT_MMU_GATHER,
                PFNMAP_FLUSH_IN_TLB_END_VMA, RECLAIM_FLUSHES_EXCLUSIVE_ANON));
        GOLDEN.put(KernelVersion.V6_1, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, UFFD_UNMAP_PREP_AFTER_SPLIT, PCID_TLB_GEN,
                MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                NO_DOWNGRADE_NEXT_TO_STACK, MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS, I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE, MPROTECT_MMU_GATHER,
                PFNMAP_FLUSH_IN_TLB_END_VMA, MAPLE_TREE, FLUSH_SKIPS_COVERED_GEN));
        GOLDEN.put(KernelVersion.V6_6, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, PCID_TLB_GEN,
                MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, USERFAULTS_UNDER_VMA_LOCK, UFFD_UNMAP_PREP_PER_VMA, MIGRATION_BATCHED_FLUSH, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS, I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE, MPROTECT_MMU_GATHER,
                PFNMAP_FLUSH_IN_TLB_END_VMA, MAPLE_TREE, FLUSH_SKIPS_COVERED_GEN, STACK_EXPANSION_WRITE_LOCK, MAPLE_TREE_RCU_MODE,
                MUNMAP_LOCKED_VM_AT_NO_RETURN, MUNMAP_STORE_FAILURE_RETURNS_ERROR, PER_VMA_LOCK, MUNMAP_ITERATION_ORDER));
        GOLDEN.put(KernelVersion.V6_12, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, PCID_TLB_GEN,
                MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                MREMAP_DONTUNMAP, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, USERFAULTS_UNDER_VMA_LOCK, UFFD_UNMAP_PREP_PER_VMA, MIGRATION_BATCHED_FLUSH, UFFD_PER_VMA_LOCKS, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS, I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE, MPROTECT_MMU_GATHER,
                PFNMAP_FLUSH_IN_TLB_END_VMA, MAPLE_TREE, FLUSH_SKIPS_COVERED_GEN, STACK_EXPANSION_WRITE_LOCK, MAPLE_TREE_RCU_MODE,
                MUNMAP_LOCKED_VM_AT_NO_RETURN, MUNMAP_STORE_FAILURE_RETURNS_ERROR, PER_VMA_LOCK, MUNMAP_ITERATION_ORDER, NUMA_ISOLATE_UNDER_PTL,
                DELAYED_ANON_VMA_CHECK, LOCK_VMA_DETACHED_BEFORE_RANGE, MUNMAP_GATHER_COMPLETE, FILE_FAULTS_UNDER_VMA_LOCK));
        GOLDEN.put(KernelVersion.V6_18, EnumSet.of(MIGRATION_SEES_PENDING_FLUSH, TLB_FLUSH_PENDING_COUNT, LEAVE_MM_VIA_SWITCH_MM,
                FLUSH_TLB_BATCHED_PENDING, TLB_FLUSH_PENDING_ATOMIC, PCID_TLB_GEN, RCU_TABLE_FREE,
                MREMAP_FLUSH_UNDER_PTL, UFFD_MMAP_CHANGING, RCU_TABLE_FREE_INVALIDATES,
                MUNMAP_DOWNGRADE, FREED_TABLES_LAZY_SKIP, LAZY_TLB_ALWAYS, TLB_FLUSH_STRIDE, NESTED_FLUSH_KEEPS_FREED_TABLES,
                MREMAP_DONTUNMAP, MREMAP_LOCKED_VM_BEFORE_UNMAP, PT_RECLAIM, X86_EXC_PAGE_FAULT, FAULT_RETRY_MULTIPLE, RWSEM_SLOWPATH_IN_RWSEM_C, UFFD_MMAP_CHANGING_COUNT, USERFAULTS_UNDER_VMA_LOCK, UFFD_UNMAP_PREP_PER_VMA, MIGRATION_BATCHED_FLUSH, UFFD_PER_VMA_LOCKS, NUMA_HINT_DELAYED_MAPPING,
                TLB_FLUSH_BATCHED_GENERATIONS, I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE, MPROTECT_MMU_GATHER,
                MAPLE_TREE, FLUSH_SKIPS_COVERED_GEN, STACK_EXPANSION_WRITE_LOCK, MAPLE_TREE_RCU_MODE,
                MUNMAP_LOCKED_VM_AT_NO_RETURN, MUNMAP_STORE_FAILURE_RETURNS_ERROR, PER_VMA_LOCK, MUNMAP_ITERATION_ORDER, NUMA_ISOLATE_UNDER_PTL,
                DELAYED_ANON_VMA_CHECK, LOCK_VMA_DETACHED_BEFORE_RANGE, MUNMAP_GATHER_COMPLETE, FILE_FAULTS_UNDER_VMA_LOCK,
                SHOULD_FLUSH_TLB, LAZY_MM_CPUMASK, SHOULD_FLUSH_SWITCHING, SWITCHING_BEFORE_TLB_GEN, VMA_REFCOUNT,
                VMA_SLAB_TYPESAFE_BY_RCU, PFNMAP_FLUSH_IN_FREE_PGTABLES, MADVISE_BATCHED_GATHER, MADV_DONTNEED_UNDER_VMA_LOCK,
                MMAP_REGION_IN_VMA_C));
    }

    @Test
    void everyReleaseHasExactlyItsGoldenFeatures() {
        assertEquals(List.of(KernelVersion.values()), List.copyOf(GOLDEN.keySet()), "a release was added or removed: extend the table");
        GOLDEN.forEach((v, expected) -> assertEquals(expected, v.features(), v.label()));
    }

    @Test
    void paravirtAddsRcuTableFreeFromV419ToV613Only() {
        Set<Config> pv = EnumSet.of(Config.PARAVIRT);
        for (KernelVersion v : KernelVersion.values()) {
            Set<Feature> added = v.features(pv);
            added.removeAll(v.features());
            boolean expected = v.release().atLeast(Release.parse("v4.19")) && !v.release().atLeast(Release.parse("v6.14"));
            assertEquals(expected ? Set.of(RCU_TABLE_FREE) : Set.of(), added, v.label());
        }
    }

    @Test
    void aFeatureIsInAReleaseIffItsFactsSaySo() {
        for (KernelVersion v : KernelVersion.values()) {
            for (Feature f : Feature.values()) {
                FeatureFacts x = f.facts();
                boolean expected = v.release().compareTo(x.first()) >= 0
                        && x.until().map(u -> v.release().compareTo(u) < 0).orElse(true)
                        && !x.needsConfig(v.release());
                assertEquals(expected, v.has(f), f + " in " + v.label());
            }
        }
    }

    @Test
    void noReleaseIsOfferedFromAChangeTheModelLacks() {
        for (KernelVersion v : KernelVersion.values()) {
            for (UnmodelledChange c : UnmodelledChange.values()) {
                if (c.scoped()) {
                    continue;
                }
                assertTrue(v.release().compareTo(c.facts().first()) < 0, v.label() + " has " + c + " (" + c.facts().first() + ")");
            }
        }
    }

    @Test
    void releasesAreOrderedAndNamedByTheirLabel() {
        KernelVersion[] all = KernelVersion.values();
        for (int i = 1; i < all.length; i++) {
            assertTrue(all[i - 1].release().compareTo(all[i].release()) < 0, all[i].label());
        }
        assertEquals("v5.19", KernelVersion.V5_19.label());
        assertEquals("v6.1", KernelVersion.V6_1.label());
        assertEquals(KernelVersion.V5_10, KernelVersion.of("v5.10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelVersion.of("v6.13"));
        assertTrue(e.getMessage().contains("'v6.13' is not offered") && e.getMessage().contains("v6.1"), e.getMessage());
    }

    @Test
    void aVariantIsAReleaseOnlyWithNothingAddedRemovedOrPatched() {
        Variant v = Variant.of(KernelVersion.V5_15);
        assertTrue(v.isRelease());
        assertTrue(Variant.of(KernelVersion.V4_19, Config.PARAVIRT).isRelease());
        assertEquals("v4.19-paravirt", Variant.of(KernelVersion.V4_19, Config.PARAVIRT).name());
        Variant composite = v.with(Feature.SHOULD_FLUSH_TLB);
        assertFalse(composite.isRelease());
        assertEquals("v5.15+6db2526c1d69", composite.name());
        assertEquals(Set.of(Feature.SHOULD_FLUSH_TLB), composite.added());
        assertFalse(v.without(PCID_TLB_GEN).isRelease());
        assertFalse(v.replaceEffect(MmuGather.ZAP_PTE_CLEAR, "never clear", (k, original) -> s -> { }).isRelease());
        assertTrue(v.with(PCID_TLB_GEN).isRelease(), "adding a feature the release has changes nothing");
        Map<String, String> d = composite.describe();
        assertEquals("v5.15", d.get("release"));
        assertEquals("default (x86-64)", d.get("config"));
        assertTrue(d.get("kind").startsWith("composite"), d.get("kind"));
        assertEquals("+6db2526c1d69 SHOULD_FLUSH_TLB", d.get("added"));
        assertTrue(d.get("features").contains("PCID_TLB_GEN b0579ade7cd8"), d.get("features"));
        assertEquals("release", v.describe().get("kind"));
    }
}
