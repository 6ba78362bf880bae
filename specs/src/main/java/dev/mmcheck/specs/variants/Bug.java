package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.function.Supplier;

/**
 * A historical kernel bug (shared/kernel/BUGS.md): the scenario that shows it, the variant with
 * the bug and the variant with the fix. The buggy variant must be caught, the fixed one must hold.
 *
 * @param id          the BUGS.md entry, e.g. "B3"
 * @param fixCommit   the fix, e.g. "7a30df49f63a": how users find the entry
 * @param cve         the CVE id, or "" when there is none
 * @param title       one line
 * @param invariant   the invariant the buggy variant breaks (its name starts with this, e.g. "I1")
 * @param scenario    builds the scenario
 * @param buggy       the variant with the bug
 * @param fixed       the variant with the fix
 */
public record Bug(String id, String fixCommit, String cve, String title, String invariant,
                  Supplier<Scenario> scenario, Variant buggy, Variant fixed) {

    /**
     * True when {@code key} names this bug: its {@link #key()}, its id (which several entries
     * share when a bug took several fixes, as B6), its fix commit (any prefix of 7+ hex digits)
     * or its CVE.
     */
    public boolean matches(String key) {
        String k = key.trim();
        return k.equalsIgnoreCase(key()) || k.equalsIgnoreCase(id) || k.equalsIgnoreCase(cve) && !cve.isEmpty()
                || k.length() >= 7 && (fixCommit.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(fixCommit));
    }

    /**
     * The entry's unique name: id and fix commit, e.g. {@code B6-20841405940e}. The id alone is
     * not unique (B6 has two fixes, hence two entries).
     */
    public String key() {
        return id + "-" + fixCommit;
    }

    /** The buggy variant's unique id, as every report names it: {@code B3-7a30df49f63a-buggy}. */
    public String buggyId() {
        return key() + "-buggy";
    }

    /** The fixed variant's unique id: {@code B3-7a30df49f63a-fixed}. */
    public String fixedId() {
        return key() + "-fixed";
    }

    /** {@link #buggy()} named by {@link #buggyId()}, so that models, traces and reports carry the unique id. */
    public Variant namedBuggy() {
        return buggy.named(buggyId(), buggy.description());
    }

    /** {@link #fixed()} named by {@link #fixedId()}. */
    public Variant namedFixed() {
        return fixed.named(fixedId(), fixed.description());
    }
}
