package org.example.proposals;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.model.Reads;
import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

/** The examples of docs/proposing-a-change.md, each as the guide shows it. */
class ProposingAChangeTest {

    // (a) Change a guard: munmap takes mmap_sem for write without waiting for its readers.
    @Test
    void aGuardThatNoLongerWaitsForReaders() {
        Violation v = VariantCheck.of(Variants.v4_20Fixed())
                .replaceGuard(Munmap.DOWN_WRITE, "do not wait for readers", (k, original) -> s -> k.mm.semWriter.get(s) == 0)
                .on(Scenarios::munmapVsFaultSameVma)
                .assertViolates(KernelProperty.I7);
        System.out.println(v);
    }

    // (b) Insert a lock drop and re-take, with a re-check, into zap_pte_range's walk.
    @Test
    void zapDropsAndRetakesThePtlAfterEachPte() {
        VariantCheck.of(Variants.v4_20Fixed())
                .insertAfter(MmuGather.ZAP_PTE_CLEAR, "let faults in between two PTEs", (k, code) -> {
                    MmuGather.Locals g = MmuGather.Locals.of(code, k);
                    int pages = k.config.pages();
                    code.step("pte_unmap_unlock (proposed)", k.src("mm/memory.c:zap_pte_range"),
                                    s -> k.machine.ptl.set(s, k.config.tableOf(Math.min(g.zapAddr.get(s), pages - 1)), 0))
                        .await("pte_offset_map_lock (proposed)", k.src("mm/memory.c:zap_pte_range"),
                                    s -> k.machine.ptl.get(s, k.config.tableOf(Math.min(g.zapAddr.get(s), pages - 1))) == 0,
                                    s -> k.machine.ptl.set(s, k.config.tableOf(Math.min(g.zapAddr.get(s), pages - 1)), 1));
                })
                .on(Scenarios::munmapVsFaultSameVma, Scenarios::parallelDontneed)
                .assertHolds();
    }

    // (c) A new operation: a driver zaps its VM_PFNMAP mapping under mmap_lock read.
    static Scenario driverZapVsMunmap() {
        return Scenario.named("example-zap-vs-munmap-2cpu",
                        "T0 (the driver) zaps its VM_PFNMAP [0x0000, 0x2000) while T1 munmaps it; CPU1 caches 0x0000")
                .machine(MachineConfig.small())
                .pfnVma(0, 2).mapped(0).tlb(1, 0)
                .thread(0, Op.of(new ExampleDriverZap(), 0, 2)).thread(1, Op.munmap(0, 2));
    }

    @Test
    void theDriversZapHolds() {
        VariantCheck.of(Variants.v4_20Fixed()).on(ProposingAChangeTest::driverZapVsMunmap).assertHolds();
    }

    // (d) An invariant of your own, over ghost state: once the driver's zap has flushed, no CPU
    // translates 0x0000 any more.
    record Flushed(Field flag) {
        static Flushed of(Kernel k) {
            return k.shared(Flushed.class, kernel -> new Flushed(kernel.program.flag("ghost.example_zap_flushed")));
        }
    }

    static final StepRef FINISH = StepRef.in("example_zap", "tlb_finish_mmu");

    static final InvariantId U1 = InvariantId.of("U1");

    static VariantCheck withU1(VariantCheck check) {
        return check
                .invariant(k -> {
                    Field flushed = Flushed.of(k).flag();
                    return Invariant.of(U1, "once example_zap has flushed, no CPU translates 0x0000",
                                    s -> flushed.get(s) == 0 || noCpuTranslates(k, s, 0))
                            .reading(Reads.of(flushed).and(k.machine.tlb)); // checked only where these change
                })
                .on(ProposingAChangeTest::driverZapVsMunmap);
    }

    static void markFlushed(Kernel k, Code code) {
        Field flushed = Flushed.of(k).flag();
        code.step("ghost: flushed", "ghost state", s -> flushed.set(s, 1));
    }

    static boolean noCpuTranslates(Kernel k, long[] s, int page) {
        for (int cpu = 0; cpu < k.config.cpus(); cpu++) {
            if (k.machine.tlb.get(s, cpu * k.config.pages() + page) != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aUserInvariantHoldsAndCatchesAMissingFlush() {
        withU1(VariantCheck.of(Variants.v4_20Fixed()))
                .insertAfter(FINISH, "note the flush", ProposingAChangeTest::markFlushed)
                .assertHolds();
        Violation v = withU1(VariantCheck.of(Variants.v4_20Fixed()))
                .skip(FINISH, "forget the flush")
                .insertAfter(FINISH, "note the flush", ProposingAChangeTest::markFlushed)
                .assertViolates(U1);
        System.out.println(v);
    }
}
