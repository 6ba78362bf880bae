package dev.mmcheck.specs.variants;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Migration;
import dev.mmcheck.model.faults.NumaFault;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.NumaFaultScenarios;
import dev.mmcheck.specs.scenario.ReclaimScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I8;

/**
 * Mutants of do_numa_page: a hinting fault that trusts the PTE it read without the lock. Each is
 * caught on a {@link NumaFaultScenarios} scenario where its base version holds.
 */
public final class NumaFaultMutants {
    private NumaFaultMutants() {
    }

    public static List<Mutant> all() {
        return List.of(noPteSame(), noPteSameAfterFailedMigration(), restoreWithoutPtl(), migrationCopiesBeforeFlush());
    }

    /**
     * v4.13 do_numa_page takes the PTL but does not re-check pte_same: it makes orig_pte
     * accessible again although MADV_DONTNEED zapped the PTE and freed the page meanwhile.
     */
    static Mutant noPteSame() {
        String name = "mutant-numa-fault-no-pte-same";
        Variant v = Variants.v4_13().named(name, "do_numa_page restores orig_pte under the PTL without the pte_same re-check")
                .replaceEffect(NumaFault.NUMA_PTE_SAME, "lock, no pte_same", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    int self = k.threadOf(k.site().process());
                    return s -> {
                        int table = k.config.tableOf(l.page.get(s));
                        k.machine.ptl.set(s, table, self + 1);
                        if (l.tableFrame.isNull(s)) {
                            l.tableFrame.mapTable(s, table);
                        }
                    };
                });
        return new Mutant(name, v, NumaFaultScenarios::numaFaultVsMadvise, I1, I8);
    }

    /**
     * v4.13 do_numa_page checks pte_same and restores the PTE without holding the PTL (it only
     * waits until the lock is free): MADV_DONTNEED can take the lock, zap the page and free it
     * between the check and the write.
     */
    static Mutant restoreWithoutPtl() {
        String name = "mutant-numa-fault-restore-without-ptl";
        Variant v = Variants.v4_13().named(name, "do_numa_page checks pte_same and restores the PTE without holding the PTL")
                .replaceEffect(NumaFault.NUMA_PTE_SAME, "pte_same without taking the lock", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> {
                        int table = k.config.tableOf(l.page.get(s));
                        orig.apply(s);
                        k.machine.ptl.set(s, table, 0);
                    };
                })
                .replaceEffect(NumaFault.NUMA_STAY, "no lock to drop", NumaFaultMutants::keepLock)
                .replaceEffect(NumaFault.NUMA_MIGRATE, "no lock to drop", NumaFaultMutants::keepLock);
        return new Mutant(name, v, NumaFaultScenarios::numaFaultVsMadvise, I1, I8);
    }

    /** The step's effect, except that the PTE lock stays as it was (held by whoever holds it). */
    private static Effect keepLock(Kernel k, Effect orig) {
        ThreadLocals l = ThreadLocals.of(k.site(), k);
        return s -> {
            int table = k.config.tableOf(l.page.get(s));
            int holder = k.machine.ptl.get(s, table);
            orig.apply(s);
            k.machine.ptl.set(s, table, holder);
        };
    }

    /**
     * v5.15 (b99a342d4f11 order): after a failed migration do_numa_page re-locks the PTE but
     * restores it without the second pte_same, so a PTE zapped while the page was being migrated
     * comes back.
     */
    static Mutant noPteSameAfterFailedMigration() {
        String name = "mutant-numa-fault-no-recheck-after-migration";
        Variant v = Variant.of(KernelVersion.V5_15).named(name,
                        "do_numa_page (v5.15) restores the PTE after a failed migration without re-checking pte_same")
                .replaceEffect(NumaFault.NUMA_RELOCK, "lock, no pte_same", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    int self = k.threadOf(k.site().process());
                    return s -> {
                        int table = k.config.tableOf(l.page.get(s));
                        k.machine.ptl.set(s, table, self + 1);
                        l.tableFrame.mapTable(s, table);
                    };
                });
        return new Mutant(name, v, NumaFaultScenarios::numaFaultVsMadvise, I1, I8);
    }

    /**
     * v6.12 with migrate_pages_batch dropping its try_to_unmap_flush: try_to_migrate_one batched
     * the flush of an accessible PTE (another CPU in mm_cpumask), so the old page is copied and
     * freed while that CPU may still write to it through its TLB entry.
     */
    static Mutant migrationCopiesBeforeFlush() {
        String name = "mutant-migration-copy-before-flush";
        Variant v = Variant.of(KernelVersion.V6_12).named(name,
                        "migrate_pages_batch copies the page without try_to_unmap_flush (the batched shootdown is dropped)")
                .replaceEffect(Migration.MIGRATE_TRY_TO_UNMAP_FLUSH, "no flush", (k, orig) -> {
                    ThreadLocals l = ThreadLocals.of(k.site(), k);
                    return s -> l.ubcCpumask.set(s, 0);
                });
        return new Mutant(name, v, ReclaimScenarios::numaScanVsMigration, I1);
    }
}
