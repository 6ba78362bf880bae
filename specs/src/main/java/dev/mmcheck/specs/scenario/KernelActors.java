package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.model.Kernel;

/**
 * Where each operation of a thread program is implemented: the procedure a thread calls for it,
 * built once per model. munmap comes from the variant's algorithm in specs; the other syscalls
 * and the memory access from the kernel model.
 */
final class KernelActors {
    private KernelActors() {
    }

    static Procedure procedure(Kernel k, Op.Kind kind) {
        switch (kind) {
            default:
                throw new IllegalArgumentException("operation " + kind + " is not modelled yet");
        }
    }
}
