package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, item 9: the CPU an invariant is about has a lane even when it takes no step. */
class HtmlLanesTest {
    @Test
    void theCpuHoldingTheStaleTranslationHasALane(@TempDir Path dir) throws Exception {
        // B4: T1 returns from madvise while CPU2, which runs no thread, still translates 0x0.
        Cli.Run r = Cli.run("check", "B4-buggy", "--quiet", "--report", "html,text", "--out", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("while CPU2 still translates"), r.out());
        String html = Files.readString(dir.resolve("parallel-madv-dontneed@B4-99baac21e458-buggy.html"));
        String head = html.substring(html.indexOf("<table class=\"lanes\""), html.indexOf("</thead>", html.indexOf("<table class=\"lanes\"")));
        for (String lane : new String[] {"CPU0", "CPU1", "CPU2"}) {
            assertTrue(head.contains(">" + lane), lane + " has no lane: " + head);
        }
        String initialRow = html.substring(html.indexOf("<tr id=\"lane-0\""), html.indexOf("</tr>", html.indexOf("<tr id=\"lane-0\"")));
        assertTrue(initialRow.contains("TLB: 0x0000-&gt;frame 1") || initialRow.contains("TLB: 0x0-&gt;frame 1"), initialRow);
    }
}
