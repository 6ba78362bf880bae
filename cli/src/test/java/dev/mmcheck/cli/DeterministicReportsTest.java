package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10, item 2: a violating check gives byte-identical text, JSON and HTML reports, timings
 * apart, for 1, 2 and 4 workers and any number of runs.
 */
class DeterministicReportsTest {
    /** The only lines of a report that describe the machine and the moment, not the model and the options. */
    private static final Pattern TIMING = Pattern.compile(
            "(?m)^  time: .*$|^.*\"(elapsedSeconds|statesPerSecond|peakHeapBytes|workers)\": .*$|^<tr><th>time</th>.*$");

    private static final String CHECK = "B6-16af97dc5a89-buggy";
    private static final String BASE = "numa-scans-vs-migration@" + CHECK;

    @Test
    void oneViolatingCheckGivesTheSameReportsForOneTwoAndFourWorkers(@TempDir Path dir) throws Exception {
        String[] first = null;
        for (int workers : new int[] {1, 2, 4, 2, 4, 4}) {
            Cli.Run r = Cli.run("check", CHECK, "--quiet", "--workers", String.valueOf(workers), "--out", dir.toString());
            assertEquals(1, r.code(), r.out() + r.err());
            String[] reports = new String[3];
            int i = 0;
            for (String ext : new String[] {".txt", ".json", ".html"}) {
                reports[i++] = TIMING.matcher(Files.readString(dir.resolve(BASE + ext))).replaceAll("<timing>");
            }
            if (first == null) {
                first = reports;
            } else {
                assertEquals(first[0], reports[0], "text report with " + workers + " workers");
                assertEquals(first[1], reports[1], "JSON trace with " + workers + " workers");
                assertEquals(first[2], reports[2], "HTML trace with " + workers + " workers");
            }
        }
    }
}
