package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The release matrix as text: releases as columns, scenarios as rows. A cell is {@code HOLDS},
 * or the bugs that showed and the invariant they broke ({@code B4 I2}); {@code !} marks a cell
 * whose verdict was not the expected one; {@code -} a scenario the release cannot run (it needs a
 * feature the release lacks); {@code .} a cell not run (large: exhaustive profile only, or not
 * asked for); {@code ?} an INCOMPLETE run.
 */
public final class ReleaseMatrixTable {
    private ReleaseMatrixTable() {
    }

    /** The matrix of {@code cells} with the results of the runs made, by check name. */
    public static String render(List<ReleaseMatrix.Cell> cells, Map<String, Result> results) {
        int run = 0;
        int unexpected = 0;
        for (ReleaseMatrix.Cell c : cells) {
            Result r = c.applicable() ? results.get(c.check().name()) : null;
            if (r != null) {
                run++;
                if (!c.check().accepts(r) && r.verdict() != Verdict.INCOMPLETE) {
                    unexpected++;
                }
            }
        }
        return grid(cells, c -> cell(c, c.applicable() ? results.get(c.check().name()) : null))
                + String.format("%d cell(s) run, %d unexpected (!); - = needs a feature the release lacks or exercises a change the model lacks there; . = not run%n", run, unexpected);
    }

    /**
     * The matrix a default run prints when every cell gives its expected verdict: large cells
     * (exhaustive profile only) as not run. Docs are checked against it.
     */
    public static String renderExpected(List<ReleaseMatrix.Cell> cells) {
        return grid(cells, c -> !c.applicable() ? "-" : c.check().exhaustiveOnly() ? "." : expected(c));
    }

    private static String grid(List<ReleaseMatrix.Cell> cells, Function<ReleaseMatrix.Cell, String> text) {
        List<Variant> columns = new ArrayList<>();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (ReleaseMatrix.Cell c : cells) {
            if (!columns.contains(c.release())) {
                columns.add(c.release());
            }
            rows.computeIfAbsent(c.scenario(), k -> new ArrayList<>()).add(text.apply(c));
        }
        String corner = "scenario \\ release";
        int nameWidth = Math.max(corner.length(), rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).name().length();
            for (List<String> row : rows.values()) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = columns.stream().map(Variant::name).toList();
        line(sb, corner, nameWidth, header, width);
        rows.forEach((scenario, row) -> line(sb, scenario, nameWidth, row, width));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String first, int firstWidth, List<String> texts, int[] width) {
        StringBuilder l = new StringBuilder(String.format("%-" + firstWidth + "s", first));
        for (int i = 0; i < texts.size(); i++) {
            l.append("  ").append(String.format("%-" + width[i] + "s", texts.get(i)));
        }
        sb.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }

    /** {@code HOLDS}, or the expected bugs and their invariant on the cell's scenario. */
    private static String expected(ReleaseMatrix.Cell c) {
        if (c.bugs().isEmpty() && c.findings().isEmpty()) {
            return "HOLDS";
        }
        String ids = ids(c, b -> true, f -> true);
        return ids + " " + c.check().invariants().stream().map(InvariantId::code).collect(Collectors.joining("/"));
    }

    /** The ids of the cell's bugs and findings that pass the filters, joined with commas. */
    private static String ids(ReleaseMatrix.Cell c, Predicate<Bug> bug, Predicate<Finding> finding) {
        return Stream.concat(c.bugs().stream().filter(bug).map(Bug::id), c.findings().stream().filter(finding).map(Finding::id))
                .distinct().collect(Collectors.joining(","));
    }

    static String cell(ReleaseMatrix.Cell c, Result r) {
        if (!c.applicable()) {
            return "-";
        }
        if (r == null) {
            return ".";
        }
        String mark = c.check().accepts(r) ? "" : "!";
        switch (r.verdict()) {
            case HOLDS:
                return "HOLDS" + mark;
            case VIOLATED: {
                String inv = r.invariantId() == null ? "?" : r.invariantId().code();
                String ids = ids(c, b -> r.violated(b.invariantOn(c.scenario()).id()), f -> r.violated(f.invariant().id()));
                return mark + (ids.isEmpty() ? "" : ids + " ") + inv;
            }
            case DEADLOCK:
                return mark + "DEADLOCK";
            default:
                return "?";
        }
    }
}
