package dev.mmcheck.checker.model;

import java.util.Objects;

/**
 * Metadata of one transition: who takes it, what it is called, and where it comes from.
 *
 * @param id       the transition id, {@code 0 .. Model.transitionCount()-1}
 * @param actor    the actor taking it (a process, a CPU, "hardware", ...), as a value
 * @param label    the step's label, e.g. {@code detach_vmas_to_be_unmapped}
 * @param source   the source reference, e.g. {@code mm/mmap.c:do_munmap (v4.12)}; may be empty
 * @param reads    indices (into {@code Layout.fields()}) of fields the guard and effect read, or
 *                 {@code null} when not declared (then every field is assumed read)
 * @param writes   indices of fields the effect writes, or {@code null} when not declared
 */
public record Transition(int id, Actor actor, String label, String source, int[] reads, int[] writes) {
    public Transition {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(label, "label");
        source = source == null ? "" : source;
    }

    public Transition(int id, Actor actor, String label, String source) {
        this(id, actor, label, source, null, null);
    }

    /** "actor: label" for one-line messages. */
    public String title() {
        return actor + ": " + label;
    }
}
