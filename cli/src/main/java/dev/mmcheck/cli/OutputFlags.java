package dev.mmcheck.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where reports go and in which formats. */
final class OutputFlags {
    /** A report format. */
    enum Format {
        TEXT(".txt"), JSON(".json"), HTML(".html");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        String extension() {
            return extension;
        }
    }

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

    /**
     * The report folder, created if missing and checked to be writable, so that a run never
     * finds out only at its end that it cannot write its reports.
     */
    Path folder() {
        if (out.toString().isBlank()) {
            throw new IllegalArgumentException("--out: '" + out + "' is not a folder; name one (default mmcheck-reports)");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out: '" + out + "' is a file, not a folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out: cannot create folder '" + out + "': " + reason(e));
        }
        try {
            Files.delete(Files.createTempFile(out, ".mmcheck-write-test", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException("--out: cannot write to folder '" + out + "': " + reason(e));
        }
        return out;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getClass().getSimpleName();
    }
}
