package dev.mmcheck.model.machine;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.versions.Feature;

/**
 * The per-CPU TLB context state that context switches need (arch/x86/mm/tlb.c,
 * arch/x86/include/asm/tlbflush.h): which task a CPU runs, whether it is inside
 * switch_mm_irqs_off, the CPU's ASID slot for the mm with its flush generation
 * (cpu_tlbstate.ctxs[asid].ctx_id / .tlb_gen, v4.14+) and mm-&gt;context.tlb_gen. It exists only
 * when a scenario has context switches ({@code KernelParts.maxContextSwitches}); without it the
 * machine keeps the fixed roles of the scenario, none of this state is in the state vector, and
 * {@code Kernel.contexts} is the null object ({@link #absent}) whose flushes are those of a kernel
 * whose CPUs never switch: flush_tlb_func flushes the requested pages or, on a lazy CPU, leaves the
 * mm, and I2 at a syscall's return counts the CPUs that use the mm now.
 *
 * <p>ASIDs: the TLB and paging-structure cache of {@link Machine} hold the entries tagged with
 * the mm's ASID on each CPU. They stay after the CPU switches to another mm (usable again only
 * when it switches back without a flush) unless that mm took the ASID slot (choose_new_asid
 * evicting it round-robin), which is a nondeterministic choice of the switch. Entries of other
 * mms are not modelled. v4.12 has no PCID: every CR3 write flushes.
 *
 * <p>Generations are absolute counters up to {@link #MAX_GEN}; a scenario that flushes more often
 * fails loudly (setChecked) instead of wrapping.
 */
public final class CpuContexts {
    /** running values. */
    public static final int MM_THREAD = 0;
    public static final int KTHREAD = 1;
    public static final int OTHER = 2;
    /** switching values. */
    public static final int NOT_SWITCHING = 0;
    /** Inside switch_mm_irqs_off, loaded_mm still the previous mm. */
    public static final int IN_SWITCH_MM = 1;
    /** cpu_tlbstate.loaded_mm == LOADED_MM_SWITCHING. */
    public static final int LOADED_MM_SWITCHING = 2;

    public static final int MAX_GEN = 7;

    private final Kernel k;
    /** mm->context.tlb_gen. */
    public final Field tlbGen;
    /** What CPU c runs: a thread of the mm, a kernel thread, another process. */
    public final FieldArray running;
    /** Context switches CPU c may still make away from the mm's threads (scenario bound). */
    public final FieldArray switchesLeft;
    /** CPU c's progress inside switch_mm_irqs_off. */
    public final FieldArray switching;
    /** One of CPU c's ASID slots still belongs to the mm (ctxs[asid].ctx_id == mm's ctx_id). */
    public final FieldArray asidCached;
    /** ctxs[mm's asid].tlb_gen on CPU c: the mm generation its entries are up to date with. */
    public final FieldArray asidGen;
    /** flush_tlb_info.new_tlb_gen of CPU c's pending flush IPI (the highest, when several are queued). */
    public final FieldArray ipiGen;
    /** More than one flush request is queued on CPU c (flush_tlb_func then cannot do a partial flush). */
    public final FieldArray ipiQueuedMore;
    /** flush_tlb_func returns when the ASID covers the request ({@link Feature#FLUSH_SKIPS_COVERED_GEN}). */
    private final boolean skipsCoveredGen;

    /** The context state of {@code k}'s model; made by {@link Kernel} for a model with context switches. */
    public CpuContexts(Kernel k, int maxSwitches) {
        this.k = k;
        Program p = k.program;
        int cpus = k.config.cpus();
        tlbGen = p.field("mm.context.tlb_gen", 0, MAX_GEN);
        running = p.array("cpu.running", cpus, MM_THREAD, OTHER);
        switchesLeft = p.array("cpu.switches_left", cpus, 0, maxSwitches);
        switching = p.array("cpu.in_switch_mm", cpus, NOT_SWITCHING, LOADED_MM_SWITCHING);
        asidCached = p.array("cpu.mm_asid_cached", cpus, 0, 1);
        asidGen = p.array("cpu.ctxs_tlb_gen", cpus, 0, MAX_GEN);
        ipiGen = p.array("cpu.flush_ipi_new_tlb_gen", cpus, 0, MAX_GEN);
        ipiQueuedMore = p.array("cpu.flush_ipi_queued_more", cpus, 0, 1);
        skipsCoveredGen = k.has(Feature.FLUSH_SKIPS_COVERED_GEN);
    }

    private CpuContexts(Kernel k) {
        this.k = k;
        tlbGen = null;
        running = null;
        switchesLeft = null;
        switching = null;
        asidCached = null;
        asidGen = null;
        ipiGen = null;
        ipiQueuedMore = null;
        skipsCoveredGen = false;
    }

