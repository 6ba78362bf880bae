package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.IMmapLock;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.KernelVersion;

/**
 * truncate(file, newsize) of the regular file that VM_SHARED VMAs map, to a smaller size
 * (fs/open.c:do_sys_truncate → do_truncate → notify_change → simple_setattr →
 * mm/truncate.c:truncate_setsize, v4.12; same shape in v4.20 and v6.x). It takes <b>no
 * mmap_sem</b>: the i_mmap rwsem orders it against vma_link/unlink_file_vma, the page lock
 * against faults and the PTE locks against everything that maps or zaps.
 * <ol>
 *   <li>{@code i_size_write}: the new size (truncate_setsize, before any page goes).</li>
 *   <li>truncate_pagecache: {@code unmap_mapping_range} over [newsize, end of file) — for each
 *       VMA in the file's i_mmap that overlaps it, zap_page_range_single with its own mmu_gather
 *       ({@link MmuGather}: the page goes into the gather, which flushes and only then drops the
 *       mapping's reference).</li>
 *   <li>truncate_inode_pages: for each cached page at or above newsize, in index order:
 *       {@code pagevec_lookup_entries} (a reference), {@code lock_page},
 *       truncate_inode_page: if page_mapped (a fault mapped it since the first pass)
 *       {@code unmap_mapping_range} of that one page, then {@code delete_from_page_cache}
 *       (page-&gt;mapping = NULL and the cache's reference dropped), {@code unlock_page},
 *       {@code pagevec_release} (the lookup's reference dropped: the page is freed here unless a
 *       mapping's gather or a fault still holds it).</li>
 *   <li>the second {@code unmap_mapping_range} (for private COWed pages in the kernel; here it
 *       finds nothing left to zap, since shared mappings have no COW pages).</li>
 * </ol>
 * Sources: v4.12 mm/truncate.c:truncate_setsize, truncate_pagecache, truncate_inode_pages_range,
 * truncate_inode_page, truncate_complete_page; mm/filemap.c:delete_from_page_cache;
 * mm/memory.c:unmap_mapping_range, zap_page_range_single. v4.20 batches the deletes
 * (truncate_cleanup_page, delete_from_page_cache_batch) and v5.17 on works on folios
 * (truncate_cleanup_folio → unmap_mapping_folio, filemap_remove_folio): same steps per page.
 *
 * <p>Simplifications (docs/model-file.md): the two passes of truncate_inode_pages_range (trylock
 * and skip, then lock_page and wait) are one pass that waits for each page lock; a pagevec holds
 * one page; i_rwsem (and from v5.15 the invalidate_lock) are not modelled since no other modelled
 * actor takes them; i_mmap_rwsem is exclusive (write in v4.12 and v4.20).
 */
public final class Truncate {
    private static final String TRUNCATE = "mm/truncate.c:";

    /** Locals of unmap_mapping_range: its hole [lo, hi) in file pages and the VMA it is at. */
    static final class Locals {
        final Field lo;
        final Field hi;
        final Field rmapVma;

        Locals(Code c, MachineConfig cfg) {
            lo = c.local("hole_lo", 0, cfg.pages());
            hi = c.local("hole_hi", 0, cfg.pages());
            rmapVma = c.local("rmap_vma", Mm.NONE, cfg.vmaSlots());
        }
    }

    /** The label of truncate's delete_from_page_cache step (patched by a mutant). */
    public static final String DELETE = "delete_from_page_cache";
    /** truncate: the page leaves the page cache (and is freed once unmapped). */
    public static final StepRef TRUNCATE_DELETE = StepRef.in("truncate", DELETE);
    /** truncate_setsize: i_size_write(inode, newsize). */
    public static final StepRef TRUNCATE_I_SIZE_WRITE = StepRef.in("truncate", "i_size_write");
    /** truncate_pagecache: unmap_mapping_range(mapping, holebegin, 0, 1), the first pass. */
    public static final StepRef TRUNCATE_PAGECACHE_UNMAP = StepRef.in("truncate", "truncate_pagecache: unmap_mapping_range");
    /** truncate_inode_pages_range: pagevec_lookup_entries (find_get_entries from v5.17). */
    public static final StepRef TRUNCATE_LOOKUP_ENTRIES = StepRef.in("truncate", "pagevec_lookup_entries");
    /** truncate_inode_pages_range: lock_page (folio_lock from v5.17). */
    public static final StepRef TRUNCATE_LOCK_PAGE = StepRef.in("truncate", "lock_page");
    /** truncate_inode_page: if (page_mapped(page)) unmap_mapping_range of that page. */
    public static final StepRef TRUNCATE_INODE_PAGE_UNMAP = StepRef.in("truncate", "truncate_inode_page: unmap_mapping_range");
    /** truncate_inode_pages_range: unlock_page (folio_unlock from v5.17). */
    public static final StepRef TRUNCATE_UNLOCK_PAGE = StepRef.in("truncate", "unlock_page");
    /** truncate_inode_pages_range: pagevec_release (folio_batch_release from v5.17). */
    public static final StepRef TRUNCATE_PAGEVEC_RELEASE = StepRef.in("truncate", "pagevec_release");
    /** truncate_pagecache: unmap_mapping_range(mapping, holebegin, 0, 1) again, for private COWed pages. */
    public static final StepRef TRUNCATE_PAGECACHE_AGAIN = StepRef.in("truncate", "truncate_pagecache: unmap_mapping_range again");
    /** do_truncate: inode_unlock(dentry->d_inode). */
    public static final StepRef TRUNCATE_INODE_UNLOCK = StepRef.in("truncate", "inode_unlock");
    /** unmap_mapping_range as truncate runs it, zap_page_range_single: unmap_single_vma. */
    public static final StepRef UMR_UNMAP_SINGLE_VMA = StepRef.in("unmap_mapping_range", "unmap_single_vma");

