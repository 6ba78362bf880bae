package dev.mmcheck.specs.catalogue;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Backport;
import dev.mmcheck.model.versions.Commit;
import dev.mmcheck.model.versions.Evidence;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.FeatureFacts;
import dev.mmcheck.model.versions.KernelVersion;
import dev.mmcheck.model.versions.UnmodelledChange;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Finding;
import dev.mmcheck.specs.variants.Findings;
import dev.mmcheck.specs.variants.Variants;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The version tables of the docs, generated from the facts ({@link Feature}, {@link KernelVersion},
 * {@link UnmodelledChange}, {@link Bugs}) so that they cannot disagree with the code:
 * {@code docs/versions.md} as a whole, and the marked sections of {@code README.md} and
 * {@code docs/model.md} (VersionsDocTest compares them and rewrites them with
 * {@code -Dmmcheck.writeDocs=true}).
 */
public final class VersionsDoc {
    private static final String NL = "\n";

    private VersionsDoc() {
    }

    /** docs/versions.md. */
    public static String document() {
        return "# Versions, features and bugs" + NL + NL
                + "Generated from `model/versions/Feature.java`, `model/versions/KernelVersion.java`, `model/versions/UnmodelledChange.java` and" + NL
                + "`specs/variants/*Bugs.java` by `specs/catalogue/VersionsDoc.java`; `VersionsDocTest` fails when this file" + NL
                + "differs (rewrite it with `mvn -B -pl specs -am test -Dtest=VersionsDocTest -Dmmcheck.writeDocs=true`)." + NL
                + "Evidence: *source* = the kernel tree of that (point) release was read; *mail* = a mailing-list," + NL
                + "stable-review or merge mail; *memory* = not verified." + NL + NL
                + "## Releases the model offers" + NL + NL
                + "A release's features are derived from the facts below: feature f is in release r built with" + NL
                + "configuration C iff f's first release <= r, r < f's end release (if any), and, where f needs a" + NL
                + "configuration at r, it is in C. Each row lists what the release adds to the one before." + NL + NL
                + releases() + NL
                + "No later release is offered: each of these changes, which the model does not have, is in every later" + NL
                + "release." + NL + NL
                + unmodelled() + NL
                + "## Composite variants of the catalogue" + NL + NL
                + "Not releases: a release with named commits added or removed (reports say \"composite, not a" + NL
                + "release\")." + NL + NL
                + composites() + NL
                + "## Features" + NL + NL
                + features() + NL
                + "## Bugs and the releases they affect" + NL + NL
                + "A bug affects a release that has what introduced it and predates its fix (the fix's first" + NL
                + "release); stable trees that took the fix are listed but are not releases the model offers." + NL + NL
                + bugs() + NL
                + "## Findings of the model" + NL + NL
                + "Behaviours read in an offered release's source that break an invariant, with no fix or report" + NL
                + "found upstream (docs/findings.md): the matrix expects them where the release has what brought them." + NL + NL
                + findings() + NL
                + "## Release matrix" + NL + NL
                + matrixIntro() + NL
                + "```" + NL + ReleaseMatrixTable.renderExpected(ReleaseMatrix.cells()) + "```" + NL;
    }

    /** One row per release (and configuration build): what it adds to the previous one. */
    public static String releases() {
        StringBuilder sb = new StringBuilder("| release | config | adds to the release before |" + NL + "|---|---|---|" + NL);
        Set<Feature> before = EnumSet.noneOf(Feature.class);
        for (Variant r : Variants.releases()) {
            Set<Feature> now = r.features();
            Set<Feature> base = r.configs().isEmpty() ? before : r.base().features();
            Set<Feature> added = EnumSet.noneOf(Feature.class);
            added.addAll(now);
            added.removeAll(base);
            String adds = added.isEmpty() ? (r.configs().isEmpty() ? "nothing the model has" : "nothing")
                    : added.stream().map(f -> "`" + f.name() + "` " + id(f)).collect(Collectors.joining(", "));
            if (r.configs().isEmpty() && before.isEmpty()) {
                adds = "(oldest offered) " + adds;
            }
            sb.append("| ").append(r.name()).append(" | ").append(r.describe().get("config")).append(" | ").append(adds).append(" |").append(NL);
            if (r.configs().isEmpty()) {
                before = now;
            }
        }
        return sb.toString();
    }

