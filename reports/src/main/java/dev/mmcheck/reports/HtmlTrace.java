package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Statistics;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.checker.trace.TraceStep;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A counterexample as one self-contained HTML file (inline style and script, nothing fetched):
 * the broken invariant at the top, swimlanes with one column per actor and one row per step,
 * then every step with its changes highlighted, the full state in a collapsible block and the
 * state's picture at interesting steps. Everything readable is in the markup; the script only
 * adds navigation (click a lane to select its step, j/k for next/previous, expand/collapse all).
 */
public final class HtmlTrace {
    /** Actor colours cycle through this many CSS classes. */
    private static final int PALETTE = 8;

    private HtmlTrace() {
    }

    public static String render(Counterexample c, StateView view) {
        Trace trace = c.trace();
        List<TraceStep> steps = trace.steps();
        GenericStateView raw = new GenericStateView(trace.model());
        List<Field> fields = trace.model().layout().fields();
        String[] column = new String[steps.size()];
        Set<String> seen = new LinkedHashSet<>(view.lanes());
        for (int i = 1; i < steps.size(); i++) {
            column[i] = view.actorColumn(steps.get(i).transition());
            seen.add(column[i]);
        }
        List<String> columns = ActorOrder.sorted(seen);

        StringBuilder b = new StringBuilder();
        Finding f = c.finding();
        String tone = f.verdict() == Verdict.VIOLATED || f.verdict() == Verdict.DEADLOCK ? "bad" : "undecided";
        b.append("<header class=\"verdict ").append(tone).append("\" id=\"verdict\">\n")
                .append("<div class=\"headline\">").append(Html.esc(f.verdict().name()));
        if (f.invariant() != null) {
            b.append(": <span class=\"invariant\">").append(Html.esc(f.invariant())).append("</span>");
        }
        b.append("</div>\n<p class=\"sentence\">").append(Html.esc(f.sentence())).append("</p>\n")
                .append("<p class=\"counts muted\">").append(Html.esc(c.stepsAndSwitches())).append("</p>\n</header>\n");

        b.append("<h1>Counterexample: ").append(Html.esc(trace.model().name())).append("</h1>\n<table class=\"meta\">\n");
        row(b, "model", trace.model().name());
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            row(b, e.getKey(), e.getValue());
        }
        row(b, "initial state", "#" + trace.initialOrdinal());
        row(b, "steps", String.valueOf(trace.length()));
        row(b, "context switches", trace.contextSwitches()
                + (trace.contextSwitches() == c.originalSwitches() ? "" : " (" + c.originalSwitches() + " before reordering)"));
        b.append("</table>\n");
        statistics(b, c.statistics());

        b.append("<nav class=\"toolbar\"><button type=\"button\" id=\"expand-all\">Expand all states</button> ")
                .append("<button type=\"button\" id=\"collapse-all\">Collapse all</button> ")
                .append("<span class=\"muted\">Click a step in the swimlanes to select it; j / k: next / previous step.</span></nav>\n");

