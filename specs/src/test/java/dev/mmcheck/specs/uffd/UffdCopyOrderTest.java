package dev.mmcheck.specs.uffd;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.UffdScenarios;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * UFFDIO_COPY allocates the destination's page table before mcopy_atomic_pte copies from the
 * monitor's buffer (__mcopy_atomic / mfill_atomic: mm_alloc_pmd and __pte_alloc, then
 * mfill_atomic_pte), so a copy that faults has already put an empty table in place when it drops
 * its lock to copy again.
 */
class UffdCopyOrderTest {
    /**
     * On uffd-copy-retry-vs-munmap nothing but the copy allocates the table of 0x1000: a state
     * where the copy has faulted and copies with its lock dropped while that table exists and
     * maps nothing is reached on every kind of lock the copy takes (mmap_sem; from v6.9 the VMA
     * lock and map_changing_lock), and the scenario holds there.
     */
    @Test
    void aCopyThatFaultsLeavesTheNewTableInPlace() {
        BiPredicate<Kernel, long[]> emptyTableWhileCopying = (k, s) -> k.userfaultfd.copyRetried.get(s) == 1
                && k.mm.semReaders.get(s) == 0 && (!k.mm.perVmaLocks() || !dev.mmcheck.model.mm.VmaLock.hasReaders(k.mm, s, 0))
                && k.machine.pmd.get(s, 0) != Machine.NONE && k.machine.pte.get(s, 1) == Machine.NONE;
        for (KernelVersion v : List.of(KernelVersion.V4_19, KernelVersion.V6_6, KernelVersion.V6_12, KernelVersion.V6_18)) {
            KernelInvariant never = k -> Invariant.of(InvariantId.of("X1"), "never: an empty table while the copy copies again",
                    s -> !emptyTableWhileCopying.test(k, s));
            VariantCheck.of(Variant.of(v)).invariant(never).on(UffdScenarios::copyRetryVsMunmap).assertViolates(InvariantId.of("X1"));
            VariantCheck.of(Variant.of(v)).on(UffdScenarios::copyRetryVsMunmap).assertHolds();
        }
    }
}
