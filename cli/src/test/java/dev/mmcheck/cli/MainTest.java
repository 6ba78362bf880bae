package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's exit codes, messages and report files, run in-process on small checks. */
public class MainTest {
    private static final String I1 = "I1 no usable translation to a freed page or page table";

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @Test
    void listNamesVariantsScenariosInvariantsAndChecks() {
        Cli.Run r = run("list");
        assertEquals(0, r.code());
        for (String s : new String[] {"v4.20-fixed", "mutant-skip-ipi", "B3-7a30df49f63a-buggy", "munmap-vs-fault", "I8 no leaked page",
                "peterson-2", "nested-flush-lazy-psc"}) {
            assertTrue(r.out().contains(s), s + " missing from\n" + r.out());
        }
        assertEquals(2, run("list", "everything").code());
    }

    @Test
    void listStepsNamesEveryStepWithItsConstantAndSource() {
        Cli.Run r = run("list", "steps", "--variant", "v4.12", "--scenario", "munmap-vs-fault");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("zap_pte_range\\.ptep_get_and_clear_full +MmuGather\\.ZAP_PTE_CLEAR +mm/memory\\.c:zap_pte_range \\(v4\\.12\\)")),
                r.out());
        assertTrue(r.out().contains("page_fault.set_pte_at"), r.out());
        Cli.Run bad = run("list", "checks", "--variant", "v4.12");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--variant and --scenario go with 'list steps' only"), bad.err());
        assertEquals(2, run("list", "steps", "--variant", "no-such-variant").code());
    }

    @Test
    void helpOnEveryCommand() {
        for (String[] cmd : new String[][] {{"--help"}, {"list", "--help"}, {"check", "--help"}, {"catalogue", "--help"},
                {"compare", "--help"}, {"replay", "--help"}, {"bugs", "--help"}, {"bugs", "check", "--help"}}) {
            Cli.Run r = run(cmd);
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
    }

    @Test
    void checkExitsOneOnAViolationAndWritesEveryReport(@TempDir Path dir) throws Exception {
        Cli.Run r = run("check", "mutant-skip-ipi", "--quiet", "--workers", "2", "--out", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Invariant \"" + I1 + "\" is broken"), r.out());
        String base = "munmap-vs-madvise-2cpu@mutant-skip-ipi";
        for (String ext : new String[] {".txt", ".json", ".html"}) {
            String text = Files.readString(dir.resolve(base + ext));
            assertTrue(text.contains("I1 no usable translation"), ext + ": " + text);
        }
        assertTrue(Files.readString(dir.resolve(base + ".txt")).contains("CPU0 mm"), "kernel words in the text trace");
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"schema\": \"mmcheck-runs/1\""));
        assertTrue(Files.readString(dir.resolve("summary.txt")).contains(base));
    }

    @Test
    void checkExitsZeroWhenTheVariantHoldsAndThreeWhenBounded(@TempDir Path dir) {
        Cli.Run holds = run("check", "v4.12", "--scenario", "munmap-vs-fault", "--quiet", "--out", dir.toString());
        assertEquals(0, holds.code(), holds.out() + holds.err());
        assertFalse(Files.exists(dir.resolve("munmap-vs-fault@v4.12.json")), "no trace for a run that holds");
        Cli.Run bounded = run("check", "v4.12", "--scenario", "munmap-vs-fault", "--max-states", "10", "--quiet",
                "--report", "text", "--out", dir.toString());
        assertEquals(3, bounded.code(), bounded.out());
        assertTrue(bounded.out().contains("INCOMPLETE"), bounded.out());
    }

    @Test
    void replayConfirmsAWrittenTraceAndRefutesATamperedOne(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", "B3-buggy", "--quiet", "--out", dir.toString()).code());
        Path trace = dir.resolve("nested-flush-lazy-psc@B3-7a30df49f63a-buggy.json");
        Cli.Run ok = run("replay", trace.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("CONFIRMED"), ok.out());

        String json = Files.readString(trace);
        Path otherInvariant = dir.resolve("other-invariant.json");
        // The file names the invariant by id: another id is another claim, whatever the display name.
        Files.writeString(otherInvariant, json.replace("\"invariantId\": \"I1\"", "\"invariantId\": \"I3\""));
        Cli.Run refuted = run("replay", otherInvariant.toString());
        assertEquals(1, refuted.code(), refuted.out() + refuted.err());
        assertTrue(refuted.out().contains("REFUTED"), refuted.out());

        Path fixed = dir.resolve("fixed.json");
        Files.writeString(fixed, json.replace("\"variant\": \"B3-7a30df49f63a-buggy\"", "\"variant\": \"B3-7a30df49f63a-fixed\""));
        Cli.Run foreign = run("replay", fixed.toString());
        assertEquals(2, foreign.code(), "another variant's model: " + foreign.out() + foreign.err());
        assertTrue(foreign.err().contains("$.model"), foreign.err());

        Path unknown = dir.resolve("unknown.json");
        Files.writeString(unknown, json.replace("\"variant\": \"B3-7a30df49f63a-buggy\"", "\"variant\": \"v9.9\""));
        Cli.Run bad = run("replay", unknown.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown variant 'v9.9'"), bad.err());

        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{\"schema\": \"mmcheck-run/1\"}");
        Cli.Run malformed = run("replay", notJson.toString());
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("$.schema"), malformed.err());
        assertEquals(1, malformed.err().lines().count(), "one line, no stack trace: " + malformed.err());
    }

    @Test
    void catalogueExitsZeroWhenEveryCheckGivesItsExpectedVerdict(@TempDir Path dir) throws Exception {
        Cli.Run r = run("catalogue", "peterson-2", "broken-mutex", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("as expected"), r.out());
        assertTrue(Files.readString(dir.resolve("broken-mutex.txt")).contains("mutual exclusion"));
        Cli.Run alias = run("check", "--all", "--group", "example", "--quiet", "--out", dir.toString());
        assertEquals(2, alias.code(), "check has no --group");
        Cli.Run bounded = run("catalogue", "peterson-3", "--max-states", "10", "--quiet", "--out", dir.toString());
        assertEquals(3, bounded.code(), bounded.out());
    }

    @Test
    void releaseCellsPrintTheMatrixAndReportsNameTheRelease(@TempDir Path dir) throws Exception {
        Cli.Run r = run("catalogue", "parallel-madv-dontneed@v4.12", "parallel-madv-dontneed@v4.13", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String row = r.out().lines().filter(l -> l.startsWith("parallel-madv-dontneed ")).findFirst().orElseThrow();
        assertTrue(row.matches("parallel-madv-dontneed +B4 I2 +HOLDS +\\..*"), row);
        assertTrue(r.out().contains("2 cell(s) run, 0 unexpected"), r.out());
        String text = Files.readString(dir.resolve("parallel-madv-dontneed@v4.12.txt"));
        assertTrue(text.contains("  release:     v4.12") && text.contains("  kind:        release"), text);
        String json = Files.readString(dir.resolve("parallel-madv-dontneed@v4.12.json"));
        assertTrue(json.contains("\"config\": \"default (x86-64)\"") && json.contains("\"features\""), json);
        Cli.Run list = run("list", "variants");
        assertTrue(list.out().lines().anyMatch(l -> l.matches("v4\\.19-paravirt +release .*")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("v4\\.20-fixed +composite .*")), list.out());
    }

    @Test
    void bugsListAndCheckAll(@TempDir Path dir) {
        Cli.Run list = run("bugs");
        assertEquals(0, list.code());
        assertTrue(list.out().contains("CVE-2018-17182") && list.out().contains("7a30df49f63a"), list.out());
        // bugs check --all: ReadmeTest compares its whole output with the README's sample.
        Cli.Run one = run("bugs", "check", "B3", "--quiet", "--out", dir.toString());
        assertEquals(0, one.code(), one.out() + one.err());
        assertTrue(one.out().contains("B3-7a30df49f63a    buggy VIOLATED (I1)"), one.out());
        Cli.Run byCve = run("bugs", "check", "CVE-2020-29369", "--quiet", "--out", dir.toString());
        assertEquals(0, byCve.code(), byCve.out());
        Cli.Run unknown = run("bugs", "check", "B99", "--out", dir.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("known: B1"), unknown.err());
    }

    @Test
    void compareShowsWhereVerdictsDiffer(@TempDir Path dir) throws Exception {
        Cli.Run r = run("compare", "v4.20", "v4.20-fixed", "--scenario", "nested-flush-lazy-psc,munmap-vs-fault", "--quiet",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("the verdicts differ in 1: nested-flush-lazy-psc"), r.out());
        String html = Files.readString(dir.resolve("compare-v4.20-vs-v4.20-fixed.html"));
        assertTrue(html.contains("nested-flush-lazy-psc"), html);
    }

    @Test
    void badInputIsAOneLineUsageError(@TempDir Path dir) {
        String out = dir.toString();
        String[][] cases = {
                {"check", "nope", "--out", out}, {"valid names: v4.12"},
                {"check", "v4.12", "--scenario", "nope", "--out", out}, {"valid names: munmap-vs-fault"},
                {"catalogue", "nope", "--out", out}, {"valid names: peterson-2"},
                {"check", "v4.12", "--memory", "lots", "--out", out}, {"--memory: 'lots'"},
                {"check", "v4.12", "--mode", "bogo", "--out", out}, {"bfs, dfs or simulate"},
                {"check", "v4.12", "--workers", "0", "--out", out}, {"use 1 to 1024"},
                {"check", "v4.12", "--max-states", "-1", "--out", out}, {"positive number"},
                {"check", "v4.12", "--time", "0s", "--out", out}, {"positive number with a unit"},
                {"check", "v4.12", "--report", "pdf", "--out", out}, {"text, json or html"},
                {"catalogue", "--group", "nope", "--out", out}, {"bug, example, kernel, mutant, release"},
                {"check", "--out", out}, {"name a variant"},
                {"check", "v4.12", "--scenario", "mremap-dontunmap-locked-2cpu", "--out", out},
                {"scenario 'mremap-dontunmap-locked-2cpu' needs MREMAP_DONTUNMAP (e346b3813067, v5.7), which variant v4.12 lacks"},
                {"check", "--frobnicate"}, {"Unknown option"},
                {"replay", dir.resolve("missing.json").toString()}, {"cannot read"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            Cli.Run r = run(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.out() + r.err());
            assertTrue(r.err().contains(cases[i + 1][0]), String.join(" ", cases[i]) + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    /** Every scenario the catalogue runs (name before the '@') can be named with --scenario. */
    @Test
    void everyCatalogueScenarioCanBeNamed() {
        java.util.Set<String> named = dev.mmcheck.specs.catalogue.KnownScenarios.all().keySet();
        for (dev.mmcheck.specs.catalogue.Check c : dev.mmcheck.specs.catalogue.Catalogue.all()) {
            int at = c.name().indexOf('@');
            if ((c.group().equals("kernel") || c.group().equals("release")) && at > 0) {
                assertTrue(named.contains(c.name().substring(0, at)), c.name() + " is not known to --scenario");
            }
        }
    }
}
