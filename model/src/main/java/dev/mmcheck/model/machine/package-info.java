/**
 * The x86-like machine: CPUs with TLBs and paging-structure caches, page tables and frames
 * ({@link dev.mmcheck.model.machine.Machine}), what the hardware may do at any time
 * ({@link dev.mmcheck.model.machine.Hardware}), user accesses, and the scheduler's switch_mm
 * ({@link dev.mmcheck.model.machine.ContextSwitch}).
 */
package dev.mmcheck.model.machine;