    /** The null object of a model whose CPUs never switch context (see the class comment). */
    public static CpuContexts absent(Kernel k) {
        return new CpuContexts(k);
    }

    /** Has the model context switches? The switch code and the generation locals are built only then. */
    public boolean present() {
        return running != null;
    }

    private boolean pcid() {
        return k.has(Feature.PCID_TLB_GEN);
    }

    /** CPU c is inside switch_mm_irqs_off (IRQs off, running no user code). */
    public boolean inSwitch(long[] s, int cpu) {
        return present() && switching.get(s, cpu) != NOT_SWITCHING;
    }

    /** inc_mm_tlb_gen (v4.14+): the new generation, or 0 before v4.14. */
    public int incTlbGen(long[] s) {
        if (!present() || !pcid()) {
            return 0;
        }
        tlbGen.setChecked(s, tlbGen.get(s) + 1);
        return tlbGen.get(s);
    }

    /**
     * flush_tlb_func_local on the initiator's own CPU (IRQs disabled) for a request of
     * {@code pages} with {@code newGen}: v4.12/v4.13 flush the pages; v4.14+ do nothing when the
     * ASID is already at mm-&gt;context.tlb_gen, flush just the pages when this request is the
     * only one the CPU missed (new_tlb_gen == local + 1 == mm tlb_gen), else everything, and
     * record tlb_gen (flush_tlb_func_common, v4.14 to v5.19). Without context switches: flush
     * the pages.
     */
    public void flushLocal(long[] s, int cpu, int newGen, int pages) {
        Machine m = k.machine;
        if (!present()) {
            m.flushPages(s, cpu, pages);
            return;
        }
        if (!m.usesMm(s, cpu) || m.lazy.get(s, cpu) == 1) {
            return;
        }
        if (!pcid()) {
            m.flushPages(s, cpu, pages);
            return;
        }
        flushToGen(s, cpu, newGen, pages, false);
    }

    /**
     * The generation rule of flush_tlb_func_common (v4.14 to v5.19): nothing if the ASID is up to
     * date (local_tlb_gen == mm_tlb_gen); a partial flush of {@code pages} if the request is the
     * one generation it missed and no other request is queued; else a full flush; then
     * ctxs[asid].tlb_gen = mm_tlb_gen. From v6.0 ({@link Feature#FLUSH_SKIPS_COVERED_GEN}) first
     * nothing if the ASID already covers the request (new_tlb_gen &lt;= local_tlb_gen). Queued
     * requests are merged into the newest generation: when an older one is covered and the newest
     * is the one generation missed, v6.0+ would flush only the newest's pages where the model
     * flushes the whole TLB (it never keeps an entry the kernel drops).
     */
    private void flushToGen(long[] s, int cpu, int newGen, int pages, boolean more) {
        Machine m = k.machine;
        int local = asidGen.get(s, cpu);
        if (skipsCoveredGen && newGen <= local) {
            return;
        }
        int mmGen = tlbGen.get(s);
        if (local == mmGen) {
            return;
        }
        if (!more && newGen == local + 1 && newGen == mmGen) {
            m.flushPages(s, cpu, pages);
        } else {
            m.flushCpu(s, cpu);
        }
        asidGen.set(s, cpu, mmGen);
    }

    /**
     * A flush request with {@code newGen} joins CPU c's call_single_queue; {@code alreadyPending}
     * when another one waits there (the two are handled in one interrupt).
     */
    public void queue(long[] s, int cpu, int newGen, boolean alreadyPending) {
        if (!present()) {
            return;
        }
        ipiGen.set(s, cpu, Math.max(ipiGen.get(s, cpu), newGen));
        if (alreadyPending) {
            ipiQueuedMore.set(s, cpu, 1);
        }
    }

