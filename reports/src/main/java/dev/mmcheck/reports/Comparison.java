package dev.mmcheck.reports;

import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Two variants of an algorithm checked on the same scenarios, side by side: verdict, distinct
 * states and time per scenario, with the scenarios whose verdicts differ marked. It knows
 * nothing of what a scenario or variant is; the caller runs the checks and passes the results.
 */
public final class Comparison {
    /**
     * One scenario's results.
     *
     * @param scenario the scenario's name
     * @param a        variant A's result, or null if A was not run on it
     * @param b        variant B's result, or null if B was not run on it
     */
    public record Row(String scenario, Result a, Result b) {
        public Row {
            Objects.requireNonNull(scenario, "scenario");
        }

        /** Both ran and reached different verdicts (or broke different invariants). */
        public boolean differs() {
            return a != null && b != null
                    && (a.verdict() != b.verdict() || !Objects.equals(a.invariantId(), b.invariantId()));
        }
    }

    private final String variantA;
    private final String variantB;
    private final List<Row> rows;

    public Comparison(String variantA, String variantB, List<Row> rows) {
        this.variantA = Objects.requireNonNull(variantA, "variantA");
        this.variantB = Objects.requireNonNull(variantB, "variantB");
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The scenarios whose verdicts differ, in row order. */
    public List<String> differences() {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.differs()) {
                out.add(r.scenario());
            }
        }
        return out;
    }

    /** {@code VIOLATED (I1)}, {@code INCOMPLETE (time)}, {@code HOLDS}, or {@code not run}. */
    static String verdict(Result r) {
        if (r == null) {
            return "not run";
        }
        if (r.verdict() == Verdict.VIOLATED && r.invariant() != null) {
            return "VIOLATED (" + r.invariant() + ")";
        }
        if (r.verdict() == Verdict.INCOMPLETE && r.limit() != null) {
            return "INCOMPLETE (" + r.limit().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
        }
        return r.verdict().name();
    }

    private static String states(Result r) {
        return r == null ? "-" : r.statistics().stateCount();
    }

    private static String time(Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2f s", r.statistics().elapsed().toNanos() / 1e9);
    }

    private String summary() {
        List<String> diff = differences();
        return rows.size() + (rows.size() == 1 ? " scenario; " : " scenarios; ")
                + (diff.isEmpty() ? "the verdicts agree everywhere"
                : "the verdicts differ in " + diff.size() + ": " + String.join(", ", diff));
    }

    public String text() {
        String[] head = {"scenario", "A verdict", "states", "time", "B verdict", "states", "time", ""};
        boolean[] right = {false, false, true, true, false, true, true, false};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.scenario(), verdict(r.a()), states(r.a()), time(r.a()),
                    verdict(r.b()), states(r.b()), time(r.b()), r.differs() ? "<- differs" : ""});
        }
        int[] w = new int[head.length];
        for (String[] row : cells) {
            for (int k = 0; k < row.length; k++) {
                w[k] = Math.max(w[k], row[k].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Comparison of A = ").append(variantA).append(" and B = ").append(variantB).append('\n');
        for (int i = 0; i < cells.size(); i++) {
            String[] row = cells.get(i);
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < row.length; k++) {
                if (k > 0) {
                    line.append(k == 1 || k == 4 ? " | " : "  ");
                }
                line.append(right[k] ? Wrap.padLeft(row[k], w[k]) : Wrap.pad(row[k], w[k]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                sb.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
            }
        }
        return sb.append(summary()).append('\n').toString();
    }

    public String html() {
        StringBuilder b = new StringBuilder();
        boolean agree = differences().isEmpty();
        b.append("<header class=\"verdict ").append(agree ? "good" : "bad").append("\">\n<div class=\"headline\">")
                .append(agree ? "Same verdicts" : "Verdicts differ").append("</div>\n<p>").append(Html.esc(summary()))
                .append("</p>\n</header>\n<h1>").append(Html.esc(variantA)).append(" vs ").append(Html.esc(variantB))
                .append("</h1>\n<table class=\"cmp\">\n<thead><tr><th rowspan=\"2\">scenario</th><th colspan=\"3\" class=\"grp\">A: ")
                .append(Html.esc(variantA)).append("</th><th colspan=\"3\" class=\"grp\">B: ").append(Html.esc(variantB))
                .append("</th></tr>\n<tr><th>verdict</th><th class=\"n\">states</th><th class=\"n\">time</th>")
                .append("<th>verdict</th><th class=\"n\">states</th><th class=\"n\">time</th></tr></thead>\n<tbody>\n");
        for (Row r : rows) {
            b.append(r.differs() ? "<tr class=\"differs\">" : "<tr>").append("<th>").append(Html.esc(r.scenario()));
            if (r.differs()) {
                b.append(" <span class=\"tag\">differs</span>");
            }
            b.append("</th>");
            cells(b, r.a());
            cells(b, r.b());
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n<footer class=\"muted\">Written by ")
                .append(Html.esc(ToolVersion.NAME + " " + ToolVersion.version()))
                .append(". Hover a verdict for the run's message.</footer>\n");
        return Html.page("Comparison: " + variantA + " vs " + variantB, CSS, b.toString(), "");
    }

    private static void cells(StringBuilder b, Result r) {
        String tone = r == null ? "none" : switch (r.verdict()) {
            case HOLDS -> "good";
            case VIOLATED, DEADLOCK -> "bad";
            case INCOMPLETE -> "undecided";
        };
        b.append("<td class=\"v ").append(tone).append('"');
        if (r != null && r.message() != null) {
            b.append(" title=\"").append(Html.esc(r.message())).append('"');
        }
        b.append('>').append(Html.esc(verdict(r))).append("</td><td class=\"n\">").append(Html.esc(states(r)))
                .append("</td><td class=\"n\">").append(Html.esc(time(r))).append("</td>");
    }

    private static final String CSS = String.join("\n",
            ".cmp{margin-top:12px;border:1px solid var(--line)}",
            ".cmp th,.cmp td{border-bottom:1px solid var(--line);padding:4px 10px}",
            ".cmp thead th{background:var(--panel)}.cmp th.grp{text-align:center;border-left:1px solid var(--line)}",
            ".cmp .n{text-align:right;font-variant-numeric:tabular-nums}",
            ".cmp td.v{border-left:1px solid var(--line);font-weight:600}",
            ".cmp td.good{color:var(--ok)}.cmp td.bad{color:var(--bad)}.cmp td.undecided{color:var(--warn)}.cmp td.none{color:var(--muted)}",
            ".cmp tr.differs{background:var(--mark)}",
            ".tag{font-size:11px;font-weight:600;padding:0 5px;border-radius:3px;background:var(--bad);color:#fff}",
            "footer{margin-top:16px;font-size:12px}");
}
