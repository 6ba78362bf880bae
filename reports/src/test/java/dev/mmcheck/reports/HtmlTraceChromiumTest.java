package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML trace in a real browser: headless Chromium loads the file, runs its script, and we
 * read the DOM it ends with and the console. Skipped where /usr/bin/chromium is not installed.
 */
class HtmlTraceChromiumTest {
    private static final Path TARGET = Path.of("target");

    @BeforeAll
    static void needsChromium() {
        assumeTrue(Chromium.available(), "headless Chromium (/usr/bin/chromium) is not installed");
    }

    private static Path brokenMutexPage() throws Exception {
        Result r = Examples.brokenMutex();
        Counterexample c = Counterexample.from(r, Map.of("scenario", "two lockers"));
        Files.createDirectories(TARGET);
        Path page = TARGET.resolve("trace-broken-mutex.html");
        Files.writeString(page, HtmlTrace.render(c, new GenericStateView(r.trace().model())), StandardCharsets.UTF_8);
        return page;
    }

    @Test
    void rendersStepsAndInvariantWithoutScriptErrors() throws Exception {
        Chromium.Run run = Chromium.run(brokenMutexPage(), "--dump-dom");
        assertEquals(0, run.exitCode(), run.stderr());
        String dom = run.stdout();
        assertTrue(dom.contains("id=\"mmcheck-status\"") && dom.contains("data-state=\"ok\""),
                "the page's script ran to its end:\n" + dom);
        assertTrue(dom.contains("rendered 5 steps"), dom);
        assertTrue(dom.contains("<span class=\"invariant\">mutual exclusion</span>"), dom);
        for (int i = 0; i <= 4; i++) {
            assertTrue(dom.contains("id=\"step-" + i + "\""), "step " + i);
        }
        assertTrue(dom.contains("lock := 1"), dom);
        assertEquals(java.util.List.of(), run.consoleLines(), "no console output or uncaught errors");
    }

    @Test
    void screenshotIsSaved() throws Exception {
        Path png = TARGET.resolve("trace.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Chromium.Run run = Chromium.run(brokenMutexPage(), "--screenshot=" + png, "--window-size=1200,900");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.size(png) > 10_000, "a real picture, not an empty one");
        byte[] magic = new byte[8];
        System.arraycopy(Files.readAllBytes(png), 0, magic, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
        assertTrue(run.consoleLines().isEmpty(), String.join("\n", run.consoleLines()));
    }

    /** Control: the checks above do see a failing script, so their silence means something. */
    @Test
    void aBrokenScriptIsNoticed() throws Exception {
        Files.createDirectories(TARGET);
        Path page = TARGET.resolve("broken-script.html");
        String html = HtmlTrace.render(Counterexample.from(Examples.brokenMutex(), Map.of()),
                new GenericStateView(Examples.brokenMutex().trace().model()))
                .replace("document.getElementById('expand-all')", "document.getElementById('no-such-button')");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Chromium.Run run = Chromium.run(page, "--dump-dom");
        assertFalse(run.stdout().contains("data-state=\"ok\""), run.stdout());
        assertTrue(run.stdout().contains("data-state=\"error\""), run.stdout());
        assertTrue(run.consoleLines().stream().anyMatch(l -> l.contains("Uncaught")), run.stderr());
    }
}
