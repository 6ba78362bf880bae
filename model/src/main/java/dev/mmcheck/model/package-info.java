/**
 * The kernel model. Its parts, one package per concern, in dependency order:
 * {@code versions} (which release has what: features, commits, backports), {@code machine} (CPUs,
 * TLBs, page tables, hardware walks, context switches), {@code mm} (the mm: VMAs, mmap_lock,
 * find_vma, thread locals, VMA pointers, the page cache), {@code gather} (the mmu_gather, TLB
 * shootdown, reclaim's batched flush), {@code faults} (page faults, NUMA hinting, migration,
 * userfaultfd), {@code syscalls} (madvise, mlock, mremap, mprotect, truncate, unmap_mapping_range,
 * UFFDIO_REGISTER) and {@code invariants} (I1 to I10 and the ghost state they read). This package
 * holds what composes them: {@link dev.mmcheck.model.Kernel} (one scenario's kernel: program,
 * machine, mm, ghost state, variant) and {@link dev.mmcheck.model.Variant} with the edits a
 * proposal makes ({@link dev.mmcheck.model.StepPatch} and the others). munmap itself is in
 * {@code specs.algorithms}, beside the proposals that change it.
 */
package dev.mmcheck.model;
