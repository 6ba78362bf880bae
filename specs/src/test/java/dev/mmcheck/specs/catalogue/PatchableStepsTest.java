package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.specs.scenario.KernelModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The StepRef constants a change is written with name steps the models really write. */
class PatchableStepsTest {

    @Test
    void everyStepConstantIsWrittenBySomeModelOfTheCatalogue() {
        Map<StepRef, String> constants = PatchableSteps.constants();
        assertTrue(constants.size() >= 40, "found only " + constants.values());
        assertEquals("MmuGather.ZAP_PTE_CLEAR", constants.get(MmuGather.ZAP_PTE_CLEAR));

        Set<String> written = new HashSet<>();
        Set<String> built = new HashSet<>();
        for (Check c : Catalogue.all()) {
            if (c.kernel() != null && built.add(c.kernel().name())) {
                KernelModel km = c.kernel().compile();
                written.addAll(km.kernel().program.steps().keySet());
            }
        }
        // A factory is tried on more CPU and thread numbers than a scenario has; a constant must name a written step.
        List<String> missing = constants.entrySet().stream()
                .filter(e -> !e.getValue().contains("(") && !written.contains(e.getKey().name()))
                .map(e -> e.getValue() + " = " + e.getKey().name()).toList();
        assertTrue(missing.isEmpty(), "constants that name no step of any catalogue model: " + missing);

        // Every step is named by a constant or a factory, but the steps of a thread's own code
        // that a scenario numbers by operation ("1: munmap(0x0, 2 pages)", "2: return to user").
        Set<String> named = new HashSet<>();
        constants.keySet().forEach(ref -> named.add(ref.name()));
        List<String> unnamed = written.stream()
                .filter(step -> !named.contains(step) && !step.matches("\\d+: .*"))
                .sorted().toList();
        assertTrue(unnamed.isEmpty(), unnamed.size() + " steps have no StepRef constant: " + unnamed);
    }

    @Test
    void noStepIsNamedByTwoConstants() {
        Map<StepRef, List<String>> names = new HashMap<>();
        PatchableSteps.declared().stream().filter(e -> !e.getKey().contains("("))
                .forEach(e -> names.computeIfAbsent(e.getValue(), ref -> new ArrayList<>()).add(e.getKey()));
        List<String> twice = names.values().stream().filter(n -> n.size() > 1).map(Object::toString).sorted().toList();
        assertTrue(twice.isEmpty(), "steps named by more than one constant: " + twice);
    }
}
