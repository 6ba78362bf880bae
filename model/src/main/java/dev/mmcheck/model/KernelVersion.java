package dev.mmcheck.model;

import java.util.EnumSet;
import java.util.Set;

/** The kernel versions the model knows, each with the {@link Feature}s merged up to it. */
public enum KernelVersion {
    V4_12("v4.12", Feature.MIGRATION_SEES_PENDING_FLUSH),
    V4_13("v4.13", Feature.TLB_FLUSH_PENDING_COUNT, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC),
    /** v4.14: PCID and TLB generations (only observable with context switches). */
    V4_14("v4.14", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.PCID_TLB_GEN),
    V4_19("v4.19", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.PCID_TLB_GEN),
    V4_20("v4.20", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MUNMAP_DOWNGRADE, Feature.FREED_TABLES_LAZY_SKIP, Feature.TLB_FLUSH_STRIDE, Feature.LAZY_TLB_ALWAYS, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.PCID_TLB_GEN),
    V5_2("v5.2", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MUNMAP_DOWNGRADE, Feature.FREED_TABLES_LAZY_SKIP, Feature.TLB_FLUSH_STRIDE, Feature.LAZY_TLB_ALWAYS, Feature.NESTED_FLUSH_KEEPS_FREED_TABLES, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.PCID_TLB_GEN),
    V5_8("v5.8", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MUNMAP_DOWNGRADE, Feature.FREED_TABLES_LAZY_SKIP, Feature.TLB_FLUSH_STRIDE, Feature.LAZY_TLB_ALWAYS, Feature.NESTED_FLUSH_KEEPS_FREED_TABLES, Feature.NO_DOWNGRADE_NEXT_TO_STACK, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MREMAP_DONTUNMAP, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.PCID_TLB_GEN),
    V5_15("v5.15", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MUNMAP_DOWNGRADE, Feature.FREED_TABLES_LAZY_SKIP, Feature.TLB_FLUSH_STRIDE, Feature.LAZY_TLB_ALWAYS, Feature.NESTED_FLUSH_KEEPS_FREED_TABLES, Feature.NO_DOWNGRADE_NEXT_TO_STACK, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MREMAP_DONTUNMAP, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.UFFD_MMAP_CHANGING_COUNT, Feature.NUMA_HINT_DELAYED_MAPPING),
    /** v6.13: should_flush_tlb chooses the targets of leaf-only flushes; tlb_flush_batched is generations (v5.17). */
    V6_13("v6.13", Feature.TLB_FLUSH_PENDING_COUNT, Feature.UFFD_UNMAP_PREP_AFTER_SPLIT, Feature.VMACACHE_SEQNUM_U64, Feature.MUNMAP_DOWNGRADE, Feature.FREED_TABLES_LAZY_SKIP, Feature.TLB_FLUSH_STRIDE, Feature.LAZY_TLB_ALWAYS, Feature.NESTED_FLUSH_KEEPS_FREED_TABLES, Feature.NO_DOWNGRADE_NEXT_TO_STACK, Feature.MREMAP_FLUSH_UNDER_PTL, Feature.MREMAP_DONTUNMAP, Feature.MIGRATION_SEES_PENDING_FLUSH, Feature.FLUSH_TLB_BATCHED_PENDING, Feature.TLB_FLUSH_PENDING_ATOMIC, Feature.UFFD_MMAP_CHANGING, Feature.UFFD_MMAP_CHANGING_COUNT, Feature.PCID_TLB_GEN, Feature.SHOULD_FLUSH_TLB, Feature.SWITCHING_BEFORE_TLB_GEN, Feature.RCU_TABLE_FREE_INVALIDATES,
            Feature.TLB_FLUSH_BATCHED_GENERATIONS, Feature.NUMA_HINT_DELAYED_MAPPING, Feature.NUMA_ISOLATE_UNDER_PTL);

    private final String label;
    private final Set<Feature> features;

    KernelVersion(String label, Feature... features) {
        this.label = label;
        this.features = features.length == 0 ? EnumSet.noneOf(Feature.class) : EnumSet.of(features[0], features);
    }

    /** "v4.12": how source references name the version. */
    public String label() {
        return label;
    }

    public Set<Feature> features() {
        return EnumSet.copyOf(features.isEmpty() ? EnumSet.noneOf(Feature.class) : features);
    }

    public boolean has(Feature f) {
        return features.contains(f);
    }
}
