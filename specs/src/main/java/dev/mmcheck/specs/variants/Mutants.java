package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.gather.TlbFlush;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.Mlock;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.List;
import java.util.stream.Collectors;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I3;
import static dev.mmcheck.model.invariants.KernelProperty.I4;
import static dev.mmcheck.model.invariants.KernelProperty.I7;
import static dev.mmcheck.model.invariants.KernelProperty.I8;

/**
 * The mutants of v4.12: each patches one or two named steps with a classic mistake. Every one
 * must be caught (VIOLATED, with a shortest trace) on its scenario, where v4.12 itself holds.
 */
public final class Mutants {
    private static final MachineConfig TWO_CPUS = MachineConfig.small();

    private Mutants() {
    }

    /** Every mutant: these of the munmap/fault paths, then those of the other areas. */
    public static List<Mutant> all() {
        List<Mutant> all = new java.util.ArrayList<>(List.of(freeBeforeFlush(), skipOneIpi(), clearPteAfterFlush(),
                wrongVmaLockedVm(), treeNotList(), noVmacacheInvalidate(), upWriteBeforeUnmapRegion(), noPteNoneRecheck(),
                noPmdNoneRecheck(), stackGrowthUnaccounted()));
        all.addAll(MremapMutants.all());
        all.addAll(ReclaimMutants.all());
        all.addAll(NumaFaultMutants.all());
        all.addAll(UffdMutants.all());
        all.addAll(ContextSwitchMutants.all());
        all.addAll(TruncateMutants.all());
        all.addAll(VmaLockMutants.all());
        return all;
    }

    public static Mutant find(String name) {
        for (Mutant m : all()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mutant '" + name + "'; valid names: "
                + all().stream().map(Mutant::name).collect(Collectors.joining(", ")));
    }

    private static Variant base(String name, String description) {
        return Variants.v4_12().named(name, description);
    }

