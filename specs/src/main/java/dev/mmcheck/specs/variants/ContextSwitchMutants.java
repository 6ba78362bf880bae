package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.machine.ContextSwitch;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.ContextSwitchScenarios;

import java.util.List;

import static dev.mmcheck.model.invariants.KernelProperty.I1;
import static dev.mmcheck.model.invariants.KernelProperty.I2;

/**
 * Mistakes in the context-switch side of the x86 TLB protocol, each caught on a scenario where
 * the kernel version it starts from holds.
 */
public final class ContextSwitchMutants {
    private ContextSwitchMutants() {
    }

    public static List<Mutant> all() {
        return List.of(readGenBeforeCpumask(), lazyReturnWithoutGenCheck());
    }

    /**
     * switch_mm_irqs_off reads next-&gt;context.tlb_gen before it sets its bit in mm_cpumask: a
     * flush between the two neither sees the CPU nor is seen by it, so the CPU loads CR3 without
     * a flush and uses its stale ASID entries (the ordering the kernel's smp_mb pairs with
     * inc_mm_tlb_gen to prevent).
     */
    static Mutant readGenBeforeCpumask() {
        String name = "mutant-switch-reads-tlb-gen-before-cpumask";
        Variant v = Variant.of(KernelVersion.V5_8).named(name,
                        "switch_mm_irqs_off reads tlb_gen and chooses the ASID before setting its mm_cpumask bit")
                .replaceEffect(ContextSwitch.SWITCH_SET_CPUMASK, "read tlb_gen and decide need_flush first", (k, orig) -> {
                    ContextSwitch.Locals l = ContextSwitch.Locals.of(k.site());
                    int cpu = ContextSwitch.cpuOf(k.site().process());
                    CpuContexts x = k.contexts;
                    return s -> {
                        int gen = x.tlbGen.get(s);
                        l.nextTlbGen.set(s, gen);
                        l.needFlush.set(s, x.asidCached.get(s, cpu) == 0 || x.asidGen.get(s, cpu) < gen ? 1 : 0);
                    };
                })
                .replaceEffect(ContextSwitch.SWITCH_READ_GEN, "then set the mm_cpumask bit", (k, orig) -> {
                    int cpu = ContextSwitch.cpuOf(k.site().process());
                    return s -> k.machine.inCpumask.set(s, cpu, 1);
                });
        return new Mutant(name, v, ContextSwitchScenarios::dontneedWhileSwitching, I1, I2);
    }

    /**
     * Returning from lazy TLB mode to the same mm, switch_mm_irqs_off does not compare the ASID's
     * generation with tlb_gen: a leaf-only flush that skipped the lazy CPU (v4.20+) is lost.
     */
    static Mutant lazyReturnWithoutGenCheck() {
        String name = "mutant-lazy-return-skips-tlb-gen";
        Variant v = Variant.of(KernelVersion.V5_8).named(name,
                        "switch_mm_irqs_off returns from lazy mode without checking tlb_gen")
                .replaceEffect(ContextSwitch.SWITCH_LAZY_RETURN_GEN, "no generation check", (k, orig) -> {
                    int cpu = ContextSwitch.cpuOf(k.site().process());
                    CpuContexts x = k.contexts;
                    return s -> {
                        int gen = x.asidGen.get(s, cpu);
                        x.asidGen.set(s, cpu, x.tlbGen.get(s));
                        orig.apply(s);
                        x.asidGen.set(s, cpu, gen);
                    };
                });
        return new Mutant(name, v, ContextSwitchScenarios::dontneedWhileSwitching, I1, I2);
    }
}
