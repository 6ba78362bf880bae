package dev.mmcheck.model;

/**
 * The optional parts of a modelled kernel: state that only some scenarios need, so that the
 * others keep a smaller state vector. {@link Kernel} builds the parts a model has, in dependency
 * order, before any code is written; a part a model lacks is a null object
 * ({@code k.userfaultfd.present()} is false, and its queries answer as a kernel without it would:
 * no VMA is userfaultfd-registered, no PTE is a migration entry, ...), so steps never test for null.
 *
 * <p>An operation says which parts it needs ({@code Operation.parts()} in specs); a scenario's
 * parts are the union of its own and its operations'.
 *
 * @param files              file mappings: VM_PFNMAP and shared file VMAs, the file's i_mmap and
 *                           i_mmap_rwsem ({@code Mm}'s file fields)
 * @param pageCache          page-cache pages of the one regular file ({@code PageCache}; implies files)
 * @param moves              mremap moves anonymous pages ({@code Machine.frameMovedFrom})
 * @param batchedFlushLarge  TLB_FLUSH_BATCH_PENDING_LARGE of the mm's tlb_flush_batched
 *                           generations ({@code BatchGenerations}, v5.17+), 0 for none
 * @param userfaultfd        the mm has a userfaultfd context ({@code Userfaultfd})
 * @param numaFaults         NUMA hinting faults and migration entries ({@code NumaFault})
 * @param maxContextSwitches context switches a CPU may make ({@code CpuContexts}), 0 for none
 * @param treeStoreFailures  a maple-tree store that allocates (munmap's side-tree store, v6.4+'s
 *                           vma_iter_clear_gfp) may fail with -ENOMEM, so the error paths are explored
 * @param growingStacks      the mm has a VM_GROWSDOWN VMA, so where the stack grows by a maple-tree
 *                           store under the mmap read lock the tree's node may be rewritten under
 *                           readers ({@code MapleNodes}); without one no store under the read lock
 *                           exists and a reader's walk and read stay one step
 * @param migrationMarks     the marks of mm->tlb_flush_batched a run's migrations can make where
 *                           migration batches its flush (v6.3+, MIGRATION_BATCHED_FLUSH), added to
 *                           batchedFlushLarge on such kernels; 0 for none
 */
public record KernelParts(boolean files, boolean pageCache, boolean moves, int batchedFlushLarge,
                          boolean userfaultfd, boolean numaFaults, int maxContextSwitches, boolean treeStoreFailures,
                          boolean growingStacks, int migrationMarks) {
    /** No optional part: anonymous memory, no userfaultfd, no context switches. */
    public static final KernelParts NONE = new KernelParts(false, false, false, 0, false, false, 0, false, false, 0);

    public KernelParts {
        if (batchedFlushLarge < 0) {
            throw new IllegalArgumentException("batchedFlushLarge: " + batchedFlushLarge + " (0 for none, else LARGE >= 1)");
        }
        if (migrationMarks < 0) {
            throw new IllegalArgumentException("migrationMarks: " + migrationMarks + " (0 for none)");
        }
        if (maxContextSwitches < 0) {
            throw new IllegalArgumentException("maxContextSwitches: " + maxContextSwitches + " (0 for none)");
        }
        files = files || pageCache;
    }

    /** Every part of this or {@code other} (the larger bound where both have one). */
    public KernelParts and(KernelParts other) {
        return new KernelParts(files || other.files, pageCache || other.pageCache, moves || other.moves,
                Math.max(batchedFlushLarge, other.batchedFlushLarge), userfaultfd || other.userfaultfd,
                numaFaults || other.numaFaults, Math.max(maxContextSwitches, other.maxContextSwitches),
                treeStoreFailures || other.treeStoreFailures, growingStacks || other.growingStacks,
                Math.max(migrationMarks, other.migrationMarks));
    }

    public KernelParts withFiles() {
        return and(new KernelParts(true, false, false, 0, false, false, 0, false, false, 0));
    }

    public KernelParts withPageCache() {
        return and(new KernelParts(true, true, false, 0, false, false, 0, false, false, 0));
    }

    public KernelParts withMoves() {
        return and(new KernelParts(false, false, true, 0, false, false, 0, false, false, 0));
    }

    public KernelParts withBatchedFlushGenerations(int large) {
        if (large < 1) {
            throw new IllegalArgumentException("tlb_flush_batched: LARGE must be at least 1, not " + large);
        }
        return and(new KernelParts(false, false, false, large, false, false, 0, false, false, 0));
    }

    /** Migrations that may batch their flush (v6.3+): {@code marks} marks of tlb_flush_batched at most. */
    public KernelParts withMigrationMarks(int marks) {
        if (marks < 1) {
            throw new IllegalArgumentException("migrationMarks: must be at least 1, not " + marks);
        }
        return and(new KernelParts(false, false, false, 0, false, false, 0, false, false, marks));
    }

    public KernelParts withUserfaultfd() {
        return and(new KernelParts(false, false, false, 0, true, false, 0, false, false, 0));
    }

    public KernelParts withNumaFaults() {
        return and(new KernelParts(false, false, false, 0, false, true, 0, false, false, 0));
    }

    public KernelParts withTreeStoreFailures() {
        return and(new KernelParts(false, false, false, 0, false, false, 0, true, false, 0));
    }

    public KernelParts withGrowingStacks() {
        return and(new KernelParts(false, false, false, 0, false, false, 0, false, true, 0));
    }

    public KernelParts withContextSwitches(int maxSwitches) {
        if (maxSwitches < 1) {
            throw new IllegalArgumentException("context switches: at least 1 per CPU, not " + maxSwitches);
        }
        return and(new KernelParts(false, false, false, 0, false, false, maxSwitches, false, false, 0));
    }
}
