package dev.mmcheck.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs headless Chromium on a local file, isolated (fresh profile, no network services). */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    /** What one run printed. */
    record Run(int exitCode, String stdout, String stderr) {
        /** Lines where the page wrote to the console or threw (Chromium logs both as CONSOLE lines). */
        List<String> consoleLines() {
            return stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
        }
    }

    private Chromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Runs Chromium with {@code extra} options on {@code page}; stdout is the dumped DOM with --dump-dom. */
    static Run run(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("mmcheck-chromium-");
        Path out = Files.createTempFile("mmcheck-chromium-", ".out");
        Path err = Files.createTempFile("mmcheck-chromium-", ".err");
        try {
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
            cmd.addAll(List.of(extra));
            cmd.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("chromium did not finish within 120 s on " + page);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
