package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.Machine;

/**
 * One operation of a thread's program: a syscall on a page range, or a memory access.
 *
 * @param kind  what to do
 * @param start first page (or the accessed page; or the child thread for CLONE)
 * @param end   page after the last (unused for ACCESS and CLONE)
 */
public record Op(Kind kind, int start, int end) {
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
        /** mprotect(start, len, PROT_READ). */
        MPROTECT_READ,
        /** task_numa_work: change_prot_numa(start, len) makes the PTEs PROT_NONE. */
        NUMA_SCAN,
        /** Reclaim of the page mapped at {@code start}, with the deferred (batched) TLB flush. */
        RECLAIM,
        /** Migration of the page mapped at {@code start} to a new frame (NUMA balancing, compaction). */
        MIGRATE
    }

    public static Op munmap(int start, int end) { return new Op(Kind.MUNMAP, start, end); }
    public static Op madviseDontneed(int start, int end) { return new Op(Kind.MADV_DONTNEED, start, end); }
    public static Op mlock(int start, int end) { return new Op(Kind.MLOCK, start, end); }
    public static Op munlock(int start, int end) { return new Op(Kind.MUNLOCK, start, end); }
    public static Op access(int page) { return new Op(Kind.ACCESS, page, page + 1); }
    public static Op clone(int thread) { return new Op(Kind.CLONE, thread, thread); }
    public static Op mprotectRead(int start, int end) { return new Op(Kind.MPROTECT_READ, start, end); }
    public static Op numaScan(int start, int end) { return new Op(Kind.NUMA_SCAN, start, end); }
    public static Op reclaim(int page) { return new Op(Kind.RECLAIM, page, page + 1); }
    public static Op migrate(int page) { return new Op(Kind.MIGRATE, page, page + 1); }

    /**
     * "munmap(0x2000,0x2000)" (the call with its byte arguments), "store(0x1000)", "clone(T1)":
     * for step labels, which may not contain blanks.
     */
    public String title() {
        switch (kind) {
            case ACCESS: return "store to " + Machine.addr(start);
            case CLONE: return "clone T" + start;
            case RECLAIM: return "reclaim " + Machine.addr(start);
            case MIGRATE: return "migrate " + Machine.addr(start);
            default: return kind.name().toLowerCase().replace("madv_dontneed", "madvise_dontneed") + "(" + Machine.addr(start)
                    + ", " + (end - start) + (end - start == 1 ? " page)" : " pages)");
        }
    }
}
