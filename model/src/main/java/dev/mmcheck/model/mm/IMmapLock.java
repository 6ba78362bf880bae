package dev.mmcheck.model.mm;

import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.syscalls.UnmapMappingRange;
import dev.mmcheck.model.versions.Feature;

/**
 * The file's i_mmap_rwsem as an rmap walker (unmap_mapping_range) takes it: for write until
 * v5.17, for read from 2c8659951654 ({@link Feature#I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE}), so
 * that two walkers of one file may run side by side while splits, vma_link and unlink_file_vma
 * still exclude them (mm/memory.c:unmap_mapping_range, include/linux/fs.h:i_mmap_lock_read).
 */
public final class IMmapLock {
    private final Mm mm;
    private final int thread;
    private final boolean shared;

    private IMmapLock(Mm mm, int thread, boolean shared) {
        this.mm = mm;
        this.thread = thread;
        this.shared = shared;
    }

    /** The lock as {@code thread}'s unmap_mapping_range takes it in {@code k}'s version. */
    public static IMmapLock forRmapWalk(Kernel k, int thread) {
        return new IMmapLock(k.mm, thread, k.has(Feature.I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE));
    }

    public String lock() {
        return (shared ? UnmapMappingRange.I_MMAP_LOCK_READ : UnmapMappingRange.I_MMAP_LOCK_WRITE).label();
    }

    public String unlock() {
        return (shared ? UnmapMappingRange.I_MMAP_UNLOCK_READ : UnmapMappingRange.I_MMAP_UNLOCK_WRITE).label();
    }

    public boolean available(long[] s) {
        return shared ? mm.iMmapReadable(s) : mm.iMmapFree(s);
    }

    public void take(long[] s) {
        if (shared) {
            mm.iMmapReaders.set(s, mm.iMmapReaders.get(s) + 1);
        } else {
            mm.iMmapRwsem.set(s, thread + 1);
        }
    }

    public void release(long[] s) {
        if (shared) {
            mm.iMmapReaders.set(s, mm.iMmapReaders.get(s) - 1);
        } else {
            mm.iMmapRwsem.set(s, 0);
        }
    }
}
