package dev.mmcheck.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where reports go and in which formats. */
final class OutputFlags {
    /** A report format. */
    enum Format { TEXT, JSON, HTML }

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for report files (default: mmcheck-reports).")
    Path out = Path.of("mmcheck-reports");

    @Option(names = "--report", paramLabel = "FORMATS", split = ",",
            description = "Report formats per check, comma-separated: text, json, html (default: all three).")
    String[] report = {"text", "json", "html"};

    Set<Format> formats() {
        Set<Format> set = EnumSet.noneOf(Format.class);
        for (String r : report) {
            try {
                set.add(Format.valueOf(r.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--report: '" + r + "' is not a format; use text, json or html (comma-separated)");
            }
        }
        return set;
    }

    /** The report folder, created if missing. */
    Path folder() {
        try {
            return Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out: cannot create folder '" + out + "': " + e.getMessage());
        }
    }
}
