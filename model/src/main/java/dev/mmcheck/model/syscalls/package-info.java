/**
 * The syscalls and kernel paths besides munmap that race with it: madvise(MADV_DONTNEED), mlock,
 * mremap, mprotect and NUMA scanning through change_protection, truncate, unmap_mapping_range
 * and UFFDIO_REGISTER; {@link dev.mmcheck.model.syscalls.Syscalls} has the return to user space.
 */
package dev.mmcheck.model.syscalls;
