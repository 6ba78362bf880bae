package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's exit codes and messages, run in-process. */
public class MainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void listNamesTheChecks() {
        Run r = run("list");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("peterson-2"), r.out());
    }

    @Test
    void expectedVerdictsExitZeroAndWriteReports(@TempDir Path dir) throws Exception {
        Run r = run("check", "peterson-2", "broken-mutex", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("VIOLATED (as expected)"), r.out());
        String report = Files.readString(dir.resolve("broken-mutex.txt"));
        assertTrue(report.contains("mutual exclusion"), report);
        assertTrue(Files.exists(dir.resolve("summary.txt")));
    }

    @Test
    void boundedRunsAreIncomplete(@TempDir Path dir) {
        Run r = run("check", "peterson-3", "--max-states", "10", "--quiet", "--out", dir.toString());
        assertEquals(3, r.code(), r.out());
        assertTrue(r.out().contains("INCOMPLETE"), r.out());
    }

    @Test
    void badInputIsAUsageErrorThatSaysWhatIsAllowed(@TempDir Path dir) {
        Run unknown = run("check", "nope", "--out", dir.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("valid names"), unknown.err());
        Run badSize = run("check", "peterson-2", "--memory", "lots", "--out", dir.toString());
        assertEquals(2, badSize.code());
        assertTrue(badSize.err().contains("--memory: 'lots'"), badSize.err());
        Run badMode = run("check", "peterson-2", "--mode", "bogo", "--out", dir.toString());
        assertEquals(2, badMode.code());
        assertTrue(badMode.err().contains("bfs, dfs or simulate"), badMode.err());
        Run badOption = run("check", "--frobnicate");
        assertEquals(2, badOption.code());
        Run nothing = run("check", "--out", dir.toString());
        assertEquals(2, nothing.code());
    }
}
