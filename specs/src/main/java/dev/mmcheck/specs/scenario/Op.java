package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.faults.Migration;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.Reclaim;
import dev.mmcheck.model.machine.Access;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.syscalls.ChangeProtection;
import dev.mmcheck.model.syscalls.Madvise;
import dev.mmcheck.model.syscalls.Mlock;
import dev.mmcheck.model.syscalls.Mremap;
import dev.mmcheck.model.syscalls.Syscalls;
import dev.mmcheck.model.syscalls.Truncate;
import dev.mmcheck.model.syscalls.UffdRegister;
import dev.mmcheck.model.syscalls.UnmapMappingRange;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.specs.algorithms.Munmap;

import java.util.Objects;
import java.util.Optional;

/**
 * One operation of a thread's program: an {@link Operation} (a built-in {@link Kind} or one a
 * user wrote) on a page range, or a memory access.
 *
 * @param kind  what to do
 * @param start first page (or the accessed page; or the child thread for CLONE)
 * @param end   page after the last (unused for ACCESS and CLONE)
 * @param target the new address of MREMAP and MREMAP_DONTUNMAP (0 otherwise)
 */
public record Op(Operation kind, int start, int end, int target) {
    public Op {
        Objects.requireNonNull(kind, "operation");
    }

    public Op(Operation kind, int start, int end) {
        this(kind, start, end, 0);
    }

    /** {@code operation} on the pages {@code [start, end)}: how a scenario runs a user's operation. */
    public static Op of(Operation operation, int start, int end) {
        return new Op(operation, start, end);
    }

    /** The built-in operations, written as any other {@link Operation}. */
    public enum Kind implements Operation {
        /** munmap(start, len): the variant's munmap algorithm. */
        MUNMAP,
        /** madvise(start, len, MADV_DONTNEED). */
        MADV_DONTNEED,
        /** mlock(start, len). */
        MLOCK,
        /** munlock(start, len). */
        MUNLOCK,
        /** A user store to the page: through the TLB, else a page walk, else a page fault. */
        ACCESS,
        /** clone(CLONE_VM): start thread {@code start} (which waits until then). */
        CLONE,
        /** mremap(start, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, target) of one whole VMA into a hole. */
        MREMAP,
        /** The same with MREMAP_DONTUNMAP: needs {@link Feature#MREMAP_DONTUNMAP}. */
        MREMAP_DONTUNMAP(Feature.MREMAP_DONTUNMAP),
        /** A driver's unmap_mapping_range over its whole device file, then reuse of its pfns (start/end unused). */
        UNMAP_MAPPING_RANGE,
        /** mprotect(start, len, PROT_READ). */
        MPROTECT_READ,
        /** task_numa_work: change_prot_numa(start, len) makes the PTEs PROT_NONE. */
        NUMA_SCAN,
        /** Reclaim of the page mapped at {@code start}, with the deferred (batched) TLB flush. */
        RECLAIM,
        /** Migration of the page mapped at {@code start} to a new frame (NUMA balancing, compaction). */
        MIGRATE,
        /** truncate(file, start pages) of the regular file that shared file VMAs map (end unused). */
        TRUNCATE,
        /** ioctl(uffd, UFFDIO_REGISTER) of [start, end) in missing mode (needs the scenario's userfaultfd monitor). */
        UFFD_REGISTER;

        private final Feature needs;

        Kind() {
            this(null);
        }

        Kind(Feature needs) {
            this.needs = needs;
        }

        /** The feature without which the kernel has no such operation (the flag is -EINVAL), if any. */
        @Override
        public Optional<Feature> needs() {
            return Optional.ofNullable(needs);
        }

