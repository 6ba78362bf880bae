package dev.mmcheck.reports;

import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.search.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML's content and self-containment, without a browser (see HtmlTraceChromiumTest for one). */
class HtmlTraceTest {

    static void selfContained(String html) {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String banned : List.of("http:", "https:", "//cdn", "<link", "@import", "url(", "src=", "<iframe", "@font-face")) {
            assertFalse(lower.contains(banned), "the page must not load anything (" + banned + ")");
        }
        assertTrue(lower.startsWith("<!doctype html>"));
        assertTrue(lower.contains("<meta charset=\"utf-8\">"));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void brokenMutexPageHasVerdictLanesStepsAndStates() {
        Result r = Examples.brokenMutex();
        Counterexample c = Counterexample.from(r, Map.of("scenario", "two lockers"));
        String html = HtmlTrace.render(c, new GenericStateView(r.trace().model()));
        selfContained(html);
        int verdict = html.indexOf("id=\"verdict\"");
        int lanes = html.indexOf("id=\"lanes\"");
        int steps = html.indexOf("id=\"steps\"");
        assertTrue(verdict > 0 && verdict < lanes && lanes < steps, "verdict first, then lanes, then steps");
        assertTrue(html.contains("<span class=\"invariant\">mutual exclusion</span>"));
        assertTrue(html.contains("2 processes hold the lock at once"));
        assertTrue(html.contains(Html.esc(c.stepsAndSwitches())));
        assertEquals(2, count(html, "<th class=\"c\\d\">P\\d</th>"), "one lane per actor");
        assertEquals(4, count(html, "<td class=\"op c\\d\">"), "one lane cell per step");
        assertEquals(5, count(html, "<li class=\"step\" id=\"step-\\d\""), "initial state and four steps");
        assertEquals(5, count(html, "<details class=\"state\">"), "a collapsible full state per step");
        assertEquals(2, count(html, "<figure class=\"picture\">"), "pictures of the first and last state");
        assertTrue(html.contains("<tr class=\"changed\"><th>lock</th><td>1</td><td class=\"was\">was 0</td></tr>"));
        assertTrue(html.contains("<li><code>lock: 0 -&gt; 1</code></li>"));
        assertEquals(count(html, "class=\"switch\""), c.trace().contextSwitches(), "a marked row per context switch");
    }

    @Test
    void everythingFromTheModelIsEscaped() {
        ProgramModel m = Examples.racyUnmap();
        Result r = Examples.check(m);
        Counterexample c = Counterexample.from(r, Map.of("note", "<script>alert('x')</script> & \"more\""));
        String html = HtmlTrace.render(c, new GenericStateView(m));
        selfContained(html);
        assertFalse(html.contains("<script>alert"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"));
        assertEquals(1, count(html, "<script>"), "only the page's own script");
        assertTrue(html.contains("T0.pc: down_write -&gt; zap_pte_range"));
    }

    @Test
    void comparisonPageIsSelfContainedAndMarksDifferences() {
        Comparison cmp = new Comparison("base", "fix", List.of(
                new Comparison.Row("mutex", Examples.peterson(), Examples.brokenMutex()),
                new Comparison.Row("philosophers", Examples.philosophers(), Examples.philosophers())));
        String html = cmp.html();
        selfContained(html);
        assertEquals(1, count(html, "<tr class=\"differs\">"));
        assertTrue(html.contains("Verdicts differ"));
    }
}
