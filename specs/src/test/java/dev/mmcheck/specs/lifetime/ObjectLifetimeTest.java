package dev.mmcheck.specs.lifetime;

import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.faults.PageFault;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.junit.Violation;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.Mutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I7 checks a VMA pointer where it is used, and a page-table pointer where a PTE is read or
 * written through it: a pointer found under mmap_lock and used after the
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
        assertTrue(why.contains("T0 used VMA 0 after releasing the lock it found the VMA under"), why);
        assertTrue(why.contains("the pointer T0.vma was found at step"), why);
        assertTrue(why.contains("madvise_dontneed.find_vma_prev"), why);
        assertTrue(why.contains("mmap_lock released at step"), why);
        assertTrue(why.contains("userfaultfd_remove.up_read"), why);
        assertTrue(why.contains("used at step"), why);
    }

    /** munmap of a whole table against mprotect(PROT_READ) of one of its pages. */
    private static Scenario munmapVsMprotect() {
        return Scenario.named("munmap-vs-mprotect", "T0 munmap()s 0x0000-0x2000 while T1 mprotect(PROT_READ)s 0x0000")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(0, 1)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.mprotectRead(0, 1));
    }

    @Test
    void pageTableWalkersUnderMmapLockHoldAgainstMunmap() {
        VariantCheck.of(Variants.v4_20Fixed()).on(ObjectLifetimeTest::munmapVsMprotect, ObjectLifetimeTest::munmapVsFault)
                .assertHolds();
    }

    /** munmap of a whole table against a store that faults in a page of it (the other page is mapped). */
    private static Scenario munmapVsFault() {
        return Scenario.named("munmap-vs-store", "T0 munmap()s 0x0000-0x2000 while T1 stores to 0x0000, which is not mapped yet")
                .machine(MachineConfig.small())
                .vma(0, 2).mapped(1)
                .thread(0, Op.munmap(0, 2))
                .thread(1, Op.access(0));
    }

    @Test
    void aPageTablePointerUsedAfterMunmapFreedTheTableIsCaughtWhereThePteIsWritten() {
        // A fault that takes no mmap_lock: do_anonymous_page keeps the pointer pte_offset_map gave
        // it while munmap zaps the range and free_pgtables frees that page table.
        Violation v = VariantCheck.of(Variants.v4_20Fixed())
                .replaceGuard(PageFault.DOWN_READ, "take no mmap_lock", (k, original) -> st -> true)
                .replaceEffect(PageFault.DOWN_READ, "take no mmap_lock", (k, original) -> st -> { })
                .replaceEffect(PageFault.UP_READ, "release no mmap_lock", (k, original) -> st -> { })
                .replaceEffect(PageFault.BAD_AREA, "release no mmap_lock", (k, original) -> st -> { })
                .on(ObjectLifetimeTest::munmapVsFault)
                .assertViolates(KernelProperty.I7);
        String why = v.counterexample().finding().explanation();
        assertTrue(why.contains("T1 wrote the PTE for 0x0 into a page-table page that was freed"), why);
        assertTrue(why.contains("(T0: free_pgtables.free_pte_range)"), why);
        assertTrue(why.contains("used at step"), why);
        assertTrue(why.contains("(T1: page_fault.set_pte_at)"), why);
    }

    @Test
    void munmapReleasingMmapSemBeforeUnmapRegionIsCaughtAtItsNextUseOfTheVma() {
        Mutant early = Mutants.all().stream().filter(m -> m.name().equals("mutant-up-write-early")).findFirst().orElseThrow();
        Violation v = VariantCheck.of(early.variant()).on(early.scenario()).assertViolates(KernelProperty.I7);
        String why = v.counterexample().finding().explanation();
        assertTrue(why.contains("after releasing the lock it found the VMA under"), why);
        assertTrue(why.contains("mmap_lock released at step"), why);
        assertTrue(why.contains("munmap.detach_vmas_to_be_unmapped"), why);
    }

    /**
     * A pointer to a VMA read-locked with its own lock (v6.4+) is usable only while that lock is
     * held: vma_end_read ends it as mmap_read_unlock does, and the explanation names that release.
     */
    @Test
    void aVmaPointerUsedAfterVmaEndReadIsCaughtWhereItIsUsed() {
        Mutant early = Mutants.all().stream().filter(m -> m.name().equals("mutant-uffd-copy-drops-vma-lock-early"))
                .findFirst().orElseThrow();
        Violation v = VariantCheck.of(early.variant()).on(early.scenario()).assertViolates(KernelProperty.I7);
        String why = v.counterexample().finding().explanation();
        assertTrue(why.contains("after releasing the lock it found the VMA under"), why);
        assertTrue(why.contains("its VMA read lock released at step"), why);
        assertTrue(why.contains("mfill_atomic: mmap_changing"), why);
        assertTrue(why.contains("used at step"), why);
    }
}
