/**
 * The mm: VMAs in tree, list and vmacache (to v5.19) or in one maple tree (v6.1+), mmap_lock as a rwsem, find_vma, i_mmap_rwsem, the page
 * cache, and what a thread holds while it runs kernel code ({@link dev.mmcheck.model.mm.ThreadLocals},
 * with VMA pointers whose lifetime is checked where they are used,
 * {@link dev.mmcheck.model.mm.VmaPointer}).
 */
package dev.mmcheck.model.mm;
