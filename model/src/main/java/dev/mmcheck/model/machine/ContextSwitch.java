package dev.mmcheck.model.machine;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

/**
 * The scheduler of one CPU as a daemon: a bounded number of context switches between a thread of
 * the mm, a kernel thread and another process (kernel/sched/core.c:context_switch), each done by
 * enter_lazy_tlb or by switch_mm_irqs_off in steps (arch/x86/mm/tlb.c, SEMANTICS.md 4.5), one per
 * access that another CPU observes, in the order of the source of each version:
 * <ol>
 *   <li>local_irq_disable (no flush IPI is taken until the switch ends);</li>
 *   <li>into the mm from another mm: cpumask_set_cpu(next) ("start receiving IPIs"); v4.14+ read
 *       next-&gt;context.tlb_gen and choose_new_asid (need_flush iff the mm's ASID is gone or its
 *       ctxs[asid].tlb_gen is behind; v4.12 has no PCID and always flushes); the CR3 write with
 *       loaded_mm = next. loaded_mm = LOADED_MM_SWITCHING, and loaded_mm = next after the CR3
 *       write, are steps of their own only where
 *       another CPU reads it (should_flush_tlb, {@link Feature#SHOULD_FLUSH_TLB}): after the
 *       tlb_gen read, or before the cpumask write with {@link Feature#SWITCHING_BEFORE_TLB_GEN};</li>
 *   <li>back to the mm from lazy mode (real_prev == next): is_lazy = false, then (v4.20+) smp_mb,
 *       read tlb_gen and flush if the ASID is behind; v4.12 goes back without either;</li>
 *   <li>away from the mm: v4.12 loads the other CR3 (a flush without PCID) and then clears its
 *       cpumask bit, one step (the bit is read only by flushers, and an IPI to a CPU whose CR3 is
 *       no longer the mm does nothing); v4.14+ clear the cpumask bit (with is_lazy = false), then
 *       the CR3 write: the mm's ASID keeps its entries, or choose_new_asid gives its slot to the
 *       other mm (flushed).</li>
 * </ol>
 * enter_lazy_tlb keeps the mm loaded (is_lazy) in v4.12/v4.13 and from v4.20
 * ({@link Feature#LAZY_TLB_ALWAYS}); v4.14-v4.19 with PCID switch to init_mm at once, so there a
 * kernel thread is a switch away from the mm. From v6.14 ({@link Feature#LAZY_MM_CPUMASK}) the
 * CPU stays in the previous mm's cpumask, so the away path has no cpumask step. Simplified: a thread is preempted only in user
 * space (between its operations), never while it sleeps in the kernel, and never migrates.
 */
public final class ContextSwitch {
    private static final String SWITCH = "arch/x86/mm/tlb.c:switch_mm_irqs_off";

