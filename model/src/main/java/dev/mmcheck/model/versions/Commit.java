package dev.mmcheck.model.versions;

import java.util.regex.Pattern;

/**
 * A mainline kernel commit: its id abbreviated to 12 hex digits, as kernel "Fixes:" tags write
 * it, and its subject line. The id is null when only the title could be verified (a posted patch
 * and a merge shortlog, but no copy that names the id).
 */
public record Commit(String id, String title) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

    public Commit {
        if (id != null && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("commit id '" + id + "': expected 12 lower-case hex digits");
        }
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("commit " + id + ": the title must not be empty");
        }
    }

    /** A commit known by its title only. */
    public static Commit titled(String title) {
        return new Commit(null, title);
    }

    /** {@code 7a30df49f63a "mm: mmu_gather: remove __tlb_reset_range() for force flush"}. */
    public String label() {
        return (id == null ? "(id not found)" : id) + " \"" + title + "\"";
    }
}
