package dev.mmcheck.specs.scenario;

/** What a CPU runs when the scenario starts. */
public enum CpuRole {
    /** Runs the thread of the same number (CR3 = the mm, in mm_cpumask). */
    THREAD,
    /** Ran a thread of the mm, now runs a kernel thread: lazy TLB, CR3 still the mm, in mm_cpumask. */
    LAZY,
    /** Runs something else entirely (init_mm loaded, not in mm_cpumask). */
    IDLE
}
