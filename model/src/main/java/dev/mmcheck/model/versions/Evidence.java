package dev.mmcheck.model.versions;

/**
 * How a version fact was established: by reading the kernel source of a release, by a mailing
 * list or stable-review copy of the commit, or from memory (not verified).
 */
public record Evidence(Kind kind, String detail) {
    public enum Kind {
        /** The kernel source at a named release or stable point release was read. */
        SOURCE("source"),
        /** A mailing-list, stable-review or merge mail names the commit and its content. */
        MAIL("mail"),
        /** Recalled, not checked against a source or a mail: not verified. */
        MEMORY("memory, not verified");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Evidence {
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("evidence (" + kind.label() + "): say what was read or recalled");
        }
    }

    /** {@code "source: v4.19.0 mm/memory.c has tlb_table_invalidate"}. */
    public String label() {
        return kind.label() + ": " + detail;
    }
}