    /** munmap of the lower VMA while the other thread zaps across both; both CPUs cache pages. */
    static Scenario munmapVsMadvise() {
        return Scenario.named("munmap-vs-madvise-2cpu",
                        "T0 munmaps [0x0000, 0x2000) while T1 zaps [0x0000, 0x3000) with MADV_DONTNEED; both CPUs cache pages")
                .machine(TWO_CPUS)
                .vma(0, 2).vma(2, 4).mapped(0, 1, 2)
                .tlb(0, 1).tlb(1, 0, 2)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.madviseDontneed(0, 3));
    }

    static Mutant freeBeforeFlush() {
        StepRef step = MmuGather.ZAP_PTE_CLEAR;
        return new Mutant("mutant-free-before-flush", base("mutant-free-before-flush",
                "zap_pte_range frees each page as soon as its PTE is cleared, before any TLB flush")
                .replaceEffect(step, "free the page before the TLB flush", (k, orig) -> {
                    MmuGather.Locals g = MmuGather.Locals.of(k.site(), k);
                    return s -> {
                        int frame = k.machine.pte.get(s, g.zapAddr.get(s));
                        orig.apply(s);
                        k.machine.free(s, frame);
                    };
                }), Mutants::munmapVsMadvise, I1, I8);
    }

    static Mutant skipOneIpi() {
        return new Mutant("mutant-skip-ipi", base("mutant-skip-ipi",
                "flush_tlb_mm_range does not interrupt the highest-numbered target CPU")
                .replaceEffect(TlbFlush.FLUSH_LOCAL, "skip the IPI to one CPU", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    int cpus = k.config.cpus();
                    return s -> {
                        long before = 0; // each CPU's pending pages, 8 bits apiece
                        for (int cpu = 0; cpu < cpus; cpu++) {
                            before |= (long) k.machine.ipiPages.get(s, cpu) << 8 * cpu;
                        }
                        orig.apply(s);
                        int targets = l.flushTargets.get(s);
                        if (targets != 0) {
                            int cpu = 31 - Integer.numberOfLeadingZeros(targets);
                            k.machine.ipiPages.set(s, cpu, (int) (before >> 8 * cpu & 0xff));
                            l.flushTargets.set(s, targets & ~(1 << cpu));
                        }
                    };
                }), Mutants::munmapVsMadvise, I1);
    }

    static Mutant clearPteAfterFlush() {
        return new Mutant("mutant-clear-pte-after-flush", base("mutant-clear-pte-after-flush",
                "zap_pte_range batches the page but clears its PTE only after the TLB flush")
                .replaceEffect(MmuGather.ZAP_PTE_CLEAR, "batch the page but leave its PTE in place", (k, orig) -> {
                    MmuGather.Locals g = MmuGather.Locals.of(k.site(), k);
                    return s -> {
                        int page = g.zapAddr.get(s);
                        int frame = k.machine.pte.get(s, page);
                        orig.apply(s);
                        k.machine.pte.set(s, page, frame);
                    };
                })
                .replaceEffect(MmuGather.FINISH_FREE, "clear the batched pages' PTEs after the flush, then free", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        for (int p = 0; p < k.config.pages(); p++) {
                            int frame = k.machine.pte.get(s, p);
                            if (frame != Machine.NONE && (l.gatherFrames.get(s) >> (frame - 1) & 1) == 1) {
                                k.machine.pte.set(s, p, Machine.NONE);
                            }
                        }
                        orig.apply(s);
                    };
                }), () -> Scenario.named("madvise-one-thread", "T0 zaps [0x0000, 0x2000) while CPU1 (T1) caches 0x0000")
                        .machine(TWO_CPUS).vma(0, 2).mapped(0, 1).tlb(1, 0)
                        .thread(0, Op.madviseDontneed(0, 2)), I1);
    }

    static Mutant wrongVmaLockedVm() {
        return new Mutant("mutant-locked-vm-wrong-vma", base("mutant-locked-vm-wrong-vma",
                "munlock's mlock_fixup subtracts the pages of the VMA as it was before the split")
                .replaceEffect(Mlock.MUNLOCK_FIXUP, "locked_vm -= the unsplit VMA's pages", (k, orig) -> {
                    ThreadLocals l = k.locals(k.patchingThread());
                    Mm mm = k.mm;
                    return s -> {
                        int v = l.vma.get(s) - 1;
                        boolean wasLocked = mm.vmaLocked.get(s, v) == 1;
                        int whole = mm.pages(s, v);
                        int before = mm.lockedVm.get(s);
                        orig.apply(s);
                        if (wasLocked && mm.vmaLocked.get(s, v) == 0) {
                            mm.lockedVm.set(s, Math.max(0, before - whole));
                        }
                    };
                }), () -> Scenario.named("mlock-munlock-split", "T0 mlocks [0x0000, 0x2000), munlocks [0x1000, 0x2000) and [0x2000, 0x4000) while T1 stores to 0x3000")
                        .machine(TWO_CPUS).vma(0, 4)
                        .thread(0, Op.mlock(0, 2), Op.munlock(1, 2), Op.munlock(2, 4))
                        .thread(1, Op.access(3)), I3);
    }

    static Mutant treeNotList() {
        return new Mutant("mutant-tree-not-list", base("mutant-tree-not-list",
                "detach_vmas_to_be_unmapped erases the VMAs from the tree but leaves the list pointing at them")
                .replaceEffect(Munmap.DETACH, "rb-erase but keep prev->vm_next (or mm->mmap)", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int prev = l.prev.get(s);
                        int link = prev != Mm.NONE ? k.mm.vmNext(s, prev) : k.mm.listHead.get(s);
                        orig.apply(s);
                        if (prev != Mm.NONE) {
                            k.mm.vmaNext.set(s, prev - 1, link);
                        } else {
                            k.mm.listHead.set(s, link);
                        }
                    };
                }), Mutants::munmapVsMadvise, I4);
    }

    static Mutant noVmacacheInvalidate() {
        return new Mutant("mutant-no-vmacache-invalidate", base("mutant-no-vmacache-invalidate",
                "detach_vmas_to_be_unmapped forgets vmacache_invalidate")
                .replaceEffect(Munmap.DETACH, "no vmacache_invalidate", (k, orig) -> s -> {
                    int threads = k.config.threads();
                    int mmSeq = k.mm.vmacacheSeqnum.get(s);
                    int[] seq = new int[threads];
                    for (int t = 0; t < threads; t++) {
                        seq[t] = k.mm.vmacacheTaskSeq.get(s, t);
                    }
                    orig.apply(s);
                    k.mm.vmacacheSeqnum.set(s, mmSeq);
                    for (int t = 0; t < threads; t++) {
                        k.mm.vmacacheTaskSeq.set(s, t, seq[t]);
                    }
                }), () -> Scenario.named("munmap-twice", "T0 munmaps [0x0000, 0x2000) twice; find_vma caches the VMA")
                        .machine(TWO_CPUS).vma(0, 2).vma(2, 4).mapped(0, 2).tlb(1, 0)
                        .thread(0, Op.munmap(0, 2), Op.munmap(0, 2)), I4, I7);
    }

    static Mutant upWriteBeforeUnmapRegion() {
        return new Mutant("mutant-up-write-early", base("mutant-up-write-early",
                "v4.12 do_munmap releases mmap_sem right after detaching, before unmap_region")
                .replaceEffect(Munmap.DETACH, "up_write right after detaching", (k, orig) -> {
                    int thread = k.patchingThread();
                    return s -> {
                        orig.apply(s);
                        Rwsem.releaseWrite(k, s, thread);
                    };
                })
                .replaceEffect(Munmap.UP_WRITE, "already released", (k, orig) -> s -> { }),
                () -> Scenario.named("munmap-vs-munmap-one-table", "T0 and T1 munmap the two VMAs that share the only page table")
                        .machine(new MachineConfig(2, 2, 4, 4, 5, 3, 0, 7))
                        .vma(0, 2).vma(2, 4).mapped(0, 1, 2).tlb(1, 0)
                        .thread(0, Op.munmap(0, 2)).thread(1, Op.munmap(2, 4)), I7, I8);
    }

    /** Two threads fault the same page: they race __pte_alloc and the PTE install. */
    static Scenario faultSamePage() {
        return Scenario.named("fault-same-page", "T0 and T1 both store to 0x0000, which has no page table yet")
                .machine(TWO_CPUS).vma(0, 4)
                .thread(0, Op.access(0)).thread(1, Op.access(0));
    }

    static Mutant noPteNoneRecheck() {
        return new Mutant("mutant-no-pte-none-recheck", base("mutant-no-pte-none-recheck",
                "do_anonymous_page installs its page without re-checking pte_none under the PTE lock")
                .replaceEffect(PageFault.SET_PTE_AT, "install even if another fault installed a page", (k, orig) -> {
                    ThreadLocals l = k.locals(k.patchingThread());
                    return s -> {
                        k.machine.pte.set(s, l.page.get(s), Machine.NONE); // what the re-check would have seen is ignored
                        orig.apply(s);
                    };
                }), Mutants::faultSamePage, I8);
    }

    static Mutant noPmdNoneRecheck() {
        return new Mutant("mutant-no-pmd-none-recheck", base("mutant-no-pmd-none-recheck",
                "__pte_alloc populates the PMD without re-checking pmd_none under the lock")
                .replaceEffect(PageFault.PMD_POPULATE, "always pmd_populate", (k, orig) -> {
                    ThreadLocals l = k.locals(k.patchingThread());
                    return s -> {
                        k.machine.pmd.set(s, k.config.tableOf(l.page.get(s)), Machine.NONE);
                        orig.apply(s);
                    };
                }), Mutants::faultSamePage, I8);
    }

    static Mutant stackGrowthUnaccounted() {
        return new Mutant("mutant-stack-growth-unaccounted", base("mutant-stack-growth-unaccounted",
                "expand_downwards forgets locked_vm += grow for a VM_LOCKED stack")
                .replaceEffect(PageFault.EXPAND_STACK, "do not account the growth", (k, orig) -> s -> {
                    int before = k.mm.lockedVm.get(s);
                    orig.apply(s);
                    k.mm.lockedVm.set(s, before);
                }), () -> Scenario.named("stack-grows-twice", "T0 stores to 0x1000 and T1 to 0x0000, below the locked stack [0x2000, 0x4000)")
                        .machine(TWO_CPUS).vma(2, 4, true, true)
                        .thread(0, Op.access(1)).thread(1, Op.access(0)), I3);
    }
}
