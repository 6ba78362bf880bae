package dev.mmcheck.specs.lifetime;

import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I7 checks a VMA pointer where it is used: a pointer found under mmap_lock and used after the
 * lock was dropped is caught at the use, whether or not another thread freed the VMA meanwhile,
 * and the counterexample says where the pointer was found, where the lock was released and
 * where the pointer was used.
 */
class ObjectLifetimeTest {

    @Test
    void madviseRefindsTheVmaAfterUserfaultfdRemoveDroppedMmapLock() {
        VariantCheck.of(Variants.v4_20Fixed()).on(UffdScenarios::dontneedVsBackgroundCopy).assertHolds();
    }

    @Test
    void aVmaPointerKeptAcrossTheDroppedLockIsCaughtWhereItIsUsed() {
        Violation v = VariantCheck.of(Variants.v4_20Fixed())
                .skip(Userfaultfd.REMOVE_FIND_VMA, "keep the VMA found before the REMOVE event")
                .on(UffdScenarios::dontneedVsBackgroundCopy)
                .assertViolates(KernelProperty.I7);
        String why = v.counterexample().finding().explanation();
        assertTrue(why.contains("T0 used VMA 0 after releasing the mmap_lock it found the VMA under"), why);
        assertTrue(why.contains("the pointer T0.vma was found at step"), why);
        assertTrue(why.contains("madvise_dontneed.find_vma_prev"), why);
        assertTrue(why.contains("mmap_lock released at step"), why);
        assertTrue(why.contains("userfaultfd_remove.up_read"), why);
        assertTrue(why.contains("used at step"), why);
    }

    @Test
    void munmapReleasingMmapSemBeforeUnmapRegionIsCaughtAtItsNextUseOfTheVma() {
        Mutant early = Mutants.all().stream().filter(m -> m.name().equals("mutant-up-write-early")).findFirst().orElseThrow();
        Violation v = VariantCheck.of(early.variant()).on(early.scenario()).assertViolates(KernelProperty.I7);
        String why = v.counterexample().finding().explanation();
        assertTrue(why.contains("after releasing the mmap_lock"), why);
        assertTrue(why.contains("munmap.detach_vmas_to_be_unmapped"), why);
    }
}