    /** Labels of the steps, for mutants. */
    public static final String SET_CPUMASK = "cpumask_set_cpu(next)";
    public static final String READ_GEN = "read next tlb_gen, choose_new_asid";
    public static final String LAZY_RETURN_GEN = "read next tlb_gen (same mm)";
    public static final String SWITCHING = "loaded_mm = LOADED_MM_SWITCHING";
    public static final String LOADED_MM = "loaded_mm = next";
    public static final String CLEAR_CPUMASK = "cpumask_clear_cpu(prev)";
    /** switch_mm_irqs_off: cpumask_set_cpu(cpu, mm_cpumask(next)). */
    public static final StepRef SWITCH_SET_CPUMASK = StepRef.step(SET_CPUMASK);
    /** switch_mm_irqs_off: next_tlb_gen = atomic64_read(&next->context.tlb_gen), choose_new_asid. */
    public static final StepRef SWITCH_READ_GEN = StepRef.step(READ_GEN);
    /** switch_mm_irqs_off, prev == next: the lazy CPU's tlb_gen check on return. */
    public static final StepRef SWITCH_LAZY_RETURN_GEN = StepRef.step(LAZY_RETURN_GEN);
    /** switch_mm_irqs_off: loaded_mm = LOADED_MM_SWITCHING, a step where should_flush_tlb reads it. */
    public static final StepRef SWITCH_SWITCHING = StepRef.step(SWITCHING);
    /** switch_mm_irqs_off: this_cpu_write(cpu_tlbstate.loaded_mm, next) after the CR3 write. */
    public static final StepRef SWITCH_LOADED_MM = StepRef.step(LOADED_MM);
    /** switch_mm_irqs_off (v4.14+): cpumask_clear_cpu(cpu, mm_cpumask(prev)), away from the mm. */
    public static final StepRef SWITCH_CLEAR_CPUMASK = StepRef.step(CLEAR_CPUMASK);
    /** __schedule, context_switch: the scheduler picks the next task. */
    public static final StepRef SCHEDULE = StepRef.step("schedule");
    /** context_switch: the next task is a thread of the mm. */
    public static final StepRef SCHEDULE_MM_THREAD = SCHEDULE.choice("a thread of the mm");
    /** context_switch: the next task is a kernel thread (no mm). */
    public static final StepRef SCHEDULE_KTHREAD = SCHEDULE.choice("a kernel thread");
    /** context_switch: the next task is a thread of another process. */
    public static final StepRef SCHEDULE_OTHER = SCHEDULE.choice("another process");
    /** context_switch, enter_lazy_tlb: a kernel thread keeps the mm loaded, lazily. */
    public static final StepRef ENTER_LAZY_TLB = StepRef.step("enter_lazy_tlb");
    /** switch_mm: local_irq_save before switch_mm_irqs_off. */
    public static final StepRef LOCAL_IRQ_DISABLE = StepRef.step("local_irq_disable");
    /** switch_mm_irqs_off: load_new_mm_cr3(next) and loaded_mm = next, into the mm. */
    public static final StepRef LOAD_NEW_MM_CR3 = StepRef.step("load_new_mm_cr3");
    /** switch_mm_irqs_off, real_prev == next: is_lazy = false, back from lazy mode. */
    public static final StepRef IS_LAZY_FALSE = StepRef.step("is_lazy = false");
    /** switch_mm_irqs_off: the CR3 write of the other mm, away from the mm (v4.12: load_cr3, cpumask_clear_cpu). */
    public static final StepRef LOAD_NEW_MM_CR3_PREV = StepRef.step("load_new_mm_cr3 (prev)");
    /** switch_mm_irqs_off, choose_new_asid: the mm's ASID keeps its TLB entries. */
    public static final StepRef CR3_PREV_KEEPS_ASID = LOAD_NEW_MM_CR3_PREV.choice("the mm keeps its ASID");
    /** switch_mm_irqs_off, choose_new_asid: the mm's ASID slot goes to the other mm (flushed). */
    public static final StepRef CR3_PREV_ASID_REUSED = LOAD_NEW_MM_CR3_PREV.choice("the mm's ASID is reused");
    /** switch_mm_irqs_off between two other mms (or to init_mm): nothing of the mm changes. */
    public static final StepRef SWITCH_MM_OTHER = StepRef.step("switch_mm (not this mm)");

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
        CpuContexts x = k.contexts;
        boolean pcid = k.has(Feature.PCID_TLB_GEN);
        boolean lazyMode = lazyMode(k);
        // loaded_mm = LOADED_MM_SWITCHING is read by other CPUs only in should_flush_tlb.
        boolean switchingRead = k.has(Feature.SHOULD_FLUSH_TLB);
        boolean switchingFirst = switchingRead && k.has(Feature.SWITCHING_BEFORE_TLB_GEN);
        Process p = k.program.process(Actor.of("sched_CPU", cpu)).daemon();
        Locals l = Locals.of(p);
        // No switch while the CPU is inside a flush IPI handler (leaving the mm).
        Guard budget = s -> x.switchesLeft.get(s, cpu) > 0 && m.leavingMm.get(s, cpu) == 0;
        p.either(SCHEDULE.label(), k.src("kernel/sched/core.c:__schedule, context_switch"))
                .or(SCHEDULE_MM_THREAD.choice(), k.src("kernel/sched/core.c:context_switch"),
                        s -> x.running.get(s, cpu) != CpuContexts.MM_THREAD && m.leavingMm.get(s, cpu) == 0,
                        s -> l.next.set(s, CpuContexts.MM_THREAD)).goTo(LOCAL_IRQ_DISABLE.label())
                .or(SCHEDULE_KTHREAD.choice(), k.src("kernel/sched/core.c:context_switch"),
                        budget.and(s -> x.running.get(s, cpu) != CpuContexts.KTHREAD).and(userSpace),
                        lazyMode ? s -> take(x, s, cpu) : s -> {
                            take(x, s, cpu);
                            l.next.set(s, CpuContexts.KTHREAD); // switch_mm(NULL, &init_mm)
                        }).goTo(lazyMode ? ENTER_LAZY_TLB.label() : LOCAL_IRQ_DISABLE.label())
                .or(SCHEDULE_OTHER.choice(), k.src("kernel/sched/core.c:context_switch"),
                        budget.and(s -> x.running.get(s, cpu) != CpuContexts.OTHER).and(userSpace),
                        s -> {
                            take(x, s, cpu);
                            l.next.set(s, CpuContexts.OTHER);
                        }).goTo(LOCAL_IRQ_DISABLE.label());
        if (lazyMode) {
            p.step(ENTER_LAZY_TLB.label(), k.src("arch/x86/mm/tlb.c:enter_lazy_tlb"), s -> {
                if (m.usesMm(s, cpu)) {
                    m.lazy.set(s, cpu, 1);
                }
                x.running.set(s, cpu, CpuContexts.KTHREAD);
            }).goTo(SCHEDULE.label());
        }
        boolean lazyCpumask = k.has(Feature.LAZY_MM_CPUMASK);
        String away = pcid && !lazyCpumask ? SWITCH_CLEAR_CPUMASK.label() : LOAD_NEW_MM_CR3_PREV.label();
        p.step(LOCAL_IRQ_DISABLE.label(), k.src(SWITCH), s -> {
            m.irqsDisabled.set(s, cpu, 1);
            x.switching.set(s, cpu, CpuContexts.IN_SWITCH_MM);
        })
                .ifGoTo(s -> l.next.get(s) != CpuContexts.MM_THREAD && !m.usesMm(s, cpu), SWITCH_MM_OTHER.label())
                .ifGoTo(s -> l.next.get(s) != CpuContexts.MM_THREAD, away)
                .ifGoTo(s -> m.usesMm(s, cpu), IS_LAZY_FALSE.label());
        // Into the mm from another mm.
        if (switchingFirst) {
            switching(k, p, cpu, x);
        }
        p.step(SWITCH_SET_CPUMASK.label(), k.src(SWITCH), s -> m.inCpumask.set(s, cpu, 1));
        if (pcid) {
            p.step(SWITCH_READ_GEN.label(), k.src(SWITCH + ", choose_new_asid"), s -> {
                int gen = x.tlbGen.get(s);
                l.nextTlbGen.set(s, gen);
                boolean flush = x.asidCached.get(s, cpu) == 0 || x.asidGen.get(s, cpu) < gen;
                l.needFlush.set(s, flush ? 1 : 0);
            });
        }
        if (switchingRead && !switchingFirst) {
            switching(k, p, cpu, x);
        }
        // The CR3 write, then loaded_mm = next: one step unless should_flush_tlb reads loaded_mm,
        // which can then see LOADED_MM_SWITCHING while the walker already uses the mm's tables.
        p.step(LOAD_NEW_MM_CR3.label(), k.src(SWITCH + ", load_new_mm_cr3"), s -> {
            if (!pcid || l.needFlush.get(s) == 1) {
                m.flushCpu(s, cpu);
                x.asidCached.set(s, cpu, pcid ? 1 : 0);
                x.asidGen.set(s, cpu, l.nextTlbGen.get(s));
            }
            m.loaded.set(s, cpu, Machine.THE_MM);
            if (!switchingRead) {
                finish(m, x, l, s, cpu, CpuContexts.MM_THREAD);
            }
        });
        if (switchingRead) {
            p.step(SWITCH_LOADED_MM.label(), k.src(SWITCH), s -> finish(m, x, l, s, cpu, CpuContexts.MM_THREAD));
        }
        p.goTo(SCHEDULE.label());
        // Back to the mm from lazy mode (real_prev == next).
        boolean genOnReturn = pcid && k.has(Feature.LAZY_TLB_ALWAYS);
        p.step(IS_LAZY_FALSE.label(), k.src(SWITCH), s -> {
            m.lazy.set(s, cpu, 0);
            if (!genOnReturn) {
                finish(m, x, l, s, cpu, CpuContexts.MM_THREAD); // v4.12: back without a flush
            }
        });
        if (genOnReturn) {
            p.step(SWITCH_LAZY_RETURN_GEN.label(), k.src(SWITCH), s -> {
                if (x.asidGen.get(s, cpu) < x.tlbGen.get(s)) {
                    m.flushCpu(s, cpu);
                    x.asidGen.set(s, cpu, x.tlbGen.get(s));
                }
                finish(m, x, l, s, cpu, CpuContexts.MM_THREAD);
            });
        }
        p.goTo(SCHEDULE.label());
        // Away from the mm.
        if (pcid) {
            if (!lazyCpumask) {
                p.step(SWITCH_CLEAR_CPUMASK.label(), k.src(SWITCH), s -> {
                    m.lazy.set(s, cpu, 0); // if (was_lazy) is_lazy = false, the statement before
                    m.inCpumask.set(s, cpu, 0);
                });
            }
            // v6.14 (209954cbc7d0): the CPU stays in the mm's cpumask until a flush finds it gone.
            p.either(LOAD_NEW_MM_CR3_PREV.label(), k.src(SWITCH + ", choose_new_asid, load_new_mm_cr3"))
                    .or(CR3_PREV_KEEPS_ASID.choice(), k.src(SWITCH + ", choose_new_asid"), s -> true,
                            s -> away(m, x, l, s, cpu, false)).goTo(SCHEDULE.label())
                    .or(CR3_PREV_ASID_REUSED.choice(), k.src(SWITCH + ", choose_new_asid"), s -> true,
                            s -> away(m, x, l, s, cpu, true)).goTo(SCHEDULE.label());
        } else {
            // v4.12: load_cr3(next) flushes everything (no PCID), then cpumask_clear_cpu(prev).
            p.step(LOAD_NEW_MM_CR3_PREV.label(), k.src(SWITCH + ", load_cr3; cpumask_clear_cpu(prev)"),
                    s -> {
                        m.inCpumask.set(s, cpu, 0);
                        away(m, x, l, s, cpu, true);
                    }).goTo(SCHEDULE.label());
        }
        p.step(SWITCH_MM_OTHER.label(), k.src(SWITCH), s -> {
            m.lazy.set(s, cpu, 0);
            finish(m, x, l, s, cpu, l.next.get(s));
        }).goTo(SCHEDULE.label());
    }

    /** loaded_mm = LOADED_MM_SWITCHING, as a step of its own (only where should_flush_tlb reads it). */
    private static void switching(Kernel k, Process p, int cpu, CpuContexts x) {
        p.step(SWITCH_SWITCHING.label(), k.src(SWITCH), s -> x.switching.set(s, cpu, CpuContexts.LOADED_MM_SWITCHING));
    }

    /**
     * enter_lazy_tlb keeps the mm loaded: v4.12/v4.13 (no PCID support) and v4.20+; v4.14-v4.19
     * switch a CPU with PCID to init_mm (tlb_defer_switch_to_init_mm).
     */
    public static boolean lazyMode(Kernel k) {
        return !k.has(Feature.PCID_TLB_GEN) || k.has(Feature.LAZY_TLB_ALWAYS);
    }

    /** The CPU whose scheduler {@code p} is (for step patches). */
    public static int cpuOf(Process p) {
        return Integer.parseInt(p.name().substring("sched_CPU".length()));
    }

    private static void take(CpuContexts x, long[] s, int cpu) {
        x.switchesLeft.set(s, cpu, x.switchesLeft.get(s, cpu) - 1);
    }

    private static void away(Machine m, CpuContexts x, Locals l, long[] s, int cpu, boolean loseAsid) {
        if (loseAsid) {
            m.flushCpu(s, cpu);
            x.asidCached.set(s, cpu, 0);
            x.asidGen.set(s, cpu, 0);
        }
        m.loaded.set(s, cpu, Machine.INIT_MM);
        m.lazy.set(s, cpu, 0);
        finish(m, x, l, s, cpu, l.next.get(s));
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
