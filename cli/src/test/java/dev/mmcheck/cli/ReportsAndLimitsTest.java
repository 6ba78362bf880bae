package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, items 4 and 7: no stack traces from limits or report folders, and a report folder that tells the truth. */
class ReportsAndLimitsTest {
    private static final String TRACE = "nested-flush-lazy-psc@B3-7a30df49f63a-buggy";

    private static void assertOneLineError(Cli.Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void aMemoryBudgetAboveTheHeapIsAOneLineErrorNamingTheHeap(@TempDir Path dir) {
        Cli.Run r = Cli.run("check", "v4.12", "--scenario", "munmap-vs-fault", "--memory", "100000g", "--out", dir.toString());
        assertOneLineError(r, "--memory: '100000g' is more than the Java heap of ");
        assertTrue(r.err().contains(Sizes.human(Runtime.getRuntime().maxMemory())), r.err());
    }

    @Test
    void anEmptyOrUnwritableReportFolderIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
        assertOneLineError(Cli.run("check", "B3-buggy", "--out", ""), "--out: '' is not a folder");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertOneLineError(Cli.run("check", "B3-buggy", "--out", file.toString()), "is a file, not a folder");
        assertOneLineError(Cli.run("check", "B3-buggy", "--out", file.resolve("below").toString()), "--out: cannot create folder");
        // An existing folder nobody may write into, even root: /proc (Linux).
        if (Files.isDirectory(Path.of("/proc/self"))) {
            long start = System.nanoTime();
            assertOneLineError(Cli.run("catalogue", "--out", "/proc/self"), "--out: cannot write to folder '/proc/self'");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused before running the catalogue");
        }
    }

    @Test
    void aRunReplacesItsOwnReportsAndRemovesTheOnesItNoLongerProduces(@TempDir Path dir) throws Exception {
        String out = dir.toString();
        assertEquals(1, Cli.run("check", "B3-buggy", "--quiet", "--out", out).code());
        for (String ext : new String[] {".txt", ".json", ".html"}) {
            assertTrue(Files.exists(dir.resolve(TRACE + ext)), ext);
        }
        Cli.Run bounded = Cli.run("check", "B3-buggy", "--quiet", "--max-states", "100", "--out", out);
        assertEquals(3, bounded.code(), bounded.out());
        assertFalse(Files.exists(dir.resolve(TRACE + ".json")), "the earlier run's trace is gone");
        assertFalse(Files.exists(dir.resolve(TRACE + ".html")), "the earlier run's trace is gone");
        assertTrue(Files.readString(dir.resolve(TRACE + ".txt")).contains("INCOMPLETE"));
        String summary = Files.readString(dir.resolve("summary.txt"));
        assertTrue(summary.contains("status: complete, 1 of 1 runs"), summary);

        assertEquals(1, Cli.run("check", "B3-buggy", "--quiet", "--out", out).code());
        assertEquals(1, Cli.run("check", "B3-buggy", "--quiet", "--report", "text", "--out", out).code());
        assertFalse(Files.exists(dir.resolve(TRACE + ".json")), "a format not asked for is not left from before");
        assertTrue(Files.readString(dir.resolve(TRACE + ".txt")).contains("VIOLATED"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void aTooSmallHeapEndsIncompleteByMemoryNeverInAnOutOfMemoryError(@TempDir Path dir) throws Exception {
        ForkedCli.Run r = ForkedCli.run(dir, List.of("-Xmx128m", "-XX:+UseParallelGC"), 120, "check", "v4.20-fixed",
                "--scenario", "munmap-madvise-fault-3cpu", "--memory", "120m", "--quiet", "--report", "text",
                "--out", dir.resolve("reports").toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("INCOMPLETE (the memory budget)"), r.out());
        assertFalse(r.err().contains("OutOfMemoryError") || r.err().contains("\tat "), r.err());
    }

    @Test
    void anInterruptedCatalogueLeavesASummarySayingSo(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("reports");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("summary.txt"), "an older summary");
        Process p = ForkedCli.start(dir, List.of("-Xmx512m"), "catalogue", "--quiet", "--workers", "1", "--report", "text",
                "--out", reports.toString());
        Path summary = reports.resolve("summary.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ForkedCli.read(summary).matches("(?s).*status: running, [1-9]\\d* of \\d+ runs.*") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.destroy(); // SIGTERM, as a kill or the end of a CI job sends
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String text = ForkedCli.read(summary);
        assertTrue(text.matches("(?s)mmcheck catalogue\\R+status: INTERRUPTED after \\d+ of \\d+ runs.*"), text);
        assertTrue(ForkedCli.read(reports.resolve("summary.json")).contains("\"status\": \"interrupted\""));
    }
}
