package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.gather.TlbFreeVmas;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.Mremap;
import dev.mmcheck.model.syscalls.UnmapMappingRange;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.scenario.MremapScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I2;
import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static dev.mmcheck.model.invariants.KernelProperty.I8;
import static dev.mmcheck.model.invariants.KernelProperty.I9;

/**
 * Mutants of mremap and of the rmap zapper, one or more per actor (mremap's move and its
 * locked_vm accounting, MREMAP_DONTUNMAP, unmap_mapping_range, munmap's unlink_file_vma). Each
 * is caught on its scenario, where its unpatched base ({@link #base}) holds.
 */
public final class MremapMutants {
    private MremapMutants() {
    }

    public static List<Mutant> all() {
        return List.of(mremapNoFlush(), mremapLockedVmUnaccounted(), dontunmapKeepsVmLocked(),
                unmapMappingRangeNoFlush(), unlinkFileVmaAtDetach(), freeVmasWithoutFlush(), newVmaNotWriteLocked(),
                oldVmaNotWriteLocked());
    }

    /** The variant the mutant patches: it must hold on the mutant's scenario. */
    public static Variant base(Mutant m) {
        switch (m.name()) {
            case "mutant-dontunmap-keeps-vm-locked":
                return Variant.of(KernelVersion.V5_8);
            case "mutant-tlb-free-vmas-no-flush":
                return Variant.of(KernelVersion.V6_18);
            case "mutant-mremap-new-vma-not-write-locked":
            case "mutant-mremap-old-vma-not-write-locked":
                return Variant.of(KernelVersion.V6_12);
            case "mutant-unmap-mapping-range-no-flush":
            case "mutant-unlink-file-vma-at-detach":
                return pfnmapFixed();
            default:
                return Variants.v4_12();
        }
    }

    /** v4.13 (nested gathers force a flush) with b67fbebd4cf9: the rmap race of a VM_PFNMAP munmap closed. */
    public static Variant pfnmapFixed() {
        return Variants.v4_13().with(Feature.PFNMAP_FLUSH_IN_TLB_END_VMA);
    }

