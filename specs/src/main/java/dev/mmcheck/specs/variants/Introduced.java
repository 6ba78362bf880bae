package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Commit;
import dev.mmcheck.model.versions.Config;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.model.versions.Release;

import java.util.Set;

/**
 * Where a bug came from: a modelled {@link Feature} (so also its configuration: B9 exists only
 * with PARAVIRT), a commit released before the oldest release the model offers, or a
 * long-standing behaviour older than every release the model offers.
 */
public final class Introduced {
    private final Feature feature;
    private final Commit commit;
    private final Release release;
    private final String note;

    private Introduced(Feature feature, Commit commit, Release release, String note) {
        this.feature = feature;
        this.commit = commit;
        this.release = release;
        this.note = note;
    }

    /** Introduced by a behaviour the model has as a feature: present wherever the feature is. */
    public static Introduced by(Feature feature) {
        return new Introduced(feature, null, null, "");
    }

    /** Introduced by {@code id} in mainline {@code release}, before every release the model offers. */
    public static Introduced at(String id, String title, String release) {
        Release r = Release.parse(release);
        if (r.compareTo(KernelVersion.values()[0].release()) >= 0) {
            throw new IllegalArgumentException("introduced at " + r.label() + ": model the change as a Feature and use Introduced.by");
        }
        return new Introduced(null, new Commit(id, title), r, "");
    }

    /** Older than every release the model offers; {@code note} says what is known. */
    public static Introduced longStanding(String note) {
        return new Introduced(null, null, null, note);
    }

    /** Does release {@code v} built with {@code configs} have what introduced the bug? */
    public boolean in(KernelVersion v, Set<Config> configs) {
        return feature == null || feature.in(v.release(), configs);
    }

    /** Does {@code v} have what introduced the bug? */
    public boolean in(Variant v) {
        return feature == null || v.has(feature);
    }

    /** {@code "dd2283f2605e (v4.20)"}, {@code "6b4ebc3a9078 (v3.16)"} or {@code "before v4.12: ..."}. */
    public String label() {
        if (feature != null) {
            var facts = feature.facts();
            return feature.commit() + " (" + feature.since().label() + facts.requires()
                    .map(c -> "; CONFIG_" + c.name() + " only from " + facts.requiresFrom().orElseThrow().label()
                    + facts.requiresUntil().map(u -> " to " + u.label()).orElse("")).orElse("") + ")";
        }
        if (commit != null) {
            return commit.id() + " (" + release.label() + ")";
        }
        return "before " + KernelVersion.values()[0].label() + (note.isEmpty() ? "" : ": " + note);
    }
}
