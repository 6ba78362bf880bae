package dev.mmcheck.reports;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The mmcheck version that wrote a report, from a resource Maven fills in at build time. */
public final class ToolVersion {
    public static final String NAME = "mmcheck";
    private static final String VERSION = load();

    private ToolVersion() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from unfiltered sources. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
