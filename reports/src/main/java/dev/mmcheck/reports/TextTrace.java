package dev.mmcheck.reports;

import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.checker.trace.TraceStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace as a plain-text table for the terminal, in the style of Lincheck's interleaving
 * tables: numbered steps, one column per actor, the acting column holding the step's label and
 * source reference; under each step, what changed; at interesting steps a picture of the state;
 * at the end the broken invariant in one sentence and the counts of steps and context switches.
 *
 * <pre>
 *    # | P0                      | P1
 * -----+-------------------------+-------------------------
 *    1 | await lock == 0         |
 *      |   at test-then-set lock |
 *      |     pc[0]: 0 -> 1
 * </pre>
 *
 * A dashed rule marks each context switch, so runs of one actor read as one block.
 */
public final class TextTrace {
    public static final int DEFAULT_WIDTH = 100;
    /** Narrowest column: below this labels wrap into unreadable slivers. */
    private static final int MIN_COLUMN = 10;
    /** Changes start under their column unless less than this is left to the right. */
    private static final int MIN_CHANGE_WIDTH = 40;

    private TextTrace() {
    }

    public static String render(Trace trace, StateView view, Finding finding) {
        return render(Counterexample.of(trace, finding), view, DEFAULT_WIDTH);
    }

    public static String render(Counterexample c, StateView view) {
        return render(c, view, DEFAULT_WIDTH);
    }

    /** @param width target line width; columns shrink and labels wrap to stay within it */
    public static String render(Counterexample c, StateView view, int width) {
        return new TextTrace.Table(c, view, width).render();
    }

    private static final class Table {
        private final Counterexample c;
        private final Trace trace;
        private final StateView view;
        private final int width;
        private final List<TraceStep> steps;
        private final String[] column;
        private final List<String> columns;
        private final int numWidth;
        private final int[] widths;
        private final int[] offsets;
        private final StringBuilder out = new StringBuilder();

        Table(Counterexample c, StateView view, int width) {
            this.c = c;
            this.trace = c.trace();
            this.view = view;
            this.width = width;
            this.steps = trace.steps();
            this.column = new String[steps.size()];
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 1; i < steps.size(); i++) {
                column[i] = view.actorColumn(steps.get(i).transition());
                seen.add(column[i]);
            }
            this.columns = ActorOrder.sorted(seen);
            this.numWidth = Math.max(3, String.valueOf(trace.length()).length());
            int[] natural = new int[columns.size()];
            for (int k = 0; k < natural.length; k++) {
                natural[k] = columns.get(k).length();
            }
            for (int i = 1; i < steps.size(); i++) {
                int k = columns.indexOf(column[i]);
                TraceStep st = steps.get(i);
                natural[k] = Math.max(natural[k], st.transition().label().length());
                if (!st.transition().source().isEmpty()) {
                    natural[k] = Math.max(natural[k], st.transition().source().length() + 5);
                }
            }
            this.widths = fit(natural, width - lead() - 3 * Math.max(0, columns.size() - 1));
            this.offsets = new int[columns.size()];
            for (int k = 1; k < offsets.length; k++) {
                offsets[k] = offsets[k - 1] + widths[k - 1] + 3;
            }
        }

        /** Width of the step-number column with its separator, "nnn | ". */
        private int lead() {
            return numWidth + 3;
        }

        /** Gives each column its natural width if all fit, else shares the space, wide columns first to shrink. */
        private static int[] fit(int[] natural, int available) {
            int[] w = new int[natural.length];
            boolean[] fixed = new boolean[natural.length];
            int left = available;
            int open = natural.length;
            boolean changed = true;
            while (changed && open > 0) {
                changed = false;
                int share = Math.max(MIN_COLUMN, left / open);
                for (int k = 0; k < natural.length; k++) {
                    if (!fixed[k] && natural[k] <= share) {
                        w[k] = Math.max(natural[k], Math.min(MIN_COLUMN, share));
                        fixed[k] = true;
                        left -= w[k];
                        open--;
                        changed = true;
                    }
                }
            }
            for (int k = 0; k < natural.length; k++) {
                if (!fixed[k]) {
                    w[k] = Math.max(MIN_COLUMN, left / open);
                }
            }
            return w;
        }

