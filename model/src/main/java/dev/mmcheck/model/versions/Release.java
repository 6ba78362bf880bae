package dev.mmcheck.model.versions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mainline Linux release, {@code v6.14}: what a version fact is stated in, whether or not the
 * model offers that release as a {@link KernelVersion}. Ordered by major, then minor.
 */
public record Release(int major, int minor) implements Comparable<Release> {
    private static final Pattern FORM = Pattern.compile("v?(\\d{1,2})\\.(\\d{1,3})");

    public Release {
        if (major < 2 || minor < 0) {
            throw new IllegalArgumentException("release " + major + "." + minor + ": major must be at least 2 and minor at least 0");
        }
    }

    /** {@code "v6.14"} or {@code "6.14"}; an error naming the text and the form allowed otherwise. */
    public static Release parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("release '" + text + "': expected vMAJOR.MINOR, e.g. v6.14");
        }
        return new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** {@code "v6.14"}. */
    public String label() {
        return "v" + major + "." + minor;
    }

    public boolean atLeast(Release other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Release o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return label();
    }
}