    /**
     * flush_tlb_func on a target CPU for everything queued, with the context state:
     * <ul>
     *   <li>loaded_mm is not the mm: nothing (the ASID is checked when the CPU switches back);</li>
     *   <li>lazy: v4.12 leave_mm (CR3 to init_mm, which flushes without PCID); v4.14+
     *       switch_mm_irqs_off(NULL, &amp;init_mm): the mm's ASID keeps its entries and its
     *       generation, so switching back flushes; either way the CPU leaves mm_cpumask;</li>
     *   <li>v4.14+: the generation rule of {@link #flushToGen} (several queued requests are never
     *       a partial flush);</li>
     *   <li>v4.12: flush the requested pages.</li>
     * </ul>
     */
    public void flushTlbFunc(long[] s, int cpu) {
        Machine m = k.machine;
        if (!present()) {
            flushWithoutContexts(m, s, cpu);
            return;
        }
        if (!m.usesMm(s, cpu) && k.has(Feature.LAZY_MM_CPUMASK)) {
            m.inCpumask.set(s, cpu, 0); // "The CPU was left in the mm_cpumask of the target mm. Clear it."
        } else if (m.usesMm(s, cpu)) {
            if (m.lazy.get(s, cpu) == 1) {
                m.loaded.set(s, cpu, Machine.INIT_MM);
                m.lazy.set(s, cpu, 0);
                if (!k.has(Feature.LAZY_MM_CPUMASK)) {
                    m.inCpumask.set(s, cpu, 0);
                }
                if (!pcid()) {
                    m.flushCpu(s, cpu);
                    asidCached.set(s, cpu, 0);
                }
            } else if (!pcid()) {
                m.flushPages(s, cpu, m.ipiPages.get(s, cpu));
            } else {
                flushToGen(s, cpu, ipiGen.get(s, cpu), m.ipiPages.get(s, cpu), ipiQueuedMore.get(s, cpu) == 1);
            }
        }
        m.ipiPages.set(s, cpu, 0);
        ipiGen.set(s, cpu, 0);
        ipiQueuedMore.set(s, cpu, 0);
    }

    /**
     * flush_tlb_func on a CPU that never switches context: a lazy CPU leaves the mm (CR3 to
     * init_mm, a full flush; from v6.14 it stays in mm_cpumask, {@link Feature#LAZY_MM_CPUMASK}),
     * a CPU running the mm flushes the requested pages, and a CPU left in the mask after it
     * switched away (v6.14) clears its bit.
     */
    private void flushWithoutContexts(Machine m, long[] s, int cpu) {
        boolean lazyCpumask = k.has(Feature.LAZY_MM_CPUMASK);
        if (!m.usesMm(s, cpu) && lazyCpumask) {
            m.inCpumask.set(s, cpu, 0); // v6.14: left in the cpumask, cleared now
        } else if (m.usesMm(s, cpu)) {
            if (m.lazy.get(s, cpu) == 1) {
                m.loaded.set(s, cpu, Machine.INIT_MM);
                m.lazy.set(s, cpu, 0);
                m.inCpumask.set(s, cpu, lazyCpumask ? 1 : 0);
                m.flushCpu(s, cpu);
            } else {
                m.flushPages(s, cpu, m.ipiPages.get(s, cpu));
            }
        }
        m.ipiPages.set(s, cpu, 0);
    }

    /**
     * CPU c is inside switch_mm_irqs_off with cpu_tlbstate.loaded_mm == LOADED_MM_SWITCHING
     * (never, without context switches).
     */
    public boolean loadedMmSwitching(long[] s, int cpu) {
        return present() && switching.get(s, cpu) == LOADED_MM_SWITCHING;
    }

    /**
     * CPU c can execute user code of the mm with its current entries, now or after switching back
     * without a flush: it runs a thread of the mm (or, before v4.20, is lazy: it switches back
     * without a flush), or another mm holds CR3 while the mm's ASID is cached and up to date.
     */
    public boolean mayUseLater(long[] s, int cpu, boolean lazyCounts) {
        Machine m = k.machine;
        if (inSwitch(s, cpu)) {
            // It flushes before running user code unless its ASID is already up to date.
            boolean upToDate = pcid() && asidCached.get(s, cpu) == 1 && asidGen.get(s, cpu) >= tlbGen.get(s);
            return m.usesMm(s, cpu) && !pcid() || upToDate;
        }
        if (m.usesMm(s, cpu)) {
            return lazyCounts || m.lazy.get(s, cpu) == 0;
        }
        return pcid() && asidCached.get(s, cpu) == 1 && asidGen.get(s, cpu) >= tlbGen.get(s);
    }

    /**
     * I2 at a syscall's return, over the CPUs of {@link #mayUseLater}; without context switches
     * over the CPUs that use the mm now ({@link Ghost#checkReturn}).
     */
    public void checkReturn(long[] s, int thread, int lo, int hi, boolean lazyCounts) {
        Machine m = k.machine;
        Ghost g = k.ghost;
        if (!present()) {
            g.checkReturn(m, s, thread, lo, hi, lazyCounts);
            return;
        }
        if (g.stalePage.get(s) != 0) {
            return;
        }
        for (int c = 0; c < k.config.cpus(); c++) {
            if (!mayUseLater(s, c, lazyCounts)) {
                continue;
            }
            for (int p = lo; p < hi; p++) {
                int e = m.tlb(s, c, p);
                if (e != Machine.NONE && e != m.pte.get(s, p)) {
                    g.stalePage.set(s, p + 1);
                    g.staleCpu.set(s, c);
                    g.staleFrame.set(s, e - 1);
                    g.staleThread.set(s, thread);
                    return;
                }
            }
        }
    }
}
