package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, items 5 and 6, as a user meets them: DFS honours bounds and names its depth; simulation names its count. */
class SearchModesCliTest {
    @Test
    void dfsWithAStateBoundOfOneIsIncomplete(@TempDir Path dir) {
        Cli.Run r = Cli.run("check", "v4.12", "--scenario", "munmap-vs-fault", "--mode", "dfs", "--max-states", "1",
                "--quiet", "--report", "text", "--out", dir.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("INCOMPLETE (the distinct-state limit)"), r.out());
    }

    @Test
    void dfsNamesItsDepthAsTheDeepestStates(@TempDir Path dir) {
        Cli.Run r = Cli.run("check", "v4.12", "--scenario", "munmap-vs-fault", "--mode", "dfs", "--quiet", "--report", "text",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*states: +814 distinct, [\\d,]+ generated, deepest state at depth \\d+, peak stack.*"),
                r.out());
    }

    @Test
    void simulationReportsStatesVisitedNotImpossibleDistinctCounts(@TempDir Path dir) {
        Cli.Run r = Cli.run("check", "v4.12", "--scenario", "munmap-vs-fault", "--mode", "simulate", "--quiet",
                "--report", "text", "--out", dir.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*states: +[\\d,]+ visited, [\\d,]+ generated, longest walk \\d+.*"), r.out());
        assertFalse(r.out().contains(" distinct"), r.out());
    }
}