    static Mutant mremapNoFlush() {
        return new Mutant("mutant-mremap-no-flush", Variants.v4_12().named("mutant-mremap-no-flush",
                "move_ptes moves a present PTE without ever flushing the old address")
                .replaceEffect(Mremap.MREMAP_UNLOCK_NEW, "forget need_flush", (k, orig) -> {
                    Mremap.Locals r = Mremap.Locals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        r.needFlush.set(s, 0);
                    };
                }), MremapScenarios::mremapVsFault, I2);
    }

    static Mutant mremapLockedVmUnaccounted() {
        return new Mutant("mutant-mremap-locked-vm-unaccounted", Variants.v4_12().named("mutant-mremap-locked-vm-unaccounted",
                "move_vma forgets locked_vm += new_len after do_munmap subtracted old_len")
                .replaceEffect(Mremap.MREMAP_ACCOUNT, "no locked_vm += new_len", (k, orig) -> s -> {
                    int before = k.mm.lockedVm.get(s);
                    orig.apply(s);
                    k.mm.lockedVm.set(s, before);
                }), MremapScenarios::mremapLocked, I3);
    }

    static Mutant dontunmapKeepsVmLocked() {
        return new Mutant("mutant-dontunmap-keeps-vm-locked", Variant.of(KernelVersion.V5_8).named("mutant-dontunmap-keeps-vm-locked",
                "MREMAP_DONTUNMAP leaves VM_LOCKED on the old VMA (locked_vm untouched)")
                .replaceEffect(Mremap.MREMAP_CLEAR_LOCKED, "keep VM_LOCKED", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int v = l.vma.get(s) - 1;
                        orig.apply(s);
                        k.mm.vmaLocked.set(s, v, 1);
                    };
                }), MremapScenarios::mremapDontunmapLocked, I3);
    }

    static Mutant unmapMappingRangeNoFlush() {
        return new Mutant("mutant-unmap-mapping-range-no-flush", pfnmapFixed().named("mutant-unmap-mapping-range-no-flush",
                "zap_page_range_single clears the VM_PFNMAP PTE without growing the gather's range, so nothing is flushed")
                .replaceEffect(UnmapMappingRange.CLEAR_PTE, "no tlb_remove_tlb_entry", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int start = l.gatherStart.get(s);
                        int end = l.gatherEnd.get(s);
                        int cleared = l.gatherClearedPtes.get(s);
                        orig.apply(s);
                        l.gatherStart.set(s, start);
                        l.gatherEnd.set(s, end);
                        l.gatherClearedPtes.set(s, cleared);
                    };
                }), MremapScenarios::pfnmapMunmapVsRevoke, I1);
    }

    static Mutant unlinkFileVmaAtDetach() {
        return new Mutant("mutant-unlink-file-vma-at-detach", pfnmapFixed().named("mutant-unlink-file-vma-at-detach",
                "munmap unlinks the VMA from the file's i_mmap when it detaches it, before unmap_vmas zaps it")
                .replaceEffect(Munmap.DETACH, "unlink_file_vma now", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        for (int v = l.vma.get(s); v != Mm.NONE && k.mm.vmStart(s, v) < l.end.get(s);
                             v = k.mm.vmNext(s, v)) {
                            k.mm.vmaInIMmap.set(s, v - 1, 0);
                        }
                        orig.apply(s);
                    };
                }), MremapScenarios::pfnmapMunmapVsRevoke, I1);
    }

    /**
     * vma_link stores mremap's new VMA in the tree without vma_start_write: a lockless fault on
     * the new address read-locks it and faults a page in before move_ptes moves the old page there.
     */
    static Mutant newVmaNotWriteLocked() {
        String name = "mutant-mremap-new-vma-not-write-locked";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name,
                "copy_vma's vma_link stores the new VMA without vma_start_write")
                .replaceEffect(Mremap.MREMAP_COPY_VMA, "no vma_start_write(new)", (k, orig) -> {
                    Mremap.Locals r = Mremap.Locals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        if (r.newVma.get(s) != Mm.NONE) {
                            k.mm.vmaWriteLocked.set(s, r.newVma.get(s) - 1, 0);
                        }
                    };
                }), MremapScenarios::mremapVsFaultAtTarget, I8);
    }

    /**
     * move_vma without its vma_start_write of the old VMA: a lockless fault in the old VMA
     * read-locks it and faults a page in at an old address after move_page_tables moved it, so
     * the store lands in a page the internal munmap then drops.
     */
    static Mutant oldVmaNotWriteLocked() {
        String name = "mutant-mremap-old-vma-not-write-locked";
        return new Mutant(name, Variant.of(KernelVersion.V6_12).named(name,
                "move_vma calls copy_vma without vma_start_write of the old VMA")
                .replaceEffect(Mremap.MREMAP_START_WRITE, "no vma_start_write(vma)", (k, orig) -> s -> { }),
                MremapScenarios::mremapVsFault, I9);
    }

    /**
     * v6.18's free_pgtables without tlb_free_vmas' flush: with tlb_end_vma doing nothing on x86,
     * nothing flushes a zapped VM_PFNMAP range before unlink_file_vma, the race b67fbebd4cf9 closed.
     */
    static Mutant freeVmasWithoutFlush() {
        return new Mutant("mutant-tlb-free-vmas-no-flush", Variant.of(KernelVersion.V6_18).named("mutant-tlb-free-vmas-no-flush",
                "free_pgtables does not flush for a zapped VM_PFNMAP VMA before unlinking it (no tlb_free_vmas)")
                .skip(TlbFreeVmas.FLUSH, "no tlb_flush_mmu_tlbonly"), MremapScenarios::pfnmapMunmapVsRevoke, I1);
    }
}
