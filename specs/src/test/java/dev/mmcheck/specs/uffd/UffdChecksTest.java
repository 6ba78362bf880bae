package dev.mmcheck.specs.uffd;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.catalogue.Check;
import dev.mmcheck.specs.catalogue.UffdChecks;
import dev.mmcheck.specs.scenario.ScenarioModel;
import dev.mmcheck.specs.scenario.UffdScenarios;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Mutant;
import dev.mmcheck.specs.variants.UffdBugs;
import dev.mmcheck.specs.variants.UffdMutants;
import dev.mmcheck.specs.variants.Variants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every userfaultfd check gives its expected verdict; B11's trace is the BUGS.md interleaving. */
class UffdChecksTest {
    static Result run(Model model) {
        long t0 = System.nanoTime();
        Result r = Checker.check(model, SearchOptions.defaults().withWorkers(2));
        System.out.println("[" + model.name() + "] " + r.summary() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                + (r.trace() != null ? ", trace length " + r.trace().length() + " (" + r.invariant() + ")" : ""));
        return r;
    }

    static String story(Trace t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < t.steps().size(); i++) {
            var tr = t.steps().get(i).transition();
            sb.append(i).append(". ").append(tr.actor()).append(": ").append(tr.label()).append('\n');
        }
        return sb.toString();
    }

    static int indexOf(Trace t, String actor, String label) {
        for (int i = 1; i < t.steps().size(); i++) {
            var tr = t.steps().get(i).transition();
            if (tr.actor().toString().equals(actor) && tr.label().startsWith(label)) {
                return i;
            }
        }
        return -1;
    }

    @TestFactory
    List<DynamicTest> everyCheckGivesItsVerdict() {
        return UffdChecks.checks().stream().map((Check c) -> DynamicTest.dynamicTest(c.name(), () -> {
            Result r = run(c.model().get());
            assertEquals(c.expected(), r.verdict(), c.name() + ": " + r.summary()
                    + (r.trace() == null ? "" : "\n" + r.message() + "\n" + story(r.trace())));
            if (r.verdict() == Verdict.VIOLATED) {
                assertEquals(KernelProperty.I5.id(), r.invariantId(), r.invariant());
            }
        })).collect(Collectors.toList());
    }

    @Test
    void b11CopyLandsBeforeTheMonitorReadsTheUnmapEvent() {
        Bug b = UffdBugs.all().get(0);
        Result r = run(ScenarioModel.build(b.scenario().get(), b.buggy()));
        assertEquals(Verdict.VIOLATED, r.verdict());
        Trace t = r.trace();
        String story = story(t);
        int prep = indexOf(t, "T0", "munmap.userfaultfd_unmap_prep");
        int copyLock = indexOf(t, "T1", "__mcopy_atomic: down_read");
        int install = indexOf(t, "T1", "mcopy_atomic_pte: set_pte_at");
        assertTrue(prep > 0 && prep < copyLock && copyLock < install, story);
        assertEquals(install, t.length(), story);
        assertEquals(-1, indexOf(t, "T1", "read(uffd) [event"), story);
        System.out.print(story);
    }

    /**
     * UF2 (a759a909d42d): with the bool, the REMOVE event's completion lowers mmap_changing while
     * the UNMAP event is still unread, and the monitor's copy lands; the counter stops it.
     */
    @Test
    void uf2BoolIsClearedByTheFirstEventToComplete() {
        Bug b = UffdBugs.all().stream().filter(x -> x.id().equals("UF2")).findFirst().orElseThrow();
        Result buggy = run(ScenarioModel.build(b.scenario().get(), b.buggy()));
        assertEquals(Verdict.VIOLATED, buggy.verdict(), buggy.summary());
        assertEquals(KernelProperty.I5.id(), buggy.invariantId(), buggy.invariant());
        Result fixed = run(ScenarioModel.build(b.scenario().get(), b.fixed()));
        assertEquals(Verdict.HOLDS, fixed.verdict(), fixed.summary());
    }

    /**
     * __mcopy_atomic's -ENOENT path: the copy faults, mmap_sem is dropped for the copy, munmap
     * preps its UNMAP event in that window, and the retry must see mmap_changing. The correct
     * kernels hold (exact counts); skipping the re-check on the retry is caught by I5, with the
     * event prepped between the drop and the re-take.
     */
    @Test
    void copyRetryRechecksMmapChanging() {
        assertEquals(1_809, run(ScenarioModel.build(UffdScenarios.copyRetryVsMunmap(), Variant.of(KernelVersion.V5_15))).statistics().distinct());
        assertEquals(1_501, run(ScenarioModel.build(UffdScenarios.copyRetryVsMunmap(), Variant.of(KernelVersion.V4_19))).statistics().distinct());
        assertEquals(20_506, run(ScenarioModel.build(UffdScenarios.faultCopyRetryVsMunmap(), Variant.of(KernelVersion.V5_15))).statistics().distinct());
        Mutant mu = UffdMutants.all().stream().filter(x -> x.name().equals("mutant-uffd-copy-retry-skips-mmap-changing")).findFirst().orElseThrow();
        Result r = run(ScenarioModel.build(mu.scenario().get(), mu.variant()));
        assertEquals(Verdict.VIOLATED, r.verdict(), r.summary());
        assertEquals(KernelProperty.I5.id(), r.invariantId(), r.invariant());
        Trace t = r.trace();
        String story = story(t);
        int drop = indexOf(t, "T1", "__mcopy_atomic: up_read to copy");
        int prep = indexOf(t, "T0", "munmap.userfaultfd_unmap_prep");
        int retake = indexOf(t, "T1", "__mcopy_atomic: copy_from_user");
        int install = indexOf(t, "T1", "mcopy_atomic_pte: set_pte_at");
        assertTrue(drop > 0 && drop < prep && prep < install && retake > drop, story);
        assertEquals(install, t.length(), story);
        assertEquals(24, t.length(), story); // the table is allocated before the copy faults, and checked again on the retry
    }

    @Test
    void aFaultIsResolvedByTheMonitor() {
        Model m = ScenarioModel.build(UffdScenarios.faultResolvedByMonitor(), Variants.v4_12());
        // In every final state the store went through: 0x1000 is mapped and T0 got no signal.
        Invariant atEnd = Invariant.of("the store to 0x1000 completed", s -> !m.isFinal(s)
                || m.layout().field("pte[1]").get(s) != 0 && m.layout().field("T0.failed").get(s) == 0, s -> "it did not");
        Model checked = m.withInvariant(atEnd);
        Result r = run(checked);
        assertEquals(Verdict.HOLDS, r.verdict(), r.summary() + (r.trace() == null ? "" : "\n" + story(r.trace())));
    }
}
