package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.state.Field;

/**
 * The scheduler of one CPU as a daemon: a bounded number of context switches between a thread of
 * the mm, a kernel thread and another process (kernel/sched/core.c:context_switch), each done by
 * enter_lazy_tlb or by switch_mm_irqs_off in steps (arch/x86/mm/tlb.c, SEMANTICS.md 4.5):
 * <ol>
 *   <li>local_irq_disable (no flush IPI is taken until the switch ends);</li>
 *   <li>switching to the mm from another mm: cpumask_set_cpu(next) ("start receiving IPIs"), then
 *       read next-&gt;context.tlb_gen and choose_new_asid (need_flush iff the mm's ASID is gone
 *       or its ctxs[asid].tlb_gen is behind; always before v4.14) and loaded_mm =
 *       LOADED_MM_SWITCHING, then the CR3 write (with or without flush) with loaded_mm = next;</li>
 *   <li>returning to the mm from lazy mode: is_lazy = false, then (v4.14+) compare the ASID's
 *       generation with tlb_gen and flush if behind;</li>
 *   <li>switching away from the mm: loaded_mm = LOADED_MM_SWITCHING, then the CR3 write of the
 *       other mm together with cpumask_clear_cpu(prev); the mm's ASID keeps its entries, or the
 *       other mm takes its slot (flushed), or without PCID (v4.12) the CR3 write flushes.</li>
 * </ol>
 * Simplified: a thread is preempted only in user space (between its operations), never while it
 * sleeps in the kernel, and never migrates; the CPU's switch from the previous mm's cpumask is
 * merged with the CR3 write (between the two, speculative fills are tagged with the mm's ASID,
 * whose generation a skipped flush has left behind); 4.14-4.19 are modelled with lazy mode kept
 * (tlb_defer_switch_to_init_mm), and the cpumask trim of 6db2526c1d69 is not modelled.
 */
public final class ContextSwitch {
    private static final String SWITCH = "arch/x86/mm/tlb.c:switch_mm_irqs_off";

    /** Labels of the steps, for mutants. */
    public static final String SET_CPUMASK = "cpumask_set_cpu(next)";
    public static final String READ_GEN = "read next tlb_gen, choose_new_asid";
    public static final String LAZY_RETURN_GEN = "read next tlb_gen (same mm)";

    private ContextSwitch() {
    }

    /** Locals of a CPU's scheduler daemon. */
    public static final class Locals {
        /** The task kind being switched to (CpuContexts.running values). */
        public final Field next;
        /** next_tlb_gen read by switch_mm_irqs_off. */
        public final Field nextTlbGen;
        /** need_flush of choose_new_asid. */
        public final Field needFlush;

        private Locals(Code c) {
            next = c.local("next", 0, CpuContexts.OTHER);
            nextTlbGen = c.local("next_tlb_gen", 0, CpuContexts.MAX_GEN);
            needFlush = c.local("need_flush", 0, 1);
        }

        public static Locals of(Code c) {
            return new Locals(c);
        }
    }

