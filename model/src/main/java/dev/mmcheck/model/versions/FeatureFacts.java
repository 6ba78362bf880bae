package dev.mmcheck.model.versions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The facts about one {@link Feature} (or {@link UnmodelledChange}), as data: the commits that
 * made the change, the first mainline release that has it, the release that no longer has it (if
 * any), the configuration it needs from some release on (if any), the stable trees that took it,
 * and how each fact was established. Every version
 * question in the model is answered from these: see {@link #in(Release, Set)}.
 *
 * <p>Built fluently while {@link Feature}'s constants are created and never changed after.
 */
public final class FeatureFacts {
    private final Release first;
    private final List<Commit> commits = new ArrayList<>();
    private Release until;
    private Config requires;
    private Release requiresFrom;
    private Release requiresUntil;
    private final List<Backport> backports = new ArrayList<>();
    private final List<Evidence> evidence = new ArrayList<>();

    private FeatureFacts(Release first) {
        this.first = first;
    }

    /** The facts of a change first released in mainline {@code release} ({@code "v4.13"}). */
    static FeatureFacts first(String release) {
        return new FeatureFacts(Release.parse(release));
    }

    FeatureFacts commit(String id, String title) {
        commits.add(new Commit(id, title));
        return this;
    }

    /** A commit whose id could not be found; its title is verified. */
    FeatureFacts commitTitled(String title) {
        commits.add(Commit.titled(title));
        return this;
    }

    /** The behaviour is gone from mainline {@code release} on (the evidence says what removed it). */
    FeatureFacts until(String release) {
        until = Release.parse(release);
        return this;
    }

    /** From mainline {@code release} on the behaviour needs {@code config}; before, every configuration has it. */
    FeatureFacts requires(Config config, String release) {
        requires = config;
        requiresFrom = Release.parse(release);
        return this;
    }

    /** From mainline {@code release} on the behaviour no longer needs the {@link #requires} configuration. */
    FeatureFacts requiresUntil(String release) {
        requiresUntil = Release.parse(release);
        return this;
    }

    /** Stable point releases that first have it, e.g. {@code "5.15.179", "6.12.16"}. */
    FeatureFacts backports(String... pointReleases) {
        for (String p : pointReleases) {
            backports.add(Backport.parse(p, true));
        }
        Collections.sort(backports);
        return this;
    }

    /** Stable point releases seen to have it, whose tree's first point release with it is not known. */
    FeatureFacts backportsBy(String... pointReleases) {
        for (String p : pointReleases) {
            backports.add(Backport.parse(p, false));
        }
        Collections.sort(backports);
        return this;
    }

    FeatureFacts source(String detail) {
        evidence.add(new Evidence(Evidence.Kind.SOURCE, detail));
        return this;
    }

    FeatureFacts mail(String detail) {
        evidence.add(new Evidence(Evidence.Kind.MAIL, detail));
        return this;
    }

    FeatureFacts memory(String detail) {
        evidence.add(new Evidence(Evidence.Kind.MEMORY, detail));
        return this;
    }

    /**
     * The derivation rule: the feature is in mainline {@code release} built with {@code configs}
     * iff it was first released at or before it, not yet removed, and, where it needs a
     * configuration at that release, the configuration is set.
     */
    public boolean in(Release release, Set<Config> configs) {
        return release.atLeast(first)
                && (until == null || release.compareTo(until) < 0)
                && (!needsConfig(release) || configs.contains(requires));
    }

    /** Does the behaviour at {@code release} need the {@link #requires()} configuration? */
    public boolean needsConfig(Release release) {
        return requires != null && release.atLeast(requiresFrom) && (requiresUntil == null || release.compareTo(requiresUntil) < 0);
    }

    public boolean in(Release release) {
        return in(release, EnumSet.noneOf(Config.class));
    }

    /** The first mainline release with the change. */
    public Release first() {
        return first;
    }

    /** The commits of the change, the main one first. */
    public List<Commit> commits() {
        return Collections.unmodifiableList(commits);
    }

    /** The first mainline release without the behaviour any more. */
    public Optional<Release> until() {
        return Optional.ofNullable(until);
    }

    /** The first mainline release in which every configuration has the behaviour again. */
    public Optional<Release> requiresUntil() {
        return Optional.ofNullable(requiresUntil);
    }

    /** The configuration without which the behaviour does not exist (from {@link #requiresFrom()} on). */
    public Optional<Config> requires() {
        return Optional.ofNullable(requires);
    }

    /** The first mainline release in which the behaviour needs {@link #requires()}. */
    public Optional<Release> requiresFrom() {
        return Optional.ofNullable(requiresFrom);
    }

    /** Stable trees that took the change, by tree. */
    public List<Backport> backports() {
        return Collections.unmodifiableList(backports);
    }

    public List<Evidence> evidence() {
        return Collections.unmodifiableList(evidence);
    }

    /** True when some fact rests on memory alone. */
    public boolean partlyUnverified() {
        return evidence.isEmpty() || evidence.stream().anyMatch(e -> e.kind() == Evidence.Kind.MEMORY);
    }
}
