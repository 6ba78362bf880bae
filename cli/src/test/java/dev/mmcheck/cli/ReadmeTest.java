package dev.mmcheck.cli;

import dev.mmcheck.reports.ToolVersion;
import dev.mmcheck.specs.catalogue.Catalogue;
import dev.mmcheck.specs.variants.Bugs;
import dev.mmcheck.specs.variants.Mutants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, item 8: what the README shows is what a newcomer gets. Its sample is the real output
 * of {@code mmcheck bugs check --all} (times aside), its counts are the catalogue's, its measured
 * figures name the catalogue's size, and its external-project example is the project the build runs.
 */
class ReadmeTest {
    private static final Path ROOT = Path.of("..");

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The text between {@code <!-- BEGIN name} and {@code <!-- END name -->}, without a code fence. */
    private static String block(String name) throws IOException {
        String s = readme();
        int begin = s.indexOf("<!-- BEGIN " + name);
        int end = s.indexOf("<!-- END " + name + " -->");
        assertTrue(begin >= 0 && end > begin, "README has no " + name + " block");
        String body = s.substring(s.indexOf('\n', begin) + 1, end);
        return body.replaceFirst("^```\\n", "").replaceFirst("```\\n$", "");
    }

    /** Run times vary; everything else of a run line does not. */
    private static String untimed(String text) {
        return text.replaceAll("\\d+\\.\\d\\d s", "<t> s").replaceAll("(?m)^reports written to .*$", "reports written to <dir>");
    }

    @Test
    void theSampleIsTheRealOutputOfBugsCheckAll(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("bugs", "check", "--all", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(untimed(r.out()), untimed(block("sample")), "regenerate it with scripts/readme-figures.sh --sample");
    }

    @Test
    void theCountsAreTheCatalogues() throws Exception {
        String s = readme().replaceAll("\\s+", " ");
        int checks = Catalogue.defaults().size();
        assertTrue(s.contains("the default catalogue (" + checks + " checks;"), "catalogue size " + checks);
        assertTrue(s.contains(Mutants.all().size() + " mutants (each must be caught)"), "mutants " + Mutants.all().size());
        assertTrue(s.contains(Bugs.all().size() + " historical kernel bug fixes"), "bug entries " + Bugs.all().size());
        assertTrue(s.contains("(" + 2 * Bugs.all().size() + " runs;"), "bug runs");
        assertTrue(block("figures").contains("| default catalogue, " + checks + " checks"),
                "the figures were measured on another catalogue: run scripts/readme-figures.sh");
    }

    @Test
    void theExternalProjectIsTheOneTheBuildRuns() throws Exception {
        Path project = ROOT.resolve("it/src/it/external-project");
        String s = readme();
        String pom = Files.readString(project.resolve("pom.xml")).replace("@project.version@", ToolVersion.version());
        assertTrue(s.contains("```xml\n" + pom + "```"), "README's pom.xml differs from " + project.resolve("pom.xml"));
        String test = Files.readString(project.resolve("src/test/java/org/example/proposals/TlbFinishMmuProposalTest.java"));
        assertTrue(s.contains("```java\n" + test + "```"), "README's test class differs from the external project's");
        assertTrue(s.contains("dev.mmcheck:mmcheck-specs:" + ToolVersion.version()));
    }
}
