package dev.mmcheck.model.versions;

import dev.mmcheck.model.Variant;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The mainline releases the model offers. A release's features are derived from the facts of
 * {@link Feature}, never listed here: feature f is in release r built with configurations C iff
 * f was first released at or before r, not removed by r, and f's configuration is in C.
 *
 * <p>A release is offered only where the model represents its mechanisms for what the scenarios
 * exercise: up to v5.19 the rbtree + list + vmacache VMA set and {@code do_munmap}/{@code
 * __do_munmap}; from v6.1 the maple tree and {@code do_mas_align_munmap}; faults under mmap_lock
 * read; from v6.6 per-VMA locks; v6.12's munmap halves. The first release with a mechanism the
 * model lacks is a release-wide {@link UnmodelledChange} (v6.15's vm_refcnt); every offered
 * release comes before all of them. A scoped change (v6.1's stack expansion into the maple tree) leaves the release
 * offered but refuses the scenarios that exercise it. Composite variants (a release plus named
 * commits, {@link Variant#with}) model single later behaviours.
 */
public enum KernelVersion {
    /** do_munmap under the write lock; no tlb_flush_pending counter; no PCID. */
    V4_12,
    /** The tlb_flush_pending counter, flush_tlb_batched_pending and mm->tlb_flush_batched (a bool). */
    V4_13,
    /** PCID and TLB generations; RCU table freeing, with no invalidation before the free (B9), in every x86 config. */
    V4_14,
    /**
     * LTS: u64 vmacache seqnum, mremap's flush under the PTL, uffd mmap_changing; RCU table freeing
     * only with PARAVIRT, and with the invalidation.
     */
    V4_19,
    /** munmap downgrades mmap_sem; freed_tables and the lazy-CPU skip (B2, B3). */
    V4_20,
    /** The nested flush keeps freed_tables (7a30df49f63a). */
    V5_2,
    /** LTS: the same mechanisms as v5.2 for everything the model has. */
    V5_4,
    /** No downgrade next to a growing stack (246c320a8cfe); MREMAP_DONTUNMAP. */
    V5_8,
    /** LTS: the same mechanisms as v5.8 for everything the model has. */
    V5_10,
    /** LTS: do_numa_page delays the mapping; the uffd mmap_changing counter. */
    V5_15,
    /** tlb_flush_batched generations; mprotect's own flush (the last release before its mmu_gather). */
    V5_17,
    /**
     * mprotect and change_prot_numa through an mmu_gather; unmap_mapping_range under i_mmap_rwsem
     * read (v5.18); the VM_PFNMAP flush in tlb_end_vma: the last release before the vmacache was
     * removed (v6.1). Its munmap subtracts locked_vm in detach_vmas_to_be_unmapped (the v5.18 mlock
     * rework), under the same write lock as the model's munlock step.
     */
    V5_19,
    /**
     * LTS: the maple tree is the VMA set (no list, no vmacache); munmap gathers the range into a
     * side tree, subtracting locked_vm as it goes (B16), and removes it from the mm's tree in one
     * store (do_mas_align_munmap). A stack grows by a tree store under the read lock that may
     * rewrite the tree's node in place under readers (MT1; RCU mode and StackRot came in 6.1.24).
     */
    V6_1,
    /**
     * LTS: per-VMA locks (a fault tries lock_vma_under_rcu before mmap_lock; munmap write-locks
     * and detaches each VMA; VMAs freed after an RCU grace period), do_vmi_align_munmap, stacks
     * grown under the write lock (lock_mm_and_find_vma), munmap always downgrades. Scenarios
     * whose other operations write-lock VMAs, or whose faults take file, userfaultfd, NUMA or
     * migration paths, are refused.
     */
    V6_6,
    /**
     * LTS: munmap in two halves in mm/vma.c (vms_gather_munmap_vmas, vma_iter_clear_gfp,
     * vms_complete_munmap_vmas; the same order of accesses as v6.6), a first anonymous fault runs
     * under the VMA lock and sets up the anon_vma with a mmap_lock trylock (vmf_anon_prepare,
     * v6.10), lock_vma_under_rcu retries on a detached VMA before checking its range, and a
     * shared file fault runs under the VMA lock (v6.7). mmap(MAP_FIXED) in its 6.12 form.
     * Refused as on v6.6: userfaultfd, NUMA, migration, VM_PFNMAP faults, mremap, UFFDIO_REGISTER.
     */
    V6_12,
    /**
     * The per-VMA lock is vm_refcnt and VMAs are SLAB_TYPESAFE_BY_RCU (v6.15): vma_start_read
     * takes a reference (-EAGAIN on a detached VMA: walk again), vma_mark_detached waits for a
     * reader's reference, and vm_area_free frees at once, so a VMA may be reused under an RCU
     * reader. The x86 TLB code of v6.14 to v6.18: should_flush_tlb with the lazily trimmed
     * mm_cpumask, LOADED_MM_SWITCHING, and switch_mm_irqs_off's order fixed in v6.18.
     * Refused as on v6.12, and also what the model lacks from v6.13 on (see {@link UnmodelledChange}).
     */
    V6_18;

    private final Release release;

    KernelVersion() {
        String[] parts = name().substring(1).split("_");
        this.release = new Release(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    public Release release() {
        return release;
    }

    /** "v4.12": how source references and variant names name the release. */
    public String label() {
        return release.label();
    }

    /** The features of this release in the default configuration (x86-64, no PARAVIRT). */
    public Set<Feature> features() {
        return features(EnumSet.noneOf(Config.class));
    }

    /** The features of this release built with {@code configs}: derived from {@link Feature#facts()}. */
    public Set<Feature> features(Set<Config> configs) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) {
            if (f.in(release, configs)) {
                s.add(f);
            }
        }
        return s;
    }

    /** Has the release, in the default configuration, feature {@code f}? */
    public boolean has(Feature f) {
        return f.in(release, EnumSet.noneOf(Config.class));
    }

    /** The offered release called {@code label} ("v5.15"); an error listing the offered ones otherwise. */
    public static KernelVersion of(String label) {
        for (KernelVersion v : values()) {
            if (v.label().equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("release '" + label + "' is not offered; offered: "
                + String.join(", ", Arrays.stream(values()).map(KernelVersion::label).toList()));
    }
}
