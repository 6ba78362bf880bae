package dev.mmcheck.checker.program;

import dev.mmcheck.checker.state.Field;

/**
 * The guard "process p is at step label". Created while the program is written, when pcs are
 * not numbered yet, so it is resolved by {@link Program#build()}.
 */
final class Location implements Guard {
    final Process process;
    final String label;
    private Field pc;
    private int value;

    Location(Process process, String label) {
        this.process = process;
        this.label = label;
    }

    void resolve() {
        value = process.pcOf(label);
        pc = process.pcField;
    }

    @Override
    public boolean test(long[] state) {
        if (pc == null) {
            throw new IllegalStateException(this + " is used before the program is built");
        }
        return pc.get(state) == value;
    }

    @Override
    public String toString() {
        return process.name() + " at " + label;
    }
}