    /**
     * Adds CPU {@code cpu}'s scheduler. {@code userSpace} holds when the thread pinned to the CPU
     * (if any) is in user space and may be preempted.
     */
    public static void addScheduler(Kernel k, int cpu, Guard userSpace) {
        Machine m = k.machine;
        CpuContexts x = CpuContexts.of(k);
        boolean pcid = k.has(Feature.PCID_TLB_GEN);
        Process p = k.program.process("sched_CPU" + cpu).daemon();
        Locals l = Locals.of(p);
        Guard budget = s -> x.switchesLeft.get(s, cpu) > 0;
        p.either("schedule", k.src("kernel/sched/core.c:__schedule, context_switch"))
                .or("a thread of the mm", k.src("kernel/sched/core.c:context_switch"),
                        s -> x.running.get(s, cpu) != CpuContexts.MM_THREAD,
                        s -> l.next.set(s, CpuContexts.MM_THREAD)).goTo("local_irq_disable")
                .or("a kernel thread", k.src("kernel/sched/core.c:context_switch"),
                        budget.and(s -> x.running.get(s, cpu) != CpuContexts.KTHREAD).and(userSpace),
                        s -> take(x, s, cpu)).goTo("enter_lazy_tlb")
                .or("another process", k.src("kernel/sched/core.c:context_switch"),
                        budget.and(s -> x.running.get(s, cpu) != CpuContexts.OTHER).and(userSpace),
                        s -> {
                            take(x, s, cpu);
                            l.next.set(s, CpuContexts.OTHER);
                        }).goTo("local_irq_disable");
        p.step("enter_lazy_tlb", k.src("arch/x86/mm/tlb.c:enter_lazy_tlb"), k.effect(p, "enter_lazy_tlb", s -> {
            if (m.usesMm(s, cpu)) {
                m.lazy.set(s, cpu, 1);
            }
            x.running.set(s, cpu, CpuContexts.KTHREAD);
        })).goTo("schedule");
        p.step("local_irq_disable", k.src(SWITCH), k.effect(p, "local_irq_disable", s -> {
            m.irqsDisabled.set(s, cpu, 1);
            x.switching.set(s, cpu, CpuContexts.IN_SWITCH_MM);
        }))
                .ifGoTo(s -> l.next.get(s) == CpuContexts.OTHER && !m.usesMm(s, cpu), "switch_mm (not this mm)")
                .ifGoTo(s -> l.next.get(s) == CpuContexts.OTHER, "loaded_mm = LOADED_MM_SWITCHING (prev)")
                .ifGoTo(s -> m.usesMm(s, cpu), "is_lazy = false");
        // Into the mm from another mm.
        p.step(SET_CPUMASK, k.src(SWITCH), k.effect(p, SET_CPUMASK, s -> m.inCpumask.set(s, cpu, 1)));
        p.step(READ_GEN, k.src(SWITCH + ", choose_new_asid"), k.effect(p, READ_GEN, s -> {
            int gen = x.tlbGen.get(s);
            l.nextTlbGen.set(s, gen);
            boolean flush = !pcid || x.asidCached.get(s, cpu) == 0 || x.asidGen.get(s, cpu) < gen;
            l.needFlush.set(s, flush ? 1 : 0);
            x.switching.set(s, cpu, CpuContexts.LOADED_MM_SWITCHING);
        }));
        p.step("load_new_mm_cr3", k.src(SWITCH + ", load_new_mm_cr3"), k.effect(p, "load_new_mm_cr3", s -> {
            if (l.needFlush.get(s) == 1) {
                m.flushCpu(s, cpu);
                x.asidCached.set(s, cpu, pcid ? 1 : 0);
                x.asidGen.set(s, cpu, l.nextTlbGen.get(s));
            }
            m.loaded.set(s, cpu, Machine.THE_MM);
            finish(m, x, l, s, cpu, CpuContexts.MM_THREAD);
        })).goTo("schedule");
        // Back to the mm from lazy mode (real_prev == next).
        p.step("is_lazy = false", k.src(SWITCH), k.effect(p, "is_lazy = false", s -> m.lazy.set(s, cpu, 0)));
        p.step(LAZY_RETURN_GEN, k.src(SWITCH), k.effect(p, LAZY_RETURN_GEN, s -> {
            if (pcid && x.asidGen.get(s, cpu) < x.tlbGen.get(s)) {
                m.flushCpu(s, cpu);
                x.asidGen.set(s, cpu, x.tlbGen.get(s));
            }
            finish(m, x, l, s, cpu, CpuContexts.MM_THREAD);
        })).goTo("schedule");
        // Away from the mm.
        p.step("loaded_mm = LOADED_MM_SWITCHING (prev)", k.src(SWITCH + ", choose_new_asid"),
                k.effect(p, "loaded_mm = LOADED_MM_SWITCHING (prev)",
                        s -> x.switching.set(s, cpu, CpuContexts.LOADED_MM_SWITCHING)));
        p.either("load_new_mm_cr3 (prev)", k.src(SWITCH + ", load_new_mm_cr3; cpumask_clear_cpu(prev)"))
                .or("the mm keeps its ASID", k.src(SWITCH + ", choose_new_asid"), s -> pcid,
                        s -> away(m, x, l, s, cpu, false)).goTo("schedule")
                .or("the mm's ASID is reused or no PCID", k.src(SWITCH + ", choose_new_asid"), s -> true,
                        s -> away(m, x, l, s, cpu, true)).goTo("schedule");
        p.step("switch_mm (not this mm)", k.src(SWITCH), k.effect(p, "switch_mm (not this mm)", s -> {
            m.lazy.set(s, cpu, 0);
            finish(m, x, l, s, cpu, CpuContexts.OTHER);
        })).goTo("schedule");
    }

    /** The CPU whose scheduler {@code p} is (for step patches). */
    public static int cpuOf(Process p) {
        return Integer.parseInt(p.name().substring("sched_CPU".length()));
    }

    private static void take(CpuContexts x, long[] s, int cpu) {
        x.switchesLeft.set(s, cpu, x.switchesLeft.get(s, cpu) - 1);
    }

    private static void away(Machine m, CpuContexts x, Locals l, long[] s, int cpu, boolean loseAsid) {
        m.inCpumask.set(s, cpu, 0);
        if (loseAsid) {
            m.flushCpu(s, cpu);
            x.asidCached.set(s, cpu, 0);
            x.asidGen.set(s, cpu, 0);
        }
        m.loaded.set(s, cpu, Machine.INIT_MM);
        m.lazy.set(s, cpu, 0);
        finish(m, x, l, s, cpu, CpuContexts.OTHER);
    }

    /** loaded_mm = next; local_irq_enable (finish_task_switch); the locals are reset. */
    private static void finish(Machine m, CpuContexts x, Locals l, long[] s, int cpu, int running) {
        x.switching.set(s, cpu, CpuContexts.NOT_SWITCHING);
        m.irqsDisabled.set(s, cpu, 0);
        x.running.set(s, cpu, running);
        l.next.set(s, 0);
        l.nextTlbGen.set(s, 0);
        l.needFlush.set(s, 0);
    }
}
