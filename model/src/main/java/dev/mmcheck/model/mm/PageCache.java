package dev.mmcheck.model.mm;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;

/**
 * The page cache of the one regular file that VM_SHARED file VMAs map, and the references that
 * keep its pages alive (docs/model-file.md).
 *
 * <p>State (declared only in models with page-cache file mappings):
 * <ul>
 *   <li>{@code file.page_cache[i]}: frame + 1 of the page at file index i in the file's
 *       address_space (the radix tree / xarray), or NONE. The file is mapped with vm_pgoff equal
 *       to vm_start, so file index i is virtual page i: the owner of a {@link Machine#FILE}
 *       frame is both.</li>
 *   <li>{@code file.i_size}: the file size in pages (inode->i_size).</li>
 *   <li>{@code frame.PG_locked[f]}: the page lock of frame f (0 free, else the holder thread + 1).</li>
 *   <li>{@code vma.VM_SHARED_FILE[v]} ({@link Mm#vmaSharedFile}): VMA v is a shared mapping of the file.</li>
 * </ul>
 *
 * <p>The reference count is not a counter in the state: a page's references are its holders,
 * each of which is already state, and {@link #held} reads them: the page cache (one reference
 * while the page is in it, dropped by delete_from_page_cache), a PTE that maps it (the mapping's
 * reference, page_add_file_rmap/page_remove_rmap), an mmu_gather that batched it after its PTE
 * was cleared (tlb_remove_page keeps the mapping's reference until after the flush), and a
 * thread holding a temporary reference ({@link ThreadLocals#newFrame}: find_get_page in a fault
 * until set_pte_at hands it to the mapping, the pagevec of truncate). The page lock is not a
 * reference: freeing a locked page is recorded (I7, {@link Ghost#FREED_LOCKED_PAGE}). {@link #put} is put_page: called after a holder let go, it frees the
 * frame when no holder is left, which is when the kernel's count reaches zero. A bug that
 * miscounts (a get without a put) is not expressible; a step that drops a holder without
 * {@link #put} leaks the page (I8), one that frees a page others hold is caught when a
 * translation outlives it (I1).
 */
public final class PageCache {
    public final FieldArray cache;
    public final Field iSize;
    public final FieldArray pageLocked;

    private final Kernel k;

    /** The page cache of {@code k}'s file; made by {@link Kernel} for a model with {@code KernelParts.pageCache}. */
    public PageCache(Kernel k) {
        if (k.machine.frameKind.max() < Machine.FILE || k.mm.vmaSharedFile == null) {
            throw new IllegalStateException("page-cache pages need a machine and mm built with the page cache");
        }
        this.k = k;
        MachineConfig cfg = k.config;
        cache = k.program.array("file.page_cache", cfg.pages(), Machine.NONE, cfg.frames());
        iSize = k.program.field("file.i_size", 0, cfg.pages());
        pageLocked = k.program.array("frame.PG_locked", cfg.frames(), 0, cfg.threads());
    }

    private PageCache() {
        k = null;
        cache = null;
        iSize = null;
        pageLocked = null;
    }

    /** The null object of a model without page-cache pages: no file VMA, no page in the cache, none held. */
    public static PageCache absent() {
        return new PageCache();
    }

    /** Has the model the page cache? Code that only a file page reaches is built only then. */
    public boolean present() {
        return k != null;
    }

    /** Is {@code vma} (+ 1) a shared mapping of the file? */
    public boolean isFileVma(long[] s, int vmaPlusOne) {
        return present() && vmaPlusOne != Mm.NONE && k.mm.vmaSharedFile.get(s, vmaPlusOne - 1) == 1;
    }

    /** page-&gt;mapping == mapping: frame f is still in the page cache (truncate clears both at once). */
    public boolean inCache(long[] s, int f) {
        return present() && k.machine.frameKind.get(s, f) == Machine.FILE && cache.get(s, k.machine.frameOwner.get(s, f)) == f + 1;
    }

    /** page_mapped: the PTE of its page maps frame f (in a page table still hooked in the PMD). */
    public boolean mapped(long[] s, int f) {
        Machine m = k.machine;
        int page = m.frameOwner.get(s, f);
        return m.pte.get(s, page) == f + 1 && m.pmd.get(s, k.config.tableOf(page)) != Machine.NONE;
    }

    /** Some holder still has a reference on frame f (page_count(page) &gt; 0). */
    public boolean held(long[] s, int f) {
        if (!present()) {
            return false;
        }
        if (inCache(s, f) || mapped(s, f)) {
            return true;
        }
        for (int t = 0; t < k.config.threads(); t++) {
            ThreadLocals l = k.locals(t);
            if (l != null && (l.newFrame.get(s) == f + 1 || (l.gatherFrames.get(s) >> f & 1) == 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * put_page(frame + 1 {@code ptr}) after its holder let go: frees the page when no reference
     * is left (__put_page → free the page). Putting a page that is already free is a double
     * free (I7).
     */
    public void put(long[] s, int ptr, int thread) {
        Machine m = k.machine;
        int f = ptr - 1;
        if (m.frameKind.get(s, f) == Machine.FREE) {
            k.ghost.record(s, Ghost.DOUBLE_FREE, f, thread);
        } else if (m.frameKind.get(s, f) == Machine.FILE && !held(s, f)) {
            if (pageLocked.get(s, f) != 0) {
                k.ghost.record(s, Ghost.FREED_LOCKED_PAGE, f, thread); // the lock is not a reference
            }
            m.free(s, ptr);
        }
    }

    /** The lowest file index at or above {@code from} with a page in the cache, or -1. */
    public int nextCached(long[] s, int from) {
        for (int i = from; i < k.config.pages(); i++) {
            if (cache.get(s, i) != Machine.NONE) {
                return i;
            }
        }
        return -1;
    }

    /** The page lock of frame + 1 {@code ptr} is free. */
    public boolean unlocked(long[] s, int ptr) {
        return pageLocked.get(s, ptr - 1) == 0;
    }
}
