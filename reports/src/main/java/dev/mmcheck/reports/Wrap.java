package dev.mmcheck.reports;

import java.util.ArrayList;
import java.util.List;

/** Text layout helpers for the plain-text renderers: word wrap and padding. */
final class Wrap {
    private Wrap() {
    }

    /**
     * Wraps {@code text} into lines of at most {@code width} characters, breaking at spaces,
     * and inside words only when a word alone is too long. Always at least one line.
     */
    static List<String> words(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ", -1)) {
                if (word.isEmpty()) {
                    continue;
                }
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                while (word.length() > width) {
                    if (line.length() > 0) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    int cut = breakPoint(word, width);
                    lines.add(word.substring(0, cut));
                    word = word.substring(cut);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Where to break a word longer than {@code width}: after the last '_', '/', '.', ':', ',' or
     * '-' in the second half of the line, so identifiers and paths break at their joints;
     * otherwise at the width.
     */
    private static int breakPoint(String word, int width) {
        for (int i = width; i > width / 2; i--) {
            if ("_/.:,-".indexOf(word.charAt(i - 1)) >= 0) {
                return i;
            }
        }
        return width;
    }

    /** Joins {@code items} with two spaces into lines of at most {@code width}; longer items are broken. */
    static List<String> items(List<String> items, int width, String indent) {
        List<String> pieces = new ArrayList<>();
        for (String item : items) {
            pieces.addAll(item.length() + indent.length() > width ? words(item, Math.max(1, width - indent.length())) : List.of(item));
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        for (String item : pieces) {
            if (line.length() > indent.length() && line.length() + 2 + item.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > indent.length()) {
                line.append("  ");
            }
            line.append(item);
        }
        if (line.length() > indent.length() || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
