package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.model.Access;
import dev.mmcheck.model.ChangeProtection;
import dev.mmcheck.model.Migration;
import dev.mmcheck.model.Reclaim;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Mlock;
import dev.mmcheck.model.Madvise;
import dev.mmcheck.specs.algorithms.Munmap;

/**
 * Where each operation of a thread program is implemented: the procedure a thread calls for it,
 * built once per model. munmap comes from the variant's algorithm in specs; the other syscalls
 * and the memory access from the kernel model.
 */
final class KernelActors {
    private KernelActors() {
    }

    static Procedure procedure(Kernel k, Op.Kind kind) {
        switch (kind) {
            case ACCESS:
                return Access.procedure(k);
            case MLOCK:
                return Mlock.mlock(k);
            case MUNLOCK:
                return Mlock.munlock(k);
            case MUNMAP:
                return Munmap.procedure(k);
            case MADV_DONTNEED:
                return Madvise.dontneed(k);
            case MPROTECT_READ:
                return ChangeProtection.mprotectRead(k);
            case NUMA_SCAN:
                return ChangeProtection.changeProtNuma(k);
            case RECLAIM:
                return Reclaim.procedure(k);
            case MIGRATE:
                return Migration.procedure(k);
            default:
                throw new IllegalArgumentException("operation " + kind + " is not modelled yet");
        }
    }
}
