package dev.mmcheck.specs.vmalocks;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.MapleScenarios;
import dev.mmcheck.specs.scenario.MmapFixedScenarios;
import dev.mmcheck.specs.scenario.Scenarios;
import dev.mmcheck.specs.scenario.VmaLockScenarios;
import org.junit.jupiter.api.Test;

import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v6.18 (docs/model-vma-locks.md, "v6.18"): the per-VMA lock as vm_refcnt and VMAs in a
 * SLAB_TYPESAFE_BY_RCU cache, freed at once and reused under RCU readers.
 */
class V618Test {
    private static final Variant V6_18 = Variant.of(KernelVersion.V6_18);

    /**
     * should_trim_cpumask: a leaf-only flush (MADV_DONTNEED frees no page table here) may trim,
     * and the check takes that alternative and holds. Its outcome, an IPI to CPU1 on another
     * process that clears CPU1's bit there, is reached without the trim too (CPU1 targeted while
     * it ran the mm, then switched away before the IPI), so a kernel that never trims has the same
     * states on this scenario.
     */
    @Test
    void aFlushMayTrimTheCpumaskAndItHolds() {
        var ctxsw = (java.util.function.Supplier<dev.mmcheck.specs.scenario.Scenario>)
                dev.mmcheck.specs.scenario.ContextSwitchScenarios::dontneedWhileSwitching;
        var outcome = VariantCheck.of(V6_18).on(ctxsw).assertHolds().get(0);
        var model = outcome.model().model();
        String trim = dev.mmcheck.model.gather.TlbFlush.trimDue(1).choice();
        long trims = 0;
        for (int id = 0; id < model.transitionCount(); id++) {
            if (model.transition(id).label().contains(trim)) {
                trims += outcome.result().statistics().transitionsFired()[id];
            }
        }
        assertTrue(trims > 0, "no flush trimmed the cpumask");
        long neverTrims = VariantCheck.of(V6_18).replaceGuard(dev.mmcheck.model.gather.TlbFlush.trimDue(1), "never trim",
                (k, orig) -> s -> false).on(ctxsw).assertHolds().get(0).result().statistics().distinct();
        assertEquals(outcome.result().statistics().distinct(), neverTrims);
        VmaLockTest.reachable(V6_18, ctxsw, "CPU1, on another process, left the cpumask",
                (k, s) -> k.machine.loaded.get(s, 1) != dev.mmcheck.model.machine.Machine.THE_MM && k.machine.lazy.get(s, 1) == 0
                        && k.machine.inCpumask.get(s, 1) == 0);
    }

    /** T1's fault took a reference after munmap's vma_start_write; vma_mark_detached waits for it with its offset in the count. */
    @Test
    void vmaMarkDetachedWaitsForAReadersReference() {
        VmaLockTest.reachable(V6_18, VmaLockScenarios::faultsVsMunmap3cpu, "munmap waits in vma_mark_detached for a reader",
                (k, s) -> k.mm.vmaDetached.get(s, 0) == 1 && k.mm.vmaLockWriter.get(s, 0) == 1 && k.mm.vmaLockReaders.get(s, 0) > 0);
    }

    /** A fault's increment meets a count of 0 (detached): -EAGAIN, out of its RCU section, and it walks again. */
    @Test
    void aDetachedVmaSendsTheFaultBackToItsWalk() {
        VmaLockTest.reachable(V6_18, Scenarios::munmapVsFaultSameVma, "vma_start_read returned -EAGAIN",
                (k, s) -> {
                    ThreadLocals l = k.locals(1);
                    int v = l.vma.slot(s);
                    return v >= 0 && k.mm.vmaDetached.get(s, v) == 1 && k.mm.rcuReadLocked.get(s, 1) == 0
                            && k.mm.faultVmaLocked.get(s, 1) == Mm.NONE && k.mm.semReaders.get(s) == 0;
                });
    }

    /**
     * T1's munmap frees VMA 0 while T0's fault is inside rcu_read_lock with a pointer to it, and
     * T2's split reuses the object for [0x2000, 0x3000): possible from v6.15 only.
     */
    @Test
    void aFreedVmaIsReusedUnderAnRcuReaderFromV615Only() {
        BiPredicate<Kernel, long[]> reused = (k, s) -> k.mm.rcuReadLocked.get(s, 0) == 1 && k.locals(0).vma.slot(s) == 0
                && k.mm.vmaAllocated.get(s, 0) == 1 && k.mm.vmaStart.get(s, 0) == 2;
        VmaLockTest.reachable(V6_18, VmaLockScenarios::vmaReuseVsFault3cpu, "VMA 0 reused under T0's RCU walk", reused);
        KernelInvariant never = k -> Invariant.of(InvariantId.of("X5"), "no reuse under an RCU reader", s -> !reused.test(k, s));
        VariantCheck.of(KernelVersion.V6_12).invariant(never).on(VmaLockScenarios::vmaReuseVsFault3cpu).assertHolds();
    }

    @Test
    void v618HoldsOnFaultsAgainstMunmapMmapAndTheErrorPaths() {
        VariantCheck.of(V6_18).on(VmaLockScenarios::firstFaultVsMunmap, Scenarios::munmapVsFaultSameVma, VmaLockScenarios::faultsVsMunmap3cpu,
                VmaLockScenarios::faultVsMunmapEnomem, MapleScenarios::munmapEnomemAfterMlocked, MapleScenarios::munmapTreeStoreEnomem,
                VmaLockScenarios::vmaReuseVsFault3cpu, MmapFixedScenarios::mmapFixedVsFault).assertHolds();
    }

    /**
     * v6.17+: MADV_DONTNEED zaps holding only the VMA's read lock, and finishes its gather (the
     * flush, the freeing of the zapped page) after vma_end_read, holding no lock at all.
     */
    @Test
    void madviseZapsUnderTheVmaLockAndFlushesAfterIt() {
        VmaLockTest.reachable(V6_18, Scenarios::munmapVsMadvise, "0x1000 zapped under the VMA lock alone",
                (k, s) -> k.mm.faultVmaLocked.get(s, 1) != Mm.NONE && k.machine.pte.get(s, 1) == dev.mmcheck.model.machine.Machine.NONE
                        && k.mm.semReaders.get(s) == 0 && k.mm.semWriter.get(s) == 0);
        VmaLockTest.reachable(V6_18, Scenarios::munmapVsMadvise, "the zapped page still batched after vma_end_read, no lock held",
                (k, s) -> k.locals(1).gatherFrames.get(s) != 0 && k.mm.faultVmaLocked.get(s, 1) == Mm.NONE
                        && k.mm.semReaders.get(s) == 0 && k.mm.semWriter.get(s) == 0);
    }

    /** The fault's lock steps cite mm/mmap_lock.c, and the detach that skips its wait is caught (I7). */
    @Test
    void aDetachThatDoesNotWaitIsCaughtAndStepsCiteMmapLockC() {
        Result r = VmaLockTest.checkMutant("mutant-detach-no-reader-wait");
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertTrue(r.trace().steps().stream().anyMatch(st -> !st.isInitial()
                && st.transition().source().contains("mm/mmap_lock.c:vma_start_read")), r.summary());
        assertTrue(r.trace().steps().stream().anyMatch(st -> !st.isInitial()
                && st.transition().title().contains("__refcount_inc_not_zero_limited_acquire")), r.summary());
    }
}
