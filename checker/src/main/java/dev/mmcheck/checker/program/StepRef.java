package dev.mmcheck.checker.program;

import java.util.Objects;

/**
 * A typed name for a step, as a {@link Patch} targets it: the step {@code label} of procedure
 * {@code procedure} (null for a step of a process's own code), or one alternative
 * {@code choice} of an {@code either} step. Its {@link #name()} is the name traces show:
 * {@code "zap_pte_range.ptep_get_and_clear_full"}, {@code "do_numa_page.numa_migrate_prep [stay]"}.
 *
 * <p>A model declares a constant for each step a change may target, next to the code that
 * writes the step, and writes the step with {@link #label()} so the two cannot drift:
 *
 * <pre>{@code
 * public static final StepRef CLEAR_PTE = StepRef.in("zap_pte_range", "ptep_get_and_clear_full");
 * ...
 * c.step(CLEAR_PTE.label(), SRC, s -> pte.set(s, addr.get(s), 0));
 * }</pre>
 */
public record StepRef(String procedure, String label, String choice) {
    public StepRef {
        Objects.requireNonNull(label, "label");
        Code.checkLabel(label, "step label");
        if (procedure != null) {
            Code.checkLabel(procedure, "procedure name");
        }
        if (choice != null) {
            Code.checkLabel(choice, "alternative name");
        }
    }

    /** Step {@code label} of procedure {@code procedure}. */
    public static StepRef in(String procedure, String label) {
        return new StepRef(Objects.requireNonNull(procedure, "procedure"), label, null);
    }

    /** Step {@code label} of a process's own code (not in a procedure). */
    public static StepRef step(String label) {
        return new StepRef(null, label, null);
    }

    /** The alternative {@code choice} of this {@code either} step. */
    public StepRef choice(String choice) {
        if (this.choice != null) {
            throw new IllegalArgumentException(name() + " already names an alternative");
        }
        return new StepRef(procedure, label, Objects.requireNonNull(choice, "choice"));
    }

    /** The step this alternative belongs to (itself when it names a whole step). */
    public StepRef step() {
        return choice == null ? this : new StepRef(procedure, label, null);
    }

    /** {@code "procedure.label"} or {@code "label"}, with {@code " [choice]"} for an alternative. */
    public String name() {
        String step = procedure == null ? label : procedure + "." + label;
        return choice == null ? step : step + " [" + choice + "]";
    }

    @Override
    public String toString() {
        return name();
    }
}
