package dev.mmcheck.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU used by other processes while a run was going (Linux {@code /proc/stat} minus this JVM's
 * own CPU time), so that a measurement disturbed by a concurrent build or test run is visible,
 * and a way to wait for a quiet machine before a run. On a 2-core machine one busy neighbour
 * halves what 2 workers can get. Where {@code /proc/stat} is unreadable the figures are NaN.
 */
final class HostLoad {
    /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture that matters here. */
    private static final double JIFFY_SECONDS = 0.01;

    private final long busyJiffies;
    private final long stealJiffies;
    private final long ownNanos;
    private final long wallNanos;

    private HostLoad(long busyJiffies, long stealJiffies, long ownNanos, long wallNanos) {
        this.busyJiffies = busyJiffies;
        this.stealJiffies = stealJiffies;
        this.ownNanos = ownNanos;
        this.wallNanos = wallNanos;
    }

    static HostLoad sample() {
        long busy = -1;
        long steal = -1;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice
            busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                    + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: report NaN
        }
        return new HostLoad(busy, steal, ownCpuNanos(), System.nanoTime());
    }

    private static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Cores' worth of CPU that other processes used between {@code this} and {@code later}. */
    double otherCores(HostLoad later) {
        if (busyJiffies < 0 || later.busyJiffies < 0 || ownNanos < 0) {
            return Double.NaN;
        }
        double wall = (later.wallNanos - wallNanos) / 1e9;
        double busy = (later.busyJiffies - busyJiffies) * JIFFY_SECONDS;
        double own = (later.ownNanos - ownNanos) / 1e9;
        return wall <= 0 ? Double.NaN : Math.max(0, busy - own) / wall;
    }

    /** Cores' worth of time the hypervisor took from this VM between {@code this} and {@code later}. */
    double stealCores(HostLoad later) {
        if (stealJiffies < 0 || later.stealJiffies < 0) {
            return Double.NaN;
        }
        double wall = (later.wallNanos - wallNanos) / 1e9;
        return wall <= 0 ? Double.NaN : (later.stealJiffies - stealJiffies) * JIFFY_SECONDS / wall;
    }

    /**
     * Waits (up to {@code maxSeconds}) until other processes used less than {@code threshold} cores
     * in each of {@code quietSeconds} consecutive seconds. Returns the seconds waited, or -1 if the
     * machine never got quiet.
     */
    static double awaitQuiet(double threshold, int quietSeconds, double maxSeconds) {
        long start = System.nanoTime();
        int quiet = 0;
        while (true) {
            HostLoad a = sample();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            double other = a.otherCores(sample());
            double waited = (System.nanoTime() - start) / 1e9;
            if (Double.isNaN(other)) {
                return waited;
            }
            quiet = other < threshold ? quiet + 1 : 0;
            if (quiet >= quietSeconds) {
                return waited;
            }
            if (waited >= maxSeconds) {
                return -1;
            }
        }
    }
}