    private Truncate() {
    }

    /** The truncate procedure; its argument is the new size in pages, in the caller's {@code start}. */
    public static Procedure procedure(Kernel k) {
        k.require(KernelParts.NONE.withPageCache(), "truncate");
        PageCache pc = k.pageCache;
        Procedure umr = k.program.procedure("unmap_mapping_range", c -> unmapMappingRange(k, c));
        return k.program.procedure("truncate", c -> truncate(k, c, pc, umr));
    }

    /** The first VMA at or after slot {@code from} linked in the file's i_mmap that overlaps [lo, hi), + 1, or NONE. */
    private static int nextOverlapping(Mm mm, long[] s, int from, int lo, int hi) {
        for (int v = from; v < mm.config.vmaSlots(); v++) {
            if (mm.vmaInIMmap.get(s, v) == 1 && mm.vmaStart.get(s, v) < hi && lo < mm.vmaEnd.get(s, v)) {
                return v + 1;
            }
        }
        return Mm.NONE;
    }

    /**
     * unmap_mapping_range(mapping, lo, hi - lo) (v4.12 mm/memory.c): under i_mmap_rwsem, for each
     * VMA of the file overlapping the hole (vma_interval_tree_foreach), zap_page_range_single:
     * tlb_gather_mmu, unmap_single_vma → zap_pte_range, tlb_finish_mmu. The file index of a page
     * is its virtual page (vm_pgoff = vm_start), so the hole is the same page range.
     */
    private static void unmapMappingRange(Kernel k, Code c) {
        Mm mm = k.mm;
        int self = k.threadOf(c.process());
        Locals u = new Locals(c, k.config);
        MmuGather gather = MmuGather.of(k);
        MmuGather.Locals g = MmuGather.Locals.of(c, k);
        String src = "mm/memory.c:unmap_mapping_range";

        IMmapLock iMmap = IMmapLock.forRmapWalk(k, self);
        c.await(iMmap.lock(), k.src(src + ", " + iMmap.lock()), iMmap::available, s -> {
            iMmap.take(s);
            u.rmapVma.set(s, nextOverlapping(mm, s, 0, u.lo.get(s), u.hi.get(s)));
        }).ifGoTo(s -> u.rmapVma.get(s) == Mm.NONE, iMmap.unlock());

        String zapSrc = k.src("mm/memory.c:unmap_mapping_range_tree, zap_page_range_single");
        c.call(UnmapMappingRange.TLB_GATHER_MMU.label(), zapSrc, gather.tlbGatherMmu, s -> {
            int v = u.rmapVma.get(s) - 1;
            gather.recordRange(g, s, Math.max(mm.vmaStart.get(s, v), u.lo.get(s)), Math.min(mm.vmaEnd.get(s, v), u.hi.get(s)));
        });
        String unmap = UMR_UNMAP_SINGLE_VMA.label();
        c.call(unmap, k.src("mm/memory.c:zap_page_range_single, unmap_single_vma"), gather.zapPteRange,
                s -> {
                    int v = u.rmapVma.get(s) - 1;
                    g.zapAddr.set(s, Math.max(mm.vmaStart.get(s, v), u.lo.get(s)));
                    g.zapEnd.set(s, Math.min(mm.vmaEnd.get(s, v), u.hi.get(s)));
                });
        c.call(UnmapMappingRange.TLB_FINISH_MMU.label(), zapSrc, gather.tlbFinishMmu);

        String next = UnmapMappingRange.VMA_INTERVAL_TREE_FOREACH.label();
        c.step(next, k.src("mm/memory.c:unmap_mapping_range_tree"), s -> u.rmapVma.set(s, nextOverlapping(mm, s, u.rmapVma.get(s), u.lo.get(s), u.hi.get(s))))
                .ifGoTo(s -> u.rmapVma.get(s) != Mm.NONE, UnmapMappingRange.TLB_GATHER_MMU.label());

        c.step(iMmap.unlock(), k.src(src + ", " + iMmap.unlock()), s -> {
            iMmap.release(s);
            u.lo.set(s, 0);
            u.hi.set(s, 0);
        }).ret();
    }

