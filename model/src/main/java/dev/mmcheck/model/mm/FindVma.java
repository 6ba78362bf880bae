package dev.mmcheck.model.mm;

import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;

/**
 * find_vma(mm, addr) (mm/mmap.c, v4.12): the vmacache first (vmacache_find, after
 * vmacache_valid caught up a stale task cache), then the rbtree, then vmacache_update. Atomic
 * under mmap_sem (read or write): only the calling thread writes its own cache. Returning a VMA
 * that was freed is recorded as a use-after-free (I7); that is how CVE-2018-17182 shows.
 */
public final class FindVma {
    public static final String SOURCE = "mm/mmap.c:find_vma, mm/vmacache.c:vmacache_find";

    private FindVma() {
    }

    /** Returns vma + 1 or NONE, with the cache side effects, in the successor state {@code s}. */
    public static int find(Kernel k, long[] s, int thread, int page) {
        Mm mm = k.mm;
        int v = Mm.NONE;
        if (mm.vmacacheValidate(s, thread)) {
            v = mm.vmacacheLookup(s, thread, page);
        }
        if (v == Mm.NONE) {
            v = mm.findInTree(s, page);
            if (v != Mm.NONE) {
                mm.vmacacheUpdate(s, thread, page, v);
            }
        }
        if (v != Mm.NONE && mm.vmaAllocated.get(s, v - 1) == 0) {
            k.ghost.record(s, Ghost.USE_AFTER_FREE_VMA, v - 1, thread);
        }
        return v;
    }
}
