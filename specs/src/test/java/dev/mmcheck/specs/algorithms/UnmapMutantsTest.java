package dev.mmcheck.specs.algorithms;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.KernelVersion;
import dev.mmcheck.model.Machine;
import dev.mmcheck.model.MachineConfig;
import dev.mmcheck.model.Mm;
import dev.mmcheck.model.MmuGather;
import dev.mmcheck.model.ThreadLocals;
import dev.mmcheck.model.TlbFlush;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutants of the unmap side, each a small patch of named steps of v4.12: the checker must find
 * each one (VIOLATED, with a trace) on a scenario where v4.12 itself holds.
 */
class UnmapMutantsTest {
    private static final Variant V4_12 = Variant.of(KernelVersion.V4_12);

    /** The base holds on the scenario and the mutant breaks {@code invariant}; returns the mutant's run. */
    private static Result caught(Scenario scenario, Variant mutant, String invariant) {
        Result base = UnmapScenarios.check(scenario, V4_12);
        assertEquals(Verdict.HOLDS, base.verdict(), "the unpatched algorithm must hold: " + base.summary());
        Result r = UnmapScenarios.check(scenario, mutant);
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertNotNull(r.trace());
        assertTrue(r.invariant().startsWith(invariant), r.invariant() + ": " + r.message() + "\n" + UnmapScenarios.story(r.trace()));
        return r;
    }

    @Test
    void freeingPagesBeforeTheFlushIsCaught() {
        Variant mutant = V4_12.patch("zap_pte_range." + MmuGather.CLEAR_PTE,
                "free the page as soon as its PTE is cleared, before any TLB flush", (k, orig) -> {
                    MmuGather.Locals g = MmuGather.Locals.of(k.site(), k);
                    return s -> {
                        int frame = k.machine.pte.get(s, g.zapAddr.get(s));
                        orig.apply(s);
                        k.machine.free(s, frame);
                    };
                });
        caught(UnmapScenarios.munmapVsMadvise(7), mutant, "I1");
    }

    @Test
    void skippingTheIpiToOneCpuIsCaught() {
        Variant mutant = V4_12.patch("flush_tlb_mm_range." + TlbFlush.SEND,
                "do not interrupt the highest-numbered target CPU", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        orig.apply(s);
                        int targets = l.flushTargets.get(s);
                        if (targets != 0) {
                            int cpu = 31 - Integer.numberOfLeadingZeros(targets);
                            k.machine.ipiPending.set(s, cpu, 0);
                            l.flushTargets.set(s, targets & ~(1 << cpu));
                        }
                    };
                });
        caught(UnmapScenarios.munmapVsMadvise(7), mutant, "I1");
    }

    @Test
    void clearingThePteAfterTheFlushIsCaught() {
        Scenario madvise = Scenario.named("madvise", "T0 zaps [0x0, 0x2000) while CPU1 runs T1 (idle in user space)")
                .machine(UnmapScenarios.TWO_CPUS).vma(0, 2).mapped(0, 1).tlb(1, 0)
                .thread(0, Op.madviseDontneed(0, 2));
        Variant mutant = V4_12
                .patch("zap_pte_range." + MmuGather.CLEAR_PTE, "batch the page but leave its PTE in place",
                        (k, orig) -> {
                            MmuGather.Locals g = MmuGather.Locals.of(k.site(), k);
                            return s -> {
                                int page = g.zapAddr.get(s);
                                int frame = k.machine.pte.get(s, page);
                                orig.apply(s);
                                k.machine.pte.set(s, page, frame);
                            };
                        })
                .patch("tlb_finish_mmu." + MmuGather.FREE, "clear the batched pages' PTEs after the flush, then free",
                        (k, orig) -> {
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
                        });
        caught(madvise, mutant, "I1");
    }

    @Test
    void detachingFromTheTreeButNotTheListIsCaught() {
        Variant mutant = V4_12.patch("munmap.detach_vmas_to_be_unmapped",
                "rb-erase the VMAs but leave prev->vm_next (or mm->mmap) pointing at them", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int prev = l.prev.get(s);
                        int link = prev != Mm.NONE ? k.mm.vmaNext.get(s, prev - 1) : k.mm.listHead.get(s);
                        orig.apply(s);
                        if (prev != Mm.NONE) {
                            k.mm.vmaNext.set(s, prev - 1, link);
                        } else {
                            k.mm.listHead.set(s, link);
                        }
                    };
                });
        caught(UnmapScenarios.munmapVsMadvise(7), mutant, "I4");
    }

    @Test
    void forgettingVmacacheInvalidateIsCaught() {
        Scenario twice = Scenario.named("munmap-twice", "T0 munmaps [0x0, 0x2000) twice; find_vma caches the VMA")
                .machine(UnmapScenarios.TWO_CPUS).vma(0, 2).vma(2, 4).mapped(0, 2).tlb(1, 0)
                .thread(0, Op.munmap(0, 2), Op.munmap(0, 2));
        Variant mutant = V4_12.patch("munmap.detach_vmas_to_be_unmapped", "no vmacache_invalidate",
                (k, orig) -> s -> {
                    int threads = k.config.threads();
                    int[] seq = new int[threads + 1];
                    seq[threads] = k.mm.vmacacheSeqnum.get(s);
                    for (int t = 0; t < threads; t++) {
                        seq[t] = k.mm.vmacacheTaskSeq.get(s, t);
                    }
                    orig.apply(s);
                    k.mm.vmacacheSeqnum.set(s, seq[threads]);
                    for (int t = 0; t < threads; t++) {
                        k.mm.vmacacheTaskSeq.set(s, t, seq[t]);
                    }
                });
        caught(twice, mutant, "I4");
    }

    @Test
    void releasingMmapSemBeforeUnmapRegionIsCaught() {
        // One page table for the whole address space: whichever munmap runs second frees it.
        Scenario shared = Scenario.named("munmap-vs-munmap-one-table",
                        "T0 and T1 munmap the two VMAs that share the only page table")
                .machine(new MachineConfig(2, 2, 4, 4, 5, 3, 0, 7))
                .vma(0, 2).vma(2, 4).mapped(0, 1, 2).tlb(1, 0)
                .thread(0, Op.munmap(0, 2)).thread(1, Op.munmap(2, 4));
        Variant mutant = V4_12
                .patch("munmap.detach_vmas_to_be_unmapped", "up_write right after detaching",
                        (k, orig) -> s -> {
                            orig.apply(s);
                            k.mm.semWriter.set(s, 0);
                        })
                .patch("munmap.up_write", "already released", (k, orig) -> s -> { });
        // The early free shows as a PTE written into a freed table (I7) or, sooner, as the page it
        // mapped being leaked when the other munmap frees that table (I8).
        Result r = caught(shared, mutant, "I");
        assertTrue(r.invariant().startsWith("I7") || r.invariant().startsWith("I8"), r.invariant());
    }
}
