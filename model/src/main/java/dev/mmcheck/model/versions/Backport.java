package dev.mmcheck.model.versions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stable tree that took a commit: the tree ({@code 5.15.y}) and its first point release that
 * has it ({@code 5.15.179}), or, when the first one is not known ({@code exact} false), a point
 * release seen to have it.
 */
public record Backport(Release tree, int firstPoint, boolean exact) implements Comparable<Backport> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,2})\\.(\\d{1,3})\\.(\\d{1,4})");

    public Backport {
        if (firstPoint < 1) {
            throw new IllegalArgumentException("backport to " + tree.label() + ".y: the point release must be at least 1, not " + firstPoint);
        }
    }

    /** {@code "5.15.179"}, the first point release with the commit; an error naming the text and the form allowed otherwise. */
    public static Backport parse(String text) {
        return parse(text, true);
    }

    /** {@code "5.15.179"}: first ({@code exact}) or merely some point release with the commit. */
    public static Backport parse(String text, boolean exact) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("stable release '" + text + "': expected MAJOR.MINOR.POINT, e.g. 5.15.179");
        }
        return new Backport(new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))), Integer.parseInt(m.group(3)), exact);
    }

    /** {@code "5.15.179"}. */
    public String pointRelease() {
        return tree.major() + "." + tree.minor() + "." + firstPoint;
    }

    /** {@code "5.15.y from 5.15.179"}, or {@code "5.1.y (in 5.1.15)"} when the first point release is not known. */
    public String label() {
        String y = tree.major() + "." + tree.minor() + ".y";
        return exact ? y + " from " + pointRelease() : y + " (in " + pointRelease() + ")";
    }

    @Override
    public int compareTo(Backport o) {
        int c = tree.compareTo(o.tree);
        return c != 0 ? c : Integer.compare(firstPoint, o.firstPoint);
    }
}
