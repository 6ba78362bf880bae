package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.Feature;
import dev.mmcheck.model.Machine;

import java.util.Optional;

/**
 * One operation of a thread's program: a syscall on a page range, or a memory access.
 *
 * @param kind  what to do
 * @param start first page (or the accessed page; or the child thread for CLONE)
 * @param end   page after the last (unused for ACCESS and CLONE)
 * @param target the new address of MREMAP and MREMAP_DONTUNMAP (0 otherwise)
 */
public record Op(Kind kind, int start, int end, int target) {
    public Op(Kind kind, int start, int end) {
        this(kind, start, end, 0);
    }

    public enum Kind {
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
        public Optional<Feature> needs() {
            return Optional.ofNullable(needs);
        }
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
     * "munmap(0x2000,0x2000)" (the call with its byte arguments), "store(0x1000)", "clone(T1)":
     * for step labels, which may not contain blanks.
     */
    public String title() {
        switch (kind) {
            case ACCESS: return "store to " + Machine.addr(start);
            case CLONE: return "clone T" + start;
            case MREMAP: case MREMAP_DONTUNMAP: return "mremap(" + Machine.addr(start) + ", " + (end - start)
                    + (end - start == 1 ? " page" : " pages") + " -> " + Machine.addr(target)
                    + (kind == Kind.MREMAP_DONTUNMAP ? ", MREMAP_DONTUNMAP)" : ")");
            case UNMAP_MAPPING_RANGE: return "unmap_mapping_range(device file), reuse its pfns";
            case RECLAIM: return "reclaim " + Machine.addr(start);
            case MIGRATE: return "migrate " + Machine.addr(start);
            case TRUNCATE: return "truncate(file, " + Machine.addr(start) + ")";
            case UFFD_REGISTER: return "UFFDIO_REGISTER(" + Machine.addr(start) + ", " + (end - start)
                    + (end - start == 1 ? " page)" : " pages)");
            default: return kind.name().toLowerCase().replace("madv_dontneed", "madvise_dontneed") + "(" + Machine.addr(start)
                    + ", " + (end - start) + (end - start == 1 ? " page)" : " pages)");
        }
    }
}
