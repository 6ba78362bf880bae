package dev.mmcheck.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command in a JVM of its own, as a user does: for what an in-process run cannot show
 * (a small heap, a signal).
 */
final class ForkedCli {
    record Run(int code, String out, String err) {
    }

    private ForkedCli() {
    }

    /** Starts {@code mmcheck args} with {@code jvmFlags}; stdout and stderr go to files in {@code dir}. */
    static Process start(Path dir, List<String> jvmFlags, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
    }

    /** Runs to the end (at most {@code seconds}) and returns what it printed. */
    static Run run(Path dir, List<String> jvmFlags, long seconds, String... args) throws Exception {
        Process p = start(dir, jvmFlags, args);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mmcheck " + String.join(" ", args) + " did not end within " + seconds + " s");
        }
        return new Run(p.exitValue(), read(dir.resolve("stdout.txt")), read(dir.resolve("stderr.txt")));
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
