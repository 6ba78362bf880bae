package dev.mmcheck.specs.uffd;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.scenario.Op;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.UffdRegisterScenarios;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.UffdMutants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UFFDIO_REGISTER as an operation: every kernel version holds the register scenarios with the
 * state counts below; what registration does (splits, flags, faults handed to the monitor
 * afterwards and only afterwards) is checked on the final and reachable states; the read-lock
 * mutant is caught by I4 in the shortest trace; malformed scenarios are rejected.
 */
class UffdRegisterTest {
    private static final List<KernelVersion> VERSIONS = List.of(KernelVersion.V4_12, KernelVersion.V4_19,
            KernelVersion.V4_20, KernelVersion.V5_15, KernelVersion.V5_17);

    /** Expected verdict I5 (VIOLATED) instead of a state count. */
    private static final long I5 = -1;

    /**
     * Distinct states per scenario for v4.12, v4.19, v4.20, v5.15, v5.17 (2 workers, lossless), or
     * I5: v4.12 has no mmap_changing (B11), and v4.18-v5.14's bool is cleared by the first of two
     * events to be read.
     */
    private static final Map<String, long[]> STATES = Map.of(
            "uffd-register-then-fault", new long[] {486, 498, 498, 498, 498},
            "uffd-register-fault-outside", new long[] {250, 256, 256, 256, 256},
            "uffd-register-vs-fault", new long[] {29_835, 30_267, 30_267, 30_267, 30_267},
            "uffd-register-then-munmap", new long[] {I5, 38_334, 64_822, 60_598, 60_598},
            "uffd-register-munmap-and-dontneed", new long[] {I5, I5, I5, 312_232, 312_232});

    private static Result run(Model model) {
        long t0 = System.nanoTime();
        Result r = Checker.check(model, SearchOptions.defaults().withWorkers(2));
        System.out.println("[" + model.name() + "] " + r.summary() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                + (r.trace() != null ? ", trace length " + r.trace().length() + " (" + r.invariant() + ")" : ""));
        return r;
    }

    /** {@code model} with one more invariant. */
    private static Model with(ProgramModel model, Invariant extra) {
        return model.withInvariant(extra);
    }

    private static int get(Model m, long[] s, String field) {
        return m.layout().field(field).get(s);
    }

    /** The slot of the VMA in the tree that covers {@code page}, or -1. */
    private static int covering(Model m, long[] s, int page) {
        for (int v = 0; v < 3; v++) {
            if (get(m, s, "vma.in_tree[" + v + "]") == 1 && get(m, s, "vma.vm_start[" + v + "]") <= page
                    && page < get(m, s, "vma.vm_end[" + v + "]")) {
                return v;
            }
        }
        return -1;
    }

