/**
 * Page faults: the anonymous and file fault paths, stack expansion, NUMA hinting faults and page
 * migration, and userfaultfd (handle_userfault, events, UFFDIO_COPY, the monitor).
 */
package dev.mmcheck.model.faults;
