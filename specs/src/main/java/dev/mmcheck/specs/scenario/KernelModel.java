package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;

/**
 * A scenario compiled for a variant: the model the engine explores, with the kernel state
 * handles it was built from, so that reports can speak of PTEs and VMAs rather than fields.
 */
public record KernelModel(ProgramModel model, Kernel kernel, Scenario scenario, Variant variant) {
}