        @Override
        public String entrySource() {
            switch (this) {
                case MUNMAP: return "mm/mmap.c:SYSCALL_DEFINE2(munmap)";
                case MADV_DONTNEED: return "mm/madvise.c:SYSCALL_DEFINE3(madvise)";
                case MLOCK: return "mm/mlock.c:SYSCALL_DEFINE2(mlock)";
                case MUNLOCK: return "mm/mlock.c:SYSCALL_DEFINE2(munlock)";
                case ACCESS: return "user store (arch/x86/mm/fault.c on a miss)";
                case MREMAP: case MREMAP_DONTUNMAP: return "mm/mremap.c:SYSCALL_DEFINE5(mremap)";
                case UNMAP_MAPPING_RANGE: return "mm/memory.c:unmap_mapping_range";
                case MPROTECT_READ: return "mm/mprotect.c:SYSCALL_DEFINE3(mprotect)";
                case NUMA_SCAN: return "kernel/sched/fair.c:task_numa_work";
                case RECLAIM: return "mm/vmscan.c:shrink_page_list";
                case MIGRATE: return "mm/migrate.c:migrate_pages";
                case TRUNCATE: return "fs/open.c:do_sys_truncate, do_truncate";
                case UFFD_REGISTER: return "fs/userfaultfd.c:userfaultfd_ioctl";
                default: return "kernel/fork.c:_do_fork";
            }
        }

        @Override
        public KernelParts parts() {
            switch (this) {
                case MREMAP: case MREMAP_DONTUNMAP: return KernelParts.NONE.withMoves();
                case UNMAP_MAPPING_RANGE: return KernelParts.NONE.withFiles();
                case TRUNCATE: return KernelParts.NONE.withPageCache();
                default: return KernelParts.NONE;
            }
        }

        /** munmap comes from the variant's algorithm in specs; the others from the kernel model. */
        @Override
        public Procedure procedure(Kernel k) {
            switch (this) {
                case ACCESS: return Access.procedure(k);
                case MLOCK: return Mlock.mlock(k);
                case MUNLOCK: return Mlock.munlock(k);
                case MUNMAP: return Munmap.procedure(k);
                case MADV_DONTNEED: return Madvise.dontneed(k);
                case MREMAP: case MREMAP_DONTUNMAP:
                    return k.shared(MremapProcedure.class, k2 -> new MremapProcedure(Mremap.procedure(k2))).procedure();
                case UNMAP_MAPPING_RANGE: return UnmapMappingRange.procedure(k);
                case MPROTECT_READ: return ChangeProtection.mprotectRead(k);
                case NUMA_SCAN: return ChangeProtection.changeProtNuma(k);
                case RECLAIM: return Reclaim.procedure(k);
                case MIGRATE: return Migration.procedure(k);
                case TRUNCATE: return Truncate.procedure(k);
                case UFFD_REGISTER: return UffdRegister.procedure(k);
                default:
                    // CLONE is one step of the cloning thread (Syscalls.cloneThread), not a procedure.
                    throw new IllegalStateException("operation " + this + " has no procedure; ScenarioModel runs it inline");
            }
        }

        /** mremap's new address and flags, as locals of the thread. */
        @Override
        public Effect arguments(Kernel k, Process p, Op op) {
            if (this != MREMAP && this != MREMAP_DONTUNMAP) {
                return s -> { };
            }
            Mremap.Locals r = Mremap.Locals.of(p, k);
            int flag = this == MREMAP_DONTUNMAP ? 1 : 0;
            return s -> {
                r.newAddr.set(s, op.target());
                r.dontunmap.set(s, flag);
            };
        }

        /**
         * vm_munmap's userfaultfd_unmap_complete after mmap_sem is released; then the check that
         * no translation of the unmapped (or zapped, or moved) range survives into user space.
         */
        @Override
        public void afterCall(Kernel k, Process p, int thread, Op op, String prefix) {
            Userfaultfd uffd = k.userfaultfd;
            if (uffd.present() && this == MUNMAP) {
                p.call(unmapComplete(prefix).label(),
                        k.src("mm/mmap.c:vm_munmap, fs/userfaultfd.c:userfaultfd_unmap_complete"), uffd.eventWait);
            }
            if (this == MUNMAP || this == MADV_DONTNEED || this == MREMAP || this == MREMAP_DONTUNMAP) {
                Syscalls.returnToUser(k, p, thread, prefix + "return to user");
            }
            if (this == MPROTECT_READ) {
                Syscalls.returnToUserReadOnly(k, p, thread, prefix + "return to user");
            }
        }

