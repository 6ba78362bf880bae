package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.KernelProperty;
import dev.mmcheck.model.versions.Backport;
import dev.mmcheck.model.versions.Config;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.model.versions.Release;
import dev.mmcheck.specs.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A historical kernel bug (shared/kernel/BUGS.md): the scenario that shows it, the variant with
 * the bug and the variant with the fix, and the releases it affects. The buggy variant must be
 * caught, the fixed one must hold; in the release matrix every release the bug affects is
 * expected to break {@code invariant} on each scenario that exercises it.
 *
 * @param id            the BUGS.md entry, e.g. "B3"
 * @param fix           the feature its fix commit brings: the fixed release and the stable
 *                      backports come from its facts
 * @param cve           the CVE id, or "" when there is none
 * @param title         one line
 * @param invariant     the property the buggy variant breaks
 * @param scenario      builds the scenario
 * @param buggy         the variant with the bug
 * @param fixed         the variant with the fix
 * @param introduced    what introduced the bug
 * @param alsoExercised other scenarios on which a release with the bug is caught and the same
 *                      release with the fix holds
 */
public record Bug(String id, Feature fix, String cve, String title, KernelProperty invariant,
                  Supplier<Scenario> scenario, Variant buggy, Variant fixed,
                  Introduced introduced, List<Exercise> alsoExercised) {

    public Bug {
        alsoExercised = List.copyOf(alsoExercised);
    }

    /** The fix commit, e.g. "7a30df49f63a": how users find the entry. */
    public String fixCommit() {
        return fix.commit();
    }

    /** The first mainline release with the fix. */
    public Release fixedIn() {
        return fix.since();
    }

    /** The stable trees that took the fix, from the fix's facts. */
    public List<Backport> fixBackports() {
        return fix.facts().backports();
    }

    /** Is release {@code v} built with {@code configs} affected: it has what introduced the bug and predates the fix? */
    public boolean affects(KernelVersion v, Set<Config> configs) {
        return introduced.in(v, configs) && v.release().compareTo(fixedIn()) < 0;
    }

    /** Is variant {@code v} (a release or a composite) affected: it has what introduced the bug and lacks the fix? */
    public boolean affects(Variant v) {
        return introduced.in(v) && !v.has(fix);
    }

    /** The names of the scenarios that exercise the bug: its own first. */
    public List<String> scenarios() {
        List<String> names = new ArrayList<>();
        names.add(scenario.get().name());
        for (Exercise e : alsoExercised) {
            names.add(e.scenario().get().name());
        }
        return names;
    }

    /** The invariant the bug breaks on scenario {@code name}: its own, unless an {@link Exercise} says otherwise. */
    public KernelProperty invariantOn(String name) {
        for (Exercise e : alsoExercised) {
            if (e.invariant() != null && e.scenario().get().name().equals(name)) {
                return e.invariant();
            }
        }
        return invariant;
    }

    /** Does scenario {@code name} exercise the bug in variant {@code v}? */
    public boolean exercisedBy(String name, Variant v) {
        if (scenario.get().name().equals(name)) {
            return true;
        }
        for (Exercise e : alsoExercised) {
            if (e.scenario().get().name().equals(name) && (e.needs() == null || v.has(e.needs()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code key} names this bug: its {@link #key()}, its id (which several entries
     * share when a bug took several fixes, as B6), its fix commit (any prefix of 7+ hex digits)
     * or its CVE.
     */
    public boolean matches(String key) {
        String k = key.trim();
        String fixCommit = fixCommit();
        return k.equalsIgnoreCase(key()) || k.equalsIgnoreCase(id) || k.equalsIgnoreCase(cve) && !cve.isEmpty()
                || k.length() >= 7 && (fixCommit.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(fixCommit));
    }

    /**
     * The entry's unique name: id and fix commit, e.g. {@code B6-20841405940e}. The id alone is
     * not unique (B6 has two fixes, hence two entries).
     */
    public String key() {
        return id + "-" + fixCommit();
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
