package dev.mmcheck.model.mm;

import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;

/**
 * find_vma(mm, addr) (mm/mmap.c): up to v5.19 the vmacache first (vmacache_find, after
 * vmacache_valid caught up a stale task cache), then the rbtree, then vmacache_update; from v6.1
 * a walk of the maple tree (mt_find, inside rcu_read_lock), with no cache. Atomic under
 * mmap_lock (read or write): only the calling thread writes its own cache, and the one tree
 * store beside a holder of the read lock, a stack growing (v6.1 to v6.4), rewrites a node that
 * readers outside RCU may hold, which {@link MapleNodes} models. Returning a VMA that was freed is recorded as a use-after-free (I7); that
 * is how CVE-2018-17182 shows.
 */
public final class FindVma {
    private static final String VMACACHE = "mm/mmap.c:find_vma, mm/vmacache.c:vmacache_find";
    private static final String MAPLE = "mm/mmap.c:find_vma, mt_find";

    private FindVma() {
    }

    /** The functions find_vma runs in {@code k}'s release, for a step's source reference. */
    public static String source(Kernel k) {
        return k.mm.hasVmacache() ? VMACACHE : MAPLE;
    }

    /** Returns vma + 1 or NONE, with the cache side effects, in the successor state {@code s}. */
    public static int find(Kernel k, long[] s, int thread, int page) {
        Mm mm = k.mm;
        int v = Mm.NONE;
        if (mm.hasVmacache() && mm.vmacacheValidate(s, thread)) {
            v = mm.vmacacheLookup(s, thread, page);
        }
        if (v == Mm.NONE) {
            v = mm.findInTree(s, page);
            if (v != Mm.NONE && mm.hasVmacache()) {
                mm.vmacacheUpdate(s, thread, page, v);
            }
        }
        if (v != Mm.NONE && mm.vmaAllocated.get(s, v - 1) == 0) {
            k.ghost.record(s, Ghost.USE_AFTER_FREE_VMA, v - 1, thread);
        }
        return v;
    }
}