        @Override
        public String title(Op op) {
            int start = op.start();
            int end = op.end();
            switch (this) {
                case ACCESS: return "store to " + Machine.addr(start);
                case CLONE: return "clone T" + start;
                case MREMAP: case MREMAP_DONTUNMAP: return "mremap(" + Machine.addr(start) + ", " + (end - start)
                        + (end - start == 1 ? " page" : " pages") + " -> " + Machine.addr(op.target())
                        + (this == MREMAP_DONTUNMAP ? ", MREMAP_DONTUNMAP)" : ")");
                case UNMAP_MAPPING_RANGE: return "unmap_mapping_range(device file), reuse its pfns";
                case RECLAIM: return "reclaim " + Machine.addr(start);
                case MIGRATE: return "migrate " + Machine.addr(start);
                case TRUNCATE: return "truncate(file, " + Machine.addr(start) + ")";
                case UFFD_REGISTER: return Operation.call("UFFDIO_REGISTER", op);
                default: return Operation.call(name().toLowerCase().replace("madv_dontneed", "madvise_dontneed"), op);
            }
        }
    }

    /**
     * The call of userfaultfd_unmap_complete after a munmap operation in a model with a
     * userfaultfd, a step of the thread's own code; {@code prefix} is the operation's number and
     * colon, as in its own step ({@code "1: "} for a thread's first operation).
     */
    public static StepRef unmapComplete(String prefix) {
        return StepRef.step(prefix + "userfaultfd_unmap_complete");
    }

    /** The one mremap procedure of a model, shared by MREMAP and MREMAP_DONTUNMAP. */
    private record MremapProcedure(Procedure procedure) {
    }

    public static Op munmap(int start, int end) { return new Op(Kind.MUNMAP, start, end); }
    public static Op madviseDontneed(int start, int end) { return new Op(Kind.MADV_DONTNEED, start, end); }
    public static Op mlock(int start, int end) { return new Op(Kind.MLOCK, start, end); }
    public static Op munlock(int start, int end) { return new Op(Kind.MUNLOCK, start, end); }
    public static Op access(int page) { return new Op(Kind.ACCESS, page, page + 1); }
    public static Op clone(int thread) { return new Op(Kind.CLONE, thread, thread); }
    public static Op mremap(int start, int end, int target) { return new Op(Kind.MREMAP, start, end, target); }
    public static Op mremapDontunmap(int start, int end, int target) { return new Op(Kind.MREMAP_DONTUNMAP, start, end, target); }
    public static Op unmapMappingRange() { return new Op(Kind.UNMAP_MAPPING_RANGE, 0, 1); }
    public static Op mprotectRead(int start, int end) { return new Op(Kind.MPROTECT_READ, start, end); }
    public static Op numaScan(int start, int end) { return new Op(Kind.NUMA_SCAN, start, end); }
    public static Op reclaim(int page) { return new Op(Kind.RECLAIM, page, page + 1); }
    public static Op migrate(int page) { return new Op(Kind.MIGRATE, page, page + 1); }
    /** truncate the mapped regular file to {@code newSize} pages (smaller than its size). */
    public static Op truncate(int newSize) { return new Op(Kind.TRUNCATE, newSize, newSize + 1); }
    public static Op uffdRegister(int start, int end) { return new Op(Kind.UFFD_REGISTER, start, end); }

    /**
     * The step label of this operation: {@code "munmap(0x2000, 2 pages)"}, {@code "store to
     * 0x1000"}, {@code "clone T1"}.
     */
    public String title() {
        return kind.title(this);
    }
}