    private static String unmodelled() {
        StringBuilder sb = new StringBuilder("| change | commit | first release | evidence |" + NL + "|---|---|---|---|" + NL);
        for (UnmodelledChange c : UnmodelledChange.values()) {
            FeatureFacts x = c.facts();
            sb.append("| ").append(c.name()).append(" | ").append(commits(x)).append(" | ").append(x.first().label())
                    .append(" | ").append(evidence(x)).append(" |").append(NL);
        }
        return sb.toString();
    }

    /**
     * The composites that kernel and bug checks run, with what they add or remove; one row per
     * kernel (release, configuration, features), listing every name it goes by.
     */
    public static String composites() {
        Map<String, List<Variant>> byKernel = new LinkedHashMap<>();
        for (Check c : Catalogue.all()) {
            Variant v = c.variant();
            if (v != null && !v.isRelease() && v.patches().isEmpty() && (c.group().equals("kernel") || c.group().equals("bug"))) {
                List<Variant> same = byKernel.computeIfAbsent(v.base() + " " + v.configs() + " " + v.features(), k -> new ArrayList<>());
                if (same.stream().noneMatch(x -> x.name().equals(v.name()))) {
                    same.add(v);
                }
            }
        }
        StringBuilder sb = new StringBuilder("| variant | release | added | removed |" + NL + "|---|---|---|---|" + NL);
        for (List<Variant> same : byKernel.values()) {
            Variant v = same.get(0);
            sb.append("| ").append(same.stream().map(Variant::name).collect(Collectors.joining(" = "))).append(" | ").append(v.base().label())
                    .append(v.configs().isEmpty() ? "" : " " + v.describe().get("config")).append(" | ")
                    .append(list(v.added())).append(" | ").append(list(v.removed())).append(" |").append(NL);
        }
        return sb.toString();
    }

    private static String features() {
        StringBuilder sb = new StringBuilder("| feature | commits | first | until | config | stable backports | evidence |" + NL
                + "|---|---|---|---|---|---|---|" + NL);
        for (Feature f : Feature.values()) {
            FeatureFacts x = f.facts();
            sb.append("| `").append(f.name()).append("` | ").append(commits(x)).append(" | ").append(x.first().label())
                    .append(" | ").append(x.until().map(u -> u.label()).orElse(""))
                    .append(" | ").append(x.requires().map(c -> "CONFIG_" + c.name() + " from " + x.requiresFrom().orElseThrow().label()
                            + x.requiresUntil().map(u -> " until " + u.label()).orElse("")).orElse(""))
                    .append(" | ").append(x.backports().stream().map(Backport::label).collect(Collectors.joining(", ")))
                    .append(" | ").append(evidence(x)).append(" |").append(NL);
        }
        return sb.toString();
    }

    private static String bugs() {
        StringBuilder sb = new StringBuilder("| bug | fix | introduced | fixed in | fix backports | releases affected | scenarios |" + NL
                + "|---|---|---|---|---|---|---|" + NL);
        for (Bug b : Bugs.all()) {
            List<String> affected = new ArrayList<>();
            for (Variant r : Variants.releases()) {
                if (b.affects(r.base(), r.configs())) {
                    affected.add(r.name());
                }
            }
            sb.append("| ").append(b.id()).append(" | ").append(b.fixCommit()).append(" | ").append(b.introduced().label())
                    .append(" | ").append(b.fixedIn().label())
                    .append(" | ").append(b.fixBackports().stream().map(Backport::label).collect(Collectors.joining(", ")))
                    .append(" | ").append(affected.isEmpty() ? "none offered" : String.join(", ", affected))
                    .append(" | ").append(b.scenarios().stream().map(s -> s + " (" + b.invariantOn(s) + ")").collect(Collectors.joining(", ")))
                    .append(" |").append(NL);
        }
        return sb.toString();
    }