        // Swimlanes: one column per actor, one row per step.
        b.append("<h2>Swimlanes</h2>\n<table class=\"lanes\" id=\"lanes\">\n<thead><tr><th class=\"num\">#</th>");
        for (int k = 0; k < columns.size(); k++) {
            b.append("<th class=\"c").append(k % PALETTE).append("\">").append(Html.esc(columns.get(k))).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n<tr id=\"lane-0\" data-step=\"0\"><td class=\"num\"><a href=\"#step-0\">0</a></td>");
        long[] initial = steps.get(0).state();
        for (int j = 0; j < Math.max(1, columns.size()); j++) {
            String held = columns.isEmpty() ? "" : view.laneState(columns.get(j), initial);
            b.append("<td class=\"init\"><a href=\"#step-0\">").append(j == 0 ? "initial state #" + trace.initialOrdinal() : "")
                    .append("</a>");
            if (!held.isEmpty()) {
                b.append("<span class=\"held mono\">").append(Html.esc(held)).append("</span>");
            }
            b.append("</td>");
        }
        b.append("</tr>\n");
        for (int i = 1; i < steps.size(); i++) {
            TraceStep st = steps.get(i);
            int k = columns.indexOf(column[i]);
            boolean sw = i > 1 && !column[i].equals(column[i - 1]);
            b.append("<tr id=\"lane-").append(i).append("\" data-step=\"").append(i).append('"')
                    .append(sw ? " class=\"switch\"" : "").append("><td class=\"num\"><a href=\"#step-").append(i).append("\">")
                    .append(i).append("</a></td>");
            for (int j = 0; j < columns.size(); j++) {
                if (j != k) {
                    // Another lane's own state can change by this step (a flush, a TLB fill).
                    List<String> changed = view.laneChanges(columns.get(j), steps.get(i - 1).state(), st.state());
                    b.append("<td>");
                    for (String ch : changed) {
                        b.append("<span class=\"lane-change mono\">").append(Html.esc(ch)).append("</span>");
                    }
                    b.append("</td>");
                    continue;
                }
                b.append("<td class=\"op c").append(k % PALETTE).append("\"><a href=\"#step-").append(i).append("\">")
                        .append("<span class=\"label\">").append(Html.esc(st.transition().label())).append("</span>");
                if (!st.transition().source().isEmpty()) {
                    b.append("<span class=\"src mono\">").append(Html.esc(st.transition().source())).append("</span>");
                }
                b.append("</a></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");

        // The steps in detail.
        b.append("<h2>Steps</h2>\n<ol class=\"steps\" id=\"steps\">\n");
        for (int i = 0; i < steps.size(); i++) {
            TraceStep st = steps.get(i);
            long[] before = i == 0 ? null : steps.get(i - 1).state();
            long[] after = st.state();
            b.append("<li class=\"step\" id=\"step-").append(i).append("\" data-step=\"").append(i).append("\">\n<h3>")
                    .append("<span class=\"num\">").append(i).append("</span> ");
            if (st.isInitial()) {
                b.append("initial state #").append(trace.initialOrdinal()).append("</h3>\n");
            } else {
                int k = columns.indexOf(column[i]);
                b.append("<span class=\"actor c").append(k % PALETTE).append("\">").append(Html.esc(column[i])).append("</span> ")
                        .append("<span class=\"label\">").append(Html.esc(st.transition().label())).append("</span></h3>\n");
                if (!st.transition().source().isEmpty()) {
                    b.append("<div class=\"src mono\">at ").append(Html.esc(st.transition().source())).append("</div>\n");
                }
                List<String> changes = view.changes(before, after);
                if (changes.isEmpty()) {
                    b.append("<p class=\"muted nochange\">no field changed</p>\n");
                } else {
                    b.append("<ul class=\"changes\">\n");
                    for (String ch : changes) {
                        b.append("<li><code>").append(Html.esc(ch)).append("</code></li>\n");
                    }
                    b.append("</ul>\n");
                }
            }
            boolean last = i == steps.size() - 1;
            if (i == 0 || last || view.interesting(i, before, after)) {
                String pic = view.picture(after);
                if (pic != null && !pic.isEmpty()) {
                    b.append("<figure class=\"picture\"><figcaption>").append(i == 0 ? "initial state" : "state after step " + i)
                            .append("</figcaption><pre>").append(Html.esc(pic)).append("</pre></figure>\n");
                }
            }
            b.append("<details class=\"state\"><summary>Full state (").append(fields.size()).append(" fields")
                    .append(before == null ? "" : ", " + changedCount(fields, before, after) + " changed").append(")</summary>\n")
                    .append("<table class=\"state mono\">\n");
            for (Field fl : fields) {
                int v = fl.get(after);
                boolean changed = before != null && fl.get(before) != v;
                b.append(changed ? "<tr class=\"changed\">" : "<tr>").append("<th>").append(Html.esc(fl.name())).append("</th><td>")
                        .append(Html.esc(raw.value(fl, v))).append("</td><td class=\"was\">");
                if (changed) {
                    b.append("was ").append(Html.esc(raw.value(fl, fl.get(before))));
                }
                b.append("</td></tr>\n");
            }
            b.append("</table>\n</details>\n</li>\n");
        }
        b.append("</ol>\n");
        b.append("<footer class=\"muted\">Written by ").append(Html.esc(ToolVersion.NAME + " " + ToolVersion.version()))
                .append(". This file is self-contained: it loads nothing from the network.</footer>\n")
                .append("<p id=\"mmcheck-status\" class=\"muted\" data-state=\"loading\" hidden>loading</p>\n");
        String title = f.headline() + " - " + trace.model().name();
        return Html.page(title, CSS, b.toString(), SCRIPT);
    }

    private static int changedCount(List<Field> fields, long[] before, long[] after) {
        int n = 0;
        for (Field fl : fields) {
            if (fl.get(before) != fl.get(after)) {
                n++;
            }
        }
        return n;
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append("<tr><th>").append(Html.esc(key)).append("</th><td>").append(Html.esc(value)).append("</td></tr>\n");
    }

    private static void statistics(StringBuilder b, Statistics s) {
        if (s == null) {
            return;
        }
        b.append("<details class=\"stats\"><summary>Run statistics</summary>\n<table class=\"meta\">\n");
        row(b, "states", s.stateCount());
        row(b, "generated states", String.format(Locale.ROOT, "%,d", s.generated()));
        row(b, "depth", s.depthDescription());
        row(b, "time", RunSummary.timing(s).substring("  time:".length()).trim());
        row(b, "memory", String.format(Locale.ROOT, "%.1f bytes/state", s.bytesPerState()));
        if (s.transitionsFired() != null) {
            row(b, "coverage", s.transitionsNeverFired() + " of " + s.transitionsFired().length + " steps never taken");
        }
        b.append("</table>\n</details>\n");
    }

    private static final String CSS = String.join("\n",
            ".toolbar{margin:16px 0 0;display:flex;gap:8px;align-items:center;flex-wrap:wrap}",
            "button{font:inherit;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:var(--panel);color:var(--fg);cursor:pointer}",
            ".stats{margin-top:8px}",
            ".lanes{width:100%;table-layout:fixed;border:1px solid var(--line)}",
            ".lanes th{background:var(--panel);border-bottom:2px solid var(--line);position:sticky;top:0}",
            ".lanes th.num,.lanes td.num{width:3.5em;text-align:right;color:var(--muted)}",
            ".lanes td{border-left:1px solid var(--line);padding:2px 6px}",
            ".lanes tr.switch td{border-top:1px dashed var(--line)}",
            ".lanes tr.current td{background:var(--mark)}",
            ".lanes td.op a{display:block;color:var(--fg);border-left:4px solid currentColor;padding-left:6px;overflow-wrap:anywhere}",
            ".lanes td.init{color:var(--muted);font-style:italic}",
            ".lanes .label{display:block;font-weight:600}",
            ".lanes .src{display:block;color:var(--muted);font-size:11.5px}",
            ".lanes .held,.lanes .lane-change{display:block;color:var(--muted);font-size:11.5px;font-style:normal;overflow-wrap:anywhere}",
            ".c0{--c:#1f77b4}.c1{--c:#d62728}.c2{--c:#2ca02c}.c3{--c:#9467bd}.c4{--c:#ff7f0e}.c5{--c:#17becf}.c6{--c:#8c564b}.c7{--c:#e377c2}",
            ".lanes th[class^=c]{border-bottom-color:var(--c)}",
            ".lanes td.op a{border-left-color:var(--c)}",
            ".steps{list-style:none;padding:0;margin:0}",
            ".step{border:1px solid var(--line);border-radius:4px;padding:8px 12px;margin:8px 0;scroll-margin-top:8px}",
            ".step.current{outline:2px solid var(--accent)}",
            ".step h3{margin:0;font-size:14px}",
            ".step h3 .num{display:inline-block;min-width:2em;color:var(--muted)}",
            ".step .actor{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;background:var(--c,#555);font-weight:600}",
            ".step .src{color:var(--muted);margin:2px 0 0 2em}",
            ".changes{margin:6px 0 0 2em;padding:0;list-style:none}",
            ".changes code{background:var(--mark);padding:1px 4px;border-radius:3px}",
            ".nochange{margin:6px 0 0 2em}",
            ".picture{margin:8px 0 0 2em}.picture figcaption{color:var(--muted);font-size:12px}",
            ".picture pre{margin:2px 0 0;padding:8px;background:var(--panel);border:1px solid var(--line);border-radius:4px;overflow:auto}",
            "details.state{margin:6px 0 0 2em}details.state summary{cursor:pointer;color:var(--muted)}",
            "table.state th{font-weight:normal;color:var(--muted);padding:1px 12px 1px 0}",
            "table.state td{padding:1px 12px 1px 0}",
            "table.state tr.changed th,table.state tr.changed td{background:var(--mark);color:var(--fg)}",
            "table.state td.was{color:var(--muted)}",
            "footer{margin-top:24px;font-size:12px}");

    /** Navigation only; the page is complete without it. Marks #mmcheck-status when it ran without error. */
    private static final String SCRIPT = String.join("\n",
            "(function () {",
            "  'use strict';",
            "  var status = document.getElementById('mmcheck-status');",
            "  try {",
            "    var steps = Array.prototype.slice.call(document.querySelectorAll('li.step'));",
            "    var current = -1;",
            "    function select(i, scroll) {",
            "      if (i < 0 || i >= steps.length) { return; }",
            "      if (current >= 0) {",
            "        steps[current].classList.remove('current');",
            "        var old = document.getElementById('lane-' + current);",
            "        if (old) { old.classList.remove('current'); }",
            "      }",
            "      current = i;",
            "      steps[i].classList.add('current');",
            "      var lane = document.getElementById('lane-' + i);",
            "      if (lane) { lane.classList.add('current'); }",
            "      if (scroll) { steps[i].scrollIntoView({block: 'nearest'}); }",
            "    }",
            "    document.querySelectorAll('tr[data-step], li.step').forEach(function (el) {",
            "      el.addEventListener('click', function () { select(Number(el.getAttribute('data-step')), false); });",
            "    });",
            "    function setAll(open) {",
            "      document.querySelectorAll('details.state').forEach(function (d) { d.open = open; });",
            "    }",
            "    document.getElementById('expand-all').addEventListener('click', function () { setAll(true); });",
            "    document.getElementById('collapse-all').addEventListener('click', function () { setAll(false); });",
            "    document.addEventListener('keydown', function (e) {",
            "      if (e.ctrlKey || e.metaKey || e.altKey) { return; }",
            "      if (e.key === 'j') { select(current + 1, true); }",
            "      if (e.key === 'k') { select(Math.max(0, current - 1), true); }",
            "    });",
            "    var m = /^#step-(\\d+)$/.exec(window.location.hash);",
            "    if (m) { select(Number(m[1]), false); }",
            "    status.textContent = 'rendered ' + steps.length + ' steps';",
            "    status.setAttribute('data-state', 'ok');",
            "  } catch (e) {",
            "    status.hidden = false;",
            "    status.textContent = 'script error: ' + e;",
            "    status.setAttribute('data-state', 'error');",
            "    throw e;",
            "  }",
            "})();");
}