    /** Folio names (truncate_inode_folio, filemap_remove_folio, ...): read in v5.17-rc5 mm/truncate.c, not in v5.15.55. */
    public static boolean folios(Kernel k) {
        return k.variant.base().compareTo(KernelVersion.V5_17) >= 0;
    }

    private static void truncate(Kernel k, Code c, PageCache pc, Procedure umr) {
        boolean folios = folios(k);
        // truncate_cleanup_page calls unmap_mapping_page from v5.13 (22061a1ffabd).
        boolean pageHelper = !folios && k.variant.base().compareTo(KernelVersion.V5_15) >= 0;
        int self = k.threadOf(c.process());
        ThreadLocals l = ThreadLocals.of(c, k);
        Locals u = new Locals(c, k.config);
        int end = k.config.pages();

        String size = TRUNCATE_I_SIZE_WRITE.label();
        c.step(size, k.src(TRUNCATE + "truncate_setsize, i_size_write"), s -> {
            pc.iSize.set(s, l.start.get(s));
            l.cursor.set(s, l.start.get(s));
        });
        c.call(TRUNCATE_PAGECACHE_UNMAP.label(), k.src(TRUNCATE + "truncate_pagecache"), umr, s -> {
            u.lo.set(s, l.start.get(s));
            u.hi.set(s, end);
        });

        // truncate_inode_pages(mapping, newsize) → truncate_inode_pages_range, one page at a time.
        String lookup = TRUNCATE_LOOKUP_ENTRIES.label();
        c.step(lookup, k.src(TRUNCATE + (folios ? "truncate_inode_pages_range, find_get_entries" : "truncate_inode_pages_range, pagevec_lookup_entries")), s -> {
            int index = pc.nextCached(s, l.cursor.get(s));
            if (index < 0) {
                l.cursor.set(s, 0);
                return;
            }
            l.cursor.set(s, index);
            l.newFrame.set(s, pc.cache.get(s, index)); // the lookup takes a reference
        }).ifGoTo(s -> l.newFrame.isNull(s), TRUNCATE_PAGECACHE_AGAIN.label());

        String lock = TRUNCATE_LOCK_PAGE.label();
        c.await(lock, k.src(TRUNCATE + (folios ? "truncate_inode_pages_range, folio_lock" : "truncate_inode_pages_range, lock_page")), s -> pc.unlocked(s, l.newFrame.get(s)),
                s -> pc.pageLocked.set(s, l.newFrame.frame(s), self + 1))
                // truncate_inode_page: if (page_mapped(page)) unmap_mapping_range(that page)
                .ifGoTo(s -> !pc.mapped(s, l.newFrame.frame(s)), TRUNCATE_DELETE.label());
        c.call(TRUNCATE_INODE_PAGE_UNMAP.label(), k.src(folios ? TRUNCATE + "truncate_inode_folio, truncate_cleanup_folio, mm/memory.c:unmap_mapping_folio"
                : pageHelper ? TRUNCATE + "truncate_inode_page, truncate_cleanup_page, mm/memory.c:unmap_mapping_page"
                : TRUNCATE + "truncate_inode_page"), umr, s -> {
            u.lo.set(s, l.cursor.get(s));
            u.hi.set(s, l.cursor.get(s) + 1);
        });
        c.step(TRUNCATE_DELETE.label(), k.src(folios ? TRUNCATE + "truncate_inode_folio, mm/filemap.c:filemap_remove_folio"
                        : TRUNCATE + "truncate_inode_page, mm/filemap.c:delete_from_page_cache"),
                s -> {
                    int page = l.newFrame.get(s);
                    pc.cache.set(s, l.cursor.get(s), Machine.NONE); // page->mapping = NULL
                    pc.put(s, page, self);                           // the page cache's reference
                });
        String unlock = TRUNCATE_UNLOCK_PAGE.label();
        c.step(unlock, k.src(TRUNCATE + (folios ? "truncate_inode_pages_range, folio_unlock" : "truncate_inode_pages_range, unlock_page")), s -> pc.pageLocked.set(s, l.newFrame.frame(s), 0));
        String release = TRUNCATE_PAGEVEC_RELEASE.label();
        c.step(release, k.src(TRUNCATE + (folios ? "truncate_inode_pages_range, folio_batch_release" : "truncate_inode_pages_range, pagevec_release")), s -> {
            int page = l.newFrame.get(s);
            l.newFrame.clear(s);
            pc.put(s, page, self);
            l.cursor.set(s, l.cursor.get(s) + 1);
        }).goTo(lookup);

        c.call(TRUNCATE_PAGECACHE_AGAIN.label(), k.src(TRUNCATE + "truncate_pagecache"), umr, s -> {
            u.lo.set(s, l.start.get(s));
            u.hi.set(s, end);
        });
        // do_truncate: inode_unlock(dentry->d_inode) after notify_change (i_rwsem is not modelled).
        String done = TRUNCATE_INODE_UNLOCK.label();
        c.step(done, k.src("fs/open.c:do_truncate, inode_unlock"), s -> l.cursor.set(s, 0)).ret();
    }
}