    private static String findings() {
        StringBuilder sb = new StringBuilder("| finding | brought by | releases affected | scenario | holds without it |" + NL
                + "|---|---|---|---|---|" + NL);
        for (Finding f : Findings.all()) {
            List<String> affected = Variants.releases().stream().filter(f::affects).map(Variant::name).toList();
            sb.append("| ").append(f.id()).append(": ").append(f.title()).append(" | ").append(f.introducedBy().commit())
                    .append(" (").append(f.introducedBy().since().label()).append(") | ")
                    .append(affected.isEmpty() ? "none offered" : String.join(", ", affected))
                    .append(" | ").append(f.scenario().get().name()).append(" (").append(f.invariant()).append(")")
                    .append(" | ").append(f.proposedFix().name()).append(" |").append(NL);
        }
        return sb.toString();
    }

    private static String matrixIntro() {
        return "What `./mmcheck catalogue --group release` prints when every cell gives its expected verdict (the" + NL
                + "default catalogue and `mvn -B verify` check that each does): HOLDS, or the bugs that show and the" + NL
                + "invariant they break; `-` = the scenario needs a feature the release lacks or exercises a change the model lacks there; `.` = large, run by" + NL
                + "the exhaustive profile only." + NL;
    }

    /** The release list and the expected matrix for README.md. */
    public static String readmeSection() {
        String names = Variants.releases().stream().map(Variant::name).collect(Collectors.joining(", "));
        return "Releases (`mmcheck list variants`; each a release as built, features derived from the facts in" + NL
                + "[`docs/versions.md`](docs/versions.md)): " + names + "." + NL + NL
                + "Composite variants (a release plus or minus named commits; not releases, and reports say so):" + NL + NL
                + composites() + NL
                + matrixIntro() + NL
                + "```" + NL + ReleaseMatrixTable.renderExpected(ReleaseMatrix.cells()) + "```" + NL;
    }

    /** The features table of docs/model.md. */
    public static String modelSection() {
        StringBuilder sb = new StringBuilder("| feature | commit | first release | releases offered with it |" + NL + "|---|---|---|---|" + NL);
        for (Feature f : Feature.values()) {
            List<String> in = new ArrayList<>();
            for (Variant r : Variants.releases()) {
                if (r.has(f) && (r.configs().isEmpty() || !r.base().has(f))) {
                    in.add(r.name());
                }
            }
            sb.append("| `").append(f.name()).append("` | ").append(id(f)).append(" | ").append(f.since().label())
                    .append(" | ").append(in.isEmpty() ? "none (composites only)" : range(in)).append(" |").append(NL);
        }
        return sb.toString();
    }

    /** "v4.13 to v5.17" when the list is a run of consecutive default releases, else the list. */
    private static String range(List<String> names) {
        List<String> all = Variants.releases().stream().filter(r -> r.configs().isEmpty()).map(Variant::name).toList();
        int first = all.indexOf(names.get(0));
        boolean run = names.size() > 2 && first >= 0 && first + names.size() <= all.size()
                && all.subList(first, first + names.size()).equals(names);
        return run ? names.get(0) + " to " + names.get(names.size() - 1) : String.join(", ", names);
    }

    /** The main commit's id, or that none was found. */
    private static String id(Feature f) {
        String id = f.facts().commits().get(0).id();
        return id != null ? id : "(id not found)";
    }

    private static String commits(FeatureFacts x) {
        return x.commits().stream().map(Commit::label).map(s -> s.replace("|", "\\|")).collect(Collectors.joining("; "));
    }

    private static String evidence(FeatureFacts x) {
        return x.evidence().stream().map(Evidence::label).map(s -> s.replace("|", "\\|")).collect(Collectors.joining("; "));
    }

    private static String list(Set<Feature> features) {
        return features.stream().map(f -> id(f) + " `" + f.name() + "`").collect(Collectors.joining(", "));
    }
}