    /** Every final state satisfies {@code ok} (and the model's own invariants hold). */
    private static void holdsAtTheEnd(ProgramModel m, String what, Predicate<long[]> ok) {
        Result r = run(with(m, Invariant.of(what, s -> !m.isFinal(s) || ok.test(s), s -> "not: " + what)));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary() + (r.trace() == null ? "" : "\n" + r.message()
                + "\n" + UffdChecksTest.story(r.trace())));
    }

    /** Some reachable state satisfies {@code witness}. */
    private static void reachable(ProgramModel m, String what, Predicate<long[]> witness) {
        Result r = run(with(m, Invariant.of("never: " + what, s -> !witness.test(s), s -> what)));
        assertEquals(Verdict.VIOLATED, r.verdict(), what + " is not reachable: " + r.summary());
        assertTrue(r.invariant().startsWith("never: "), r.invariant() + ": " + r.message());
    }

    @TestFactory
    List<DynamicTest> everyVersionHoldsTheRegisterScenarios() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Supplier<Scenario> sc : UffdRegisterScenarios.all()) {
            for (int i = 0; i < VERSIONS.size(); i++) {
                Variant v = Variant.of(VERSIONS.get(i));
                long expected = STATES.get(sc.get().name())[i];
                tests.add(DynamicTest.dynamicTest(sc.get().name() + "@" + v.name(), () -> {
                    Result r = run(ScenarioModel.build(sc.get(), v));
                    if (expected == I5) {
                        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
                        assertEquals(KernelProperty.I5.id(), r.invariantId(), r.invariant() + ": " + r.message());
                        return;
                    }
                    assertEquals(Verdict.HOLDS, r.verdict(), r.summary()
                            + (r.trace() == null ? "" : "\n" + r.message() + "\n" + UffdChecksTest.story(r.trace())));
                    assertEquals(expected, r.statistics().distinct(), "distinct states");
                }));
            }
        }
        return tests;
    }

    @Test
    void registrationSplitsTheVmaAndTheLaterFaultGoesToTheMonitor() {
        // v4.19: the fault's FAULT_FLAG_TRIED is a field there (from v5.7 a fault retries without
        // one), and it tells a retried fault from a first one.
        ProgramModel m = ScenarioModel.build(UffdRegisterScenarios.registerThenFault(), Variant.of(KernelVersion.V4_19));
        // The old VMA object keeps [0x1000, 0x2000) and is registered; the new one below is not.
        holdsAtTheEnd(m, "[0x0000, 0x1000) plain, [0x1000, 0x2000) registered, 0x1000 filled, no error", s ->
                get(m, s, "mm.map_count") == 2
                        && get(m, s, "vma.vm_start[0]") == 1 && get(m, s, "vma.vm_end[0]") == 2
                        && get(m, s, "vma.VM_UFFD_MISSING[0]") == 1
                        && get(m, s, "vma.vm_start[1]") == 0 && get(m, s, "vma.vm_end[1]") == 1
                        && get(m, s, "vma.VM_UFFD_MISSING[1]") == 0
                        && get(m, s, "pte[1]") != 0 && get(m, s, "pte[0]") != 0
                        && get(m, s, "T0.failed") == 0);
        // The store after the registration never installs the page itself: the fault reaches its
        // success exit (page_fault.up_read) only on the retry after handle_userfault.
        int t0 = m.processIndex("T0");
        assertTrue(m.stepLabels(t0).contains("page_fault.up_read"), m.stepLabels(t0).toString());
        Result r = run(with(m, Invariant.of("T0's fault succeeds only after the monitor resolved it",
                s -> !m.pcLabel(s, t0).equals("page_fault.up_read") || get(m, s, "T0.fault_tried") == 1,
                s -> "T0 installed 0x1000 itself")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary() + (r.trace() == null ? "" : "\n" + UffdChecksTest.story(r.trace())));
        reachable(m, "T0 sleeps in handle_userfault", s -> m.pcLabel(s, t0).equals("handle_userfault.schedule"));
    }

    @Test
    void aFaultBelowTheRegisteredRangeStaysAnOrdinaryFault() {
        ProgramModel m = ScenarioModel.build(UffdRegisterScenarios.registerThenFaultOutside(), Variant.of(KernelVersion.V5_15));
        int t0 = m.processIndex("T0");
        Result r = run(with(m, Invariant.of("a fault at 0x0000 is never handed to the userfaultfd",
                s -> get(m, s, "T0.page") != 0 || get(m, s, "uffd.fault_wq[0]") == 0,
                s -> "T0's fault at 0x0000 was queued for the monitor")));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        reachable(m, "T0's fault at 0x1000 sleeps in handle_userfault", s ->
                get(m, s, "T0.page") == 1 && m.pcLabel(s, t0).equals("handle_userfault.schedule"));
        holdsAtTheEnd(m, "both pages filled, no error", s ->
                get(m, s, "pte[0]") != 0 && get(m, s, "pte[1]") != 0 && get(m, s, "T0.failed") == 0);
    }

    @Test
    void registeringWholeVmasWithoutSplittingDeadlocks() {
        Mutant mu = UffdMutants.all().stream().filter(x -> x.name().equals("mutant-uffd-register-no-split"))
                .findFirst().orElseThrow();
        Result base = run(ScenarioModel.build(mu.scenario().get(), mu.variant().unpatched()));
        assertEquals(Verdict.HOLDS, base.verdict(), base.summary());
        Result r = run(ScenarioModel.build(mu.scenario().get(), mu.variant()));
        assertEquals(Verdict.DEADLOCK, r.verdict(), r.summary());
        String story = UffdChecksTest.story(r.trace());
        // Register (whole VMA flagged), store to 0x0000, fault handed over, the monitor cannot serve it.
        assertEquals(25, r.trace().length(), story);
        int flags = UffdChecksTest.indexOf(r.trace(), "T0", "uffd_register.vm_flags |= VM_UFFD_MISSING");
        int queued = UffdChecksTest.indexOf(r.trace(), "T0", "handle_userfault.queue fault message");
        int ignored = UffdChecksTest.indexOf(r.trace(), "T1", "read(uffd) [fault of T0 outside the registered ranges]");
        assertTrue(flags > 0 && flags < queued && queued < ignored, story);
        ProgramModel m = ScenarioModel.build(mu.scenario().get(), mu.variant());
        long[] last = r.trace().steps().get(r.trace().length()).state();
        assertEquals("handle_userfault.schedule", m.pcLabel(last, m.processIndex("T0")), story);
        assertEquals(0, get(m, last, "T0.page"), story);
    }

    @Test
    void aFaultRacingRegistrationEitherFinishesFirstOrIsHandedToTheMonitor() {
        ProgramModel m = ScenarioModel.build(UffdRegisterScenarios.registerVsFault(), Variant.of(KernelVersion.V5_15));
        int t1 = m.processIndex("T1");
        holdsAtTheEnd(m, "0x1000 is filled, T1 got no signal, [0x1000, 0x2000) is registered", s ->
                get(m, s, "pte[1]") != 0 && get(m, s, "T1.failed") == 0 && get(m, s, "T0.failed") == 0
                        && get(m, s, "mm.map_count") == 3 && get(m, s, "vma.VM_UFFD_MISSING[0]") == 1
                        && get(m, s, "vma.vm_start[0]") == 1 && get(m, s, "vma.vm_end[0]") == 2);
        reachable(m, "T1's fault completed before the registration took mmap_sem", s ->
                m.isTerminated(s, t1) && get(m, s, "vma.VM_UFFD_MISSING[0]") == 0 && get(m, s, "pte[1]") != 0);
        reachable(m, "T1 sleeps in handle_userfault on the newly registered range", s ->
                get(m, s, "uffd.fault_wq[1]") != 0);
        // Registration holds mmap_sem for write: while it looks up, splits and flags, no fault (or
        // copy) holds it for read, so a fault never sees the VMA change under it.
        Result r = run(with(m, exclusive(m, 0)));
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary());
        // The property can fail: registering under the read lock lets T1's fault in.
        Mutant mu = UffdMutants.all().stream().filter(x -> x.name().equals("mutant-uffd-register-read-lock"))
                .findFirst().orElseThrow();
        ProgramModel mm = ScenarioModel.build(UffdRegisterScenarios.registerVsFault(), mu.variant());
        Result bad = run(mm.withInvariants(List.of(exclusive(mm, 1))));
        assertEquals(Verdict.VIOLATED, bad.verdict(), bad.summary());
        assertTrue(bad.invariant().startsWith("no reader"), bad.invariant());
    }

    /**
     * While T0 is inside userfaultfd_register (past the lock, up to and including up_write), no
     * other thread holds mmap_sem for read; {@code ownReads} is what T0 itself holds as a reader.
     */
    private static Invariant exclusive(ProgramModel m, int ownReads) {
        int t0 = m.processIndex("T0");
        return Invariant.of("no reader while UFFDIO_REGISTER runs", s -> {
            String at = m.pcLabel(s, t0);
            boolean inside = at.startsWith("uffd_register.") && !at.startsWith("uffd_register.down_write");
            return !inside || get(m, s, "mmap_sem.readers") == ownReads;
        }, s -> "another thread holds mmap_sem for read at T0's " + m.pcLabel(s, t0));
    }

    @Test
    void munmapOfARangeRegisteredDuringTheRun() {
        // From v5.7 the second userfault is queued like the first, and T1's store always fills 0x1000.
        ProgramModel v515 = ScenarioModel.build(UffdRegisterScenarios.registerThenMunmap(), Variant.of(KernelVersion.V5_15));
        holdsAtTheEnd(v515, "0x1000 registered and filled, T1 got no signal", s -> get(v515, s, "T1.failed") == 0
                && get(v515, s, "pte[1]") != 0);
        ProgramModel m = ScenarioModel.build(UffdRegisterScenarios.registerThenMunmap(), Variant.of(KernelVersion.V4_19));
        int t1 = m.processIndex("T1");
        // v4.19: T1's store fills 0x1000, unless the monitor's copy for it failed with -EAGAIN (the
        // UNMAP event unread) and its UFFDIO_WAKE made the fault retry into a second userfault:
        // SIGBUS (the retry rule before v5.7, docs/model-uffd.md).
        holdsAtTheEnd(m, "0x0000 unmapped, 0x1000 registered and filled unless SIGBUS, [0x2000, 0x4000) plain", s -> {
            int low = covering(m, s, 1);
            int high = covering(m, s, 2);
            return get(m, s, "T0.failed") == 0 && (get(m, s, "T1.failed") == 1 || get(m, s, "pte[1]") != 0)
                    && covering(m, s, 0) == -1 && get(m, s, "pte[0]") == 0 && get(m, s, "mm.map_count") == 2
                    && low >= 0 && get(m, s, "vma.VM_UFFD_MISSING[" + low + "]") == 1
                    && high >= 0 && get(m, s, "vma.VM_UFFD_MISSING[" + high + "]") == 0;
        });
        reachable(m, "T1's fault sleeps while T0's UNMAP event is unread", s ->
                get(m, s, "uffd.fault_wq[1]") != 0 && get(m, s, "uffd.event_wq[0]") != 0);
        reachable(m, "T1's fault succeeds on its retry, after the monitor filled 0x1000", s ->
                m.pcLabel(s, t1).equals("page_fault.up_read") && get(m, s, "T1.fault_tried") == 1);
        reachable(m, "T1's fault ends in SIGBUS after the monitor's copy failed", s ->
                m.isTerminated(s, t1) && get(m, s, "T1.failed") == 1);
        reachable(m, "T1's store completes before the registration", s ->
                m.isTerminated(s, t1) && get(m, s, "vma.VM_UFFD_MISSING[0]") == 0);
    }

    @Test
    void eventsOfARangeRegisteredDuringTheRun() {
        ProgramModel m = ScenarioModel.build(UffdRegisterScenarios.registerThenMunmapAndDontneed(), Variant.of(KernelVersion.V5_15));
        // munmap always comes after the registration: its UNMAP event is always prepped.
        holdsAtTheEnd(m, "registration succeeded and 0x0000 is unmapped", s ->
                get(m, s, "T0.failed") == 0 && get(m, s, "pte[0]") == 0 && get(m, s, "T1.failed") == 0);
        reachable(m, "T1's MADV_DONTNEED raises a REMOVE event (it ran after the registration)", s ->
                get(m, s, "uffd.event_wq[1]") != 0);
        reachable(m, "both events in flight at once", s ->
                get(m, s, "uffd.event_wq[0]") != 0 && get(m, s, "uffd.event_wq[1]") != 0);
        reachable(m, "T1's MADV_DONTNEED zaps 0x1000 before the registration: no event", s ->
                m.isTerminated(s, m.processIndex("T1")) && get(m, s, "uffd.mmap_changing") == 0
                        && get(m, s, "T0.failed") == 0 && get(m, s, "mm.map_count") == 1);
    }

    @Test
    void splitFailureAndIncompatibleVmasAreErrors() {
        // Two splits need two free VMA objects; with [0x0000, 0x1000) taking one, the second fails:
        // -ENOMEM, the first split and nothing else stays (the kernel's break).
        Scenario enomem = Scenario.named("uffd-register-enomem", "T0 registers [0x2000, 0x3000) of [0x1000, 0x4000)")
                .machine(MachineConfig.small())
                .vma(0, 1).vma(1, 4)
                .thread(0, Op.uffdRegister(2, 3))
                .uffdMonitor(1);
        ProgramModel m = ScenarioModel.build(enomem, Variant.of(KernelVersion.V5_15));
        holdsAtTheEnd(m, "-ENOMEM after the first split, nothing registered", s ->
                get(m, s, "T0.failed") == 1 && get(m, s, "mm.map_count") == 3
                        && get(m, s, "vma.VM_UFFD_MISSING[0]") + get(m, s, "vma.VM_UFFD_MISSING[1]")
                        + get(m, s, "vma.VM_UFFD_MISSING[2]") == 0);
        // A VM_PFNMAP device mapping cannot be registered (vma_can_userfault): -EINVAL, nothing changes.
        Scenario pfn = Scenario.named("uffd-register-pfnmap", "T0 registers the VM_PFNMAP [0x0000, 0x2000)")
                .machine(MachineConfig.small())
                .pfnVma(0, 2).vma(2, 4)
                .thread(0, Op.uffdRegister(1, 3))
                .uffdMonitor(1);
        ProgramModel p = ScenarioModel.build(pfn, Variant.of(KernelVersion.V5_15));
        holdsAtTheEnd(p, "-EINVAL, no split, nothing registered", s ->
                get(p, s, "T0.failed") == 1 && get(p, s, "mm.map_count") == 2
                        && get(p, s, "vma.VM_UFFD_MISSING[0]") == 0 && get(p, s, "vma.VM_UFFD_MISSING[1]") == 0);
        // A range with no VMA in it: -EINVAL (find_vma_prev finds one above the end).
        Scenario hole = Scenario.named("uffd-register-hole", "T0 registers [0x0000, 0x1000), where no VMA is")
                .machine(MachineConfig.small())
                .vma(2, 4)
                .thread(0, Op.uffdRegister(0, 1))
                .uffdMonitor(1);
        ProgramModel h = ScenarioModel.build(hole, Variant.of(KernelVersion.V5_15));
        holdsAtTheEnd(h, "-EINVAL", s -> get(h, s, "T0.failed") == 1 && get(h, s, "vma.VM_UFFD_MISSING[0]") == 0);
    }

    @Test
    void registrationSkipsRegisteredVmasAndHoles() {
        // [0x0000, 0x1000) is registered already (goto skip), [0x1000, 0x2000) is not, then a hole,
        // then [0x3000, 0x4000), which ends where the range does: no split is needed anywhere.
        Scenario sc = Scenario.named("uffd-register-walk", "T0 registers [0x0000, 0x4000) over a registered VMA, a plain one, a hole and a plain one")
                .machine(MachineConfig.small())
                .uffdVma(0, 1).vma(1, 2).vma(3, 4)
                .thread(0, Op.uffdRegister(0, 4))
                .uffdMonitor(1);
        ProgramModel m = ScenarioModel.build(sc, Variant.of(KernelVersion.V5_15));
        int t0 = m.processIndex("T0");
        holdsAtTheEnd(m, "all three VMAs registered, none split, no error", s ->
                get(m, s, "T0.failed") == 0 && get(m, s, "mm.map_count") == 3
                        && get(m, s, "vma.VM_UFFD_MISSING[0]") == 1 && get(m, s, "vma.VM_UFFD_MISSING[1]") == 1
                        && get(m, s, "vma.VM_UFFD_MISSING[2]") == 1);
        reachable(m, "the registered VMA is skipped", s -> m.pcLabel(s, t0).equals("uffd_register.skip"));
    }

    @Test
    void registeringWithoutAUserfaultfdIsABuildError() {
        Scenario sc = Scenario.named("uffd-register-no-monitor", "T0 registers a range but nobody created a userfaultfd")
                .machine(MachineConfig.small())
                .vma(0, 2)
                .thread(0, Op.uffdRegister(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScenarioModel.build(sc, Variant.of(KernelVersion.V5_15)));
        String msg = e.getMessage();
        assertTrue(msg.contains("scenario 'uffd-register-no-monitor'") && msg.contains("T0") && msg.contains("UFFD_REGISTER [1, 2)")
                && msg.contains("uffdMonitor"), msg);
    }

    @Test
    void registeringUnderTheReadLockIsCaughtByI4() {
        Mutant mu = UffdMutants.all().stream().filter(x -> x.name().equals("mutant-uffd-register-read-lock"))
                .findFirst().orElseThrow();
        Result base = run(ScenarioModel.build(mu.scenario().get(), mu.variant().unpatched()));
        assertEquals(Verdict.HOLDS, base.verdict(), base.summary());
        Result r = run(ScenarioModel.build(mu.scenario().get(), mu.variant()));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I4.id(), r.invariantId(), r.invariant());
        assertTrue(r.message().contains("no VMA covers 0x0"), r.message());
        assertNotNull(r.trace());
        String story = UffdChecksTest.story(r.trace());
        // queue (a no-op now), take the lock as a reader, look up, shrink the old VMA: I4.
        assertEquals(5, r.trace().length(), story);
        assertTrue(UffdChecksTest.indexOf(r.trace(), "T0", "uffd_register.__split_vma(start): vma_adjust") == 5, story);
    }
}
