package dev.mmcheck.specs.uffd;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.specs.junit.VariantCheck;
import dev.mmcheck.specs.scenario.PtReclaimScenarios;
import org.junit.jupiter.api.Test;

/**
 * How often a fault may userfault ({@code Feature.FAULT_RETRY_MULTIPLE}, 4064b9827063, v5.7):
 * before v5.7 the x86 fault handler's retry drops FAULT_FLAG_ALLOW_RETRY, so a second userfault
 * in the same fault is VM_FAULT_SIGBUS; from v5.7 the fault keeps it and userfaults again.
 */
class UffdFaultRetryTest {
    /** T1's store never fails: its VMA stays, so only a SIGBUS from handle_userfault could fail it. */
    private static final KernelInvariant NO_SIGBUS = k -> Invariant.of(InvariantId.of("X1"), "T1's store does not fail",
            s -> k.locals(1).failed.get(s) == 0);

    /**
     * A copy that fails against the REMOVE event (-EAGAIN) is followed by UFFDIO_WAKE, and T1's
     * store faults again: on v4.19 the second userfault is SIGBUS, on v5.8 and v6.18 it is queued.
     */
    @Test
    void aSecondUserfaultIsSigbusOnlyBeforeV57() {
        VariantCheck.of(Variant.of(KernelVersion.V4_19)).invariant(NO_SIGBUS).on(PtReclaimScenarios::reclaimVsUserfault3cpu)
                .assertViolates(InvariantId.of("X1"));
        VariantCheck.of(Variant.of(KernelVersion.V5_8)).invariant(NO_SIGBUS).on(PtReclaimScenarios::reclaimVsUserfault3cpu)
                .assertHolds();
        VariantCheck.of(Variant.of(KernelVersion.V6_18)).invariant(NO_SIGBUS).on(PtReclaimScenarios::reclaimVsUserfault3cpu)
                .assertHolds();
    }
}
