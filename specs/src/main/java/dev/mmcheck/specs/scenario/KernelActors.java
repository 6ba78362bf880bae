package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.model.Access;
import dev.mmcheck.model.ChangeProtection;
import dev.mmcheck.model.Migration;
import dev.mmcheck.model.Reclaim;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Mlock;
import dev.mmcheck.model.Madvise;
import dev.mmcheck.model.Mremap;
import dev.mmcheck.model.Truncate;
import dev.mmcheck.model.UffdRegister;
import dev.mmcheck.model.UnmapMappingRange;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.specs.algorithms.Munmap;

/**
 * Where each operation of a thread program is implemented: the procedure a thread calls for it,
 * built once per model. munmap comes from the variant's algorithm in specs; the other syscalls
 * and the memory access from the kernel model.
 */
final class KernelActors {
    private KernelActors() {
    }

    /** The one mremap procedure of a model, shared by MREMAP and MREMAP_DONTUNMAP. */
    private record MremapProcedure(Procedure procedure) {
    }

    /**
     * Arguments beyond start and end that thread {@code p} passes for {@code op}: mremap's new
     * address and flags (declared as the thread's locals here, before the model is built).
     */
    static Effect arguments(Kernel k, Process p, Op op) {
        if (op.kind() != Op.Kind.MREMAP && op.kind() != Op.Kind.MREMAP_DONTUNMAP) {
            return s -> { };
        }
        Mremap.Locals r = Mremap.Locals.of(p, k);
        int flag = op.kind() == Op.Kind.MREMAP_DONTUNMAP ? 1 : 0;
        return s -> {
            r.newAddr.set(s, op.target());
            r.dontunmap.set(s, flag);
        };
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
            case MREMAP:
            case MREMAP_DONTUNMAP:
                return k.shared(MremapProcedure.class, k2 -> new MremapProcedure(Mremap.procedure(k2))).procedure;
            case UNMAP_MAPPING_RANGE:
                return UnmapMappingRange.procedure(k);
            case MPROTECT_READ:
                return ChangeProtection.mprotectRead(k);
            case NUMA_SCAN:
                return ChangeProtection.changeProtNuma(k);
            case RECLAIM:
                return Reclaim.procedure(k);
            case MIGRATE:
                return Migration.procedure(k);
            case TRUNCATE:
                return Truncate.procedure(k);
            case UFFD_REGISTER:
                return UffdRegister.procedure(k);
            default:
                // CLONE is one step of the cloning thread (Syscalls.cloneThread), not a procedure.
                throw new IllegalStateException("operation " + kind + " has no procedure; ScenarioModel runs it inline");
        }
    }
}
