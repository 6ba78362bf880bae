package dev.mmcheck.model.invariants;

import dev.mmcheck.checker.model.InvariantId;

/**
 * The model's own properties (DESIGN.md), by id: what a mutant, a bug or a test expects to be
 * broken is one of these values, matched by id, never by reading an invariant's display name.
 * {@link #I6} (no deadlock) is the engine's deadlock check, not an invariant.
 */
public enum KernelProperty {
    I1("no usable translation to a freed page or page table"),
    I2("no stale translation survives munmap or madvise"),
    I3("locked_vm is exact"),
    I4("VMA tree, list, map_count, vmacache and page tables agree"),
    I5("no UFFDIO_COPY lands between an event's prep and its delivery"),
    I6("no deadlock"),
    I7("no use of a freed kernel object"),
    I8("no leaked page"),
    I9("no store is lost to mremap"),
    I10("munmap returns 0 only once its range is unmapped");

    private final String sentence;
    private final InvariantId id;

    KernelProperty(String sentence) {
        this.sentence = sentence;
        this.id = InvariantId.of(name());
    }

    /** The one-sentence statement, in kernel words. */
    public String sentence() {
        return sentence;
    }

    public InvariantId id() {
        return id;
    }
}