        String render() {
            header();
            for (int i = 0; i < steps.size(); i++) {
                if (i <= 1 || !column[i].equals(column[i - 1])) {
                    line(rule('-', '+'));
                }
                if (i == 0) {
                    line(Wrap.padLeft("0", numWidth) + " | initial state #" + trace.initialOrdinal());
                    picture(steps.get(0).state(), null);
                } else {
                    step(i);
                }
            }
            line(rule('=', '='));
            for (String l : Wrap.words(c.finding().sentence(), width)) {
                line(l);
            }
            line(c.stepsAndSwitches() + ".");
            return out.toString();
        }

        private void header() {
            line("Counterexample: " + trace.model().name());
            for (Map.Entry<String, String> e : c.metadata().entrySet()) {
                line("  " + e.getKey() + ": " + e.getValue());
            }
            line("Verdict: " + c.finding().headline());
            line("");
            String[] cells = columns.toArray(new String[0]);
            line(row("#", cells));
        }

        private void step(int i) {
            TraceStep st = steps.get(i);
            int k = columns.indexOf(column[i]);
            List<String> cell = new ArrayList<>(Wrap.words(st.transition().label(), widths[k]));
            if (!st.transition().source().isEmpty()) {
                for (String l : Wrap.words("at " + st.transition().source(), widths[k] - 2)) {
                    cell.add("  " + l);
                }
            }
            for (int j = 0; j < cell.size(); j++) {
                String[] cells = new String[columns.size()];
                Arrays.fill(cells, "");
                cells[k] = cell.get(j);
                line(row(j == 0 ? String.valueOf(i) : "", cells));
            }
            long[] before = steps.get(i - 1).state();
            long[] after = st.state();
            int x = width - lead() - offsets[k] >= MIN_CHANGE_WIDTH ? offsets[k] : 0;
            int room = Math.max(MIN_COLUMN, width - lead() - x - 6);
            for (String change : view.changes(before, after)) {
                List<String> wrapped = Wrap.words(change, room);
                for (int j = 0; j < wrapped.size(); j++) {
                    span(x, (j == 0 ? "    " : "      ") + wrapped.get(j));
                }
            }
            if (i == steps.size() - 1 || view.interesting(i, before, after)) {
                picture(after, "state after step " + i + ":");
            }
        }

        private void picture(long[] state, String title) {
            String p = view.picture(state);
            if (p == null || p.isEmpty()) {
                return;
            }
            if (title != null) {
                span(0, "  " + title);
            }
            for (String l : p.split("\n", -1)) {
                span(0, (title == null ? "  " : "    ") + l);
            }
        }

        /** A table row: the step number, then each column's cell padded to its width. */
        private String row(String num, String[] cells) {
            StringBuilder sb = new StringBuilder(Wrap.padLeft(num, numWidth)).append(" |");
            for (int k = 0; k < cells.length; k++) {
                sb.append(' ').append(Wrap.pad(cells[k], widths[k]));
                if (k < cells.length - 1) {
                    sb.append(" |");
                }
            }
            return sb.toString();
        }

        /** Text that spans the columns, starting {@code x} characters into the first column. */
        private void span(int x, String text) {
            line(" ".repeat(numWidth) + " | " + " ".repeat(x) + text);
        }

        private String rule(char dash, char cross) {
            StringBuilder sb = new StringBuilder(String.valueOf(dash).repeat(numWidth + 1)).append(cross);
            for (int k = 0; k < widths.length; k++) {
                sb.append(String.valueOf(dash).repeat(widths[k] + (k < widths.length - 1 ? 2 : 1)));
                if (k < widths.length - 1) {
                    sb.append(cross);
                }
            }
            return sb.toString();
        }

        private void line(String s) {
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == ' ') {
                end--;
            }
            out.append(s, 0, end).append('\n');
        }
    }
}
