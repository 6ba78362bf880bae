package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, item 1 and 10: one unique name per variant and run, used by every report and resolved back. */
class NamesTest {
    @Test
    void aBugNamedByItsFixCommitReplaysUnderTheNameItsReportGives(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("bugs", "check", "20841405940e", "--quiet", "--workers", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path trace = dir.resolve("numa-scan-vs-migration@B6-20841405940e-buggy.json");
        assertTrue(Files.exists(trace), r.out());
        Cli.Run replay = Cli.run("replay", trace.toString());
        assertEquals(0, replay.code(), replay.out() + replay.err());
        assertTrue(replay.out().contains("CONFIRMED"), replay.out());
    }

    @Test
    void aBugIdWithTwoFixesRunsBothAndIsAmbiguousAsAVariant(@TempDir Path dir) throws Exception {
        Cli.Run both = Cli.run("bugs", "check", "B6", "--quiet", "--workers", "1", "--report", "text", "--out", dir.toString());
        assertEquals(0, both.code(), both.out() + both.err());
        assertTrue(both.out().contains("4 run(s)"), both.out());
        assertTrue(both.out().contains("B6-20841405940e ") && both.out().contains("B6-16af97dc5a89 "), both.out());

        Cli.Run ambiguous = Cli.run("check", "B6-buggy", "--out", dir.toString());
        assertEquals(2, ambiguous.code(), ambiguous.out() + ambiguous.err());
        assertEquals(1, ambiguous.err().lines().count(), ambiguous.err());
        assertTrue(ambiguous.err().contains("B6-20841405940e-buggy or B6-16af97dc5a89-buggy"), ambiguous.err());
    }

    @Test
    void checkCatalogueAndBugsCheckNameAReportAlike(@TempDir Path dir) throws Exception {
        String name = "nested-flush-lazy-psc@B3-7a30df49f63a-buggy";
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        assertEquals(1, Cli.run("check", "B3-buggy", "--quiet", "--report", "text", "--out", a.toString()).code());
        assertEquals(0, Cli.run("catalogue", name, "--quiet", "--report", "text", "--out", b.toString()).code());
        assertEquals(0, Cli.run("bugs", "check", "B3", "--quiet", "--report", "text", "--out", c.toString()).code());
        for (Path d : new Path[] {a, b, c}) {
            assertTrue(Files.exists(d.resolve(name + ".txt")), d + " has no " + name + ".txt");
        }
    }

    @Test
    void listTagsBugVariantsAsBugsAndMutantsAsMutants() {
        Cli.Run r = Cli.run("list", "variants");
        assertEquals(0, r.code());
        for (String bug : new String[] {"MR1-eb66ae030829-buggy", "PF1-b67fbebd4cf9-fixed", "UF2-a759a909d42d-buggy",
                "CS1-fea4e317f9e7-buggy", "B6-16af97dc5a89-buggy"}) {
            String line = r.out().lines().filter(l -> l.startsWith(bug + " ")).findFirst().orElse("");
            assertTrue(line.matches(bug + " +bug .*"), bug + ": " + line);
        }
        assertTrue(r.out().lines().anyMatch(l -> l.matches("mutant-skip-ipi +mutant .*")), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.matches("[A-Z]+[0-9]+-\\S+ +mutant .*")), r.out());
    }
}
