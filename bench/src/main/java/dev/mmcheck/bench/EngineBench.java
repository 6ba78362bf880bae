package dev.mmcheck.bench;

import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Statistics;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.store.VisitedSets;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine benchmark: exhaustive BFS of a model of known size through the public
 * {@link Checker#check} API, reporting distinct states per second (as {@link Statistics#statesPerSecond()})
 * for each worker count and bytes per state / per slot for each visited-set mode.
 *
 * <p>Each configuration (mode x workers) gets {@code --warmup} unreported runs and then
 * {@code --runs} measured runs; each run is a complete, fresh {@code Checker.check} (new visited
 * set, parent log and queues), preceded by a {@code System.gc()} so the previous run's tables are
 * gone. A run counts only if its verdict is HOLDS and, when the state count is known, its distinct
 * count matches it (lossless mode; a fingerprint run may lose states to a hash collision and is
 * flagged instead).
 *
 * <p>Memory budget: with {@code --memory auto} (the default) the budget is sized from the expected
 * number of states so that the visited set ends {@code --fill-lossless} (default 0.84; the table's
 * load limit is 0.85) or {@code --fill-fingerprint} (default 0.88; limit 0.9) full. The engine gives
 * {@value #TABLE_SHARE} of the budget to the visited set and parent log (Checker.TABLE_SHARE, not
 * public) and the rest to the BFS queues.
 *
 * <p>Run with {@code --help} for the options; {@code bench/run.sh} and {@code docs/benchmarks.md}
 * have the recorded command lines.
 */
public final class EngineBench {
    /** Mirrors the package-private {@code Checker.TABLE_SHARE}: the visited set's share of the budget. */
    static final double TABLE_SHARE = 0.75;
    /** The smallest automatic budget, so that small models' queues fit (their fill is then low). */
    static final long MIN_AUTO_BUDGET = 32L << 20;

    private EngineBench() {
    }

    /** One measured (or warm-up) run. */
    record Run(String mode, int workers, int index, boolean warmup, long budget, int capacity, Statistics stats,
               Verdict verdict, boolean valid, String note, long gcCount, long gcMillis, double otherCores,
               boolean disturbed) {
        double seconds() {
            return stats.elapsed().toNanos() / 1e9;
        }

        double bytesPerSlot() {
            return (double) stats.visitedBytes() / capacity;
        }

        double fill() {
            return (double) stats.distinct() / capacity;
        }
    }

    public static void main(String[] args) {
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("engine-bench: " + e.getMessage());
            System.err.println(Args.USAGE);
            System.exit(2);
            return;
        }
        if (a.help) {
            System.out.println(Args.USAGE);
            return;
        }
        System.exit(run(a));
    }

    static int run(Args a) {
        Model model = a.model();
        long expected = a.expectedStates();
        int words = model.layout().words();
        printHeader(a, model, expected);

        List<Run> measured = new ArrayList<>();
        boolean allValid = true;
        PrintWriter csv = a.csv == null ? null : openCsv(a.csv);
        System.out.println();
        System.out.println("| mode | workers | run | time (s) | distinct states | states/s | generated | budget (MiB) "
                + "| slots | fill | bytes/slot | bytes/state | GC (count, ms) | other CPU | verdict |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (String mode : a.modes) {
            boolean fp = mode.equals("fingerprint");
            long budget = a.memory > 0 ? a.memory : autoBudget(words, fp, expected, fp ? a.fillFingerprint : a.fillLossless);
            int capacity = capacityFor(words, fp, budget);
            for (int workers : a.workers) {
                for (int i = 0; i < a.warmup + a.runs; i++) {
                    boolean warmup = i < a.warmup;
                    int index = warmup ? i + 1 : i - a.warmup + 1;
                    Run r = runOnce(model, mode, fp, workers, budget, capacity, index, warmup, expected, a);
                    for (int retry = 0; r.disturbed() && !warmup && retry < a.retries; retry++) {
                        System.out.println(row(r).replaceFirst(" \\|$", "; repeated |"));
                        r = runOnce(model, mode, fp, workers, budget, capacity, index, warmup, expected, a);
                    }
                    System.out.println(row(r));
                    System.out.flush();
                    if (csv != null) {
                        csv.println(csvRow(a, model, r));
                        csv.flush();
                    }
                    if (!warmup) {
                        measured.add(r);
                        allValid &= r.valid();
                    }
                    if (r.verdict() != Verdict.HOLDS) {
                        System.out.println("Stopping: the run did not explore the whole model (" + r.note()
                                + "); raise --memory or the heap.");
                        return 1;
                    }
                }
            }
        }
        if (csv != null) {
            csv.close();
        }
        printSummary(a, model, measured);
        long disturbed = measured.stream().filter(Run::disturbed).count();
        if (disturbed > 0) {
            System.out.println();
            System.out.println("WARNING: " + disturbed + " measured run(s) were disturbed by other processes (see the "
                    + "other CPU column); their figures are pessimistic.");
        }
        if (!allValid) {
            System.out.println();
            System.out.println("WARNING: some measured runs are flagged (see the verdict column).");
        }
        return allValid ? 0 : 1;
    }

    private static Run runOnce(Model model, String mode, boolean fp, int workers, long budget, int capacity, int index,
                               boolean warmup, long expected, Args a) {
        System.gc();
        sleep(200);
        if (a.quietWait > 0) {
            double waited = HostLoad.awaitQuiet(a.quietThreshold, 3, a.quietWait);
            if (waited < 0) {
                System.out.println("# the machine did not get quiet within " + a.quietWait + " s; running anyway");
            } else if (waited > 3.5) {
                System.out.printf(Locale.ROOT, "# waited %.0f s for other processes to go idle%n", waited);
            }
        }
        SearchOptions options = SearchOptions.defaults()
                .withWorkers(workers)
                .withFingerprints(fp)
                .withMemoryBytes(budget)
                .withDeadlockCheck(true);
        if (a.progressSeconds > 0) {
            options = options.withProgress(System.err, Duration.ofSeconds(a.progressSeconds));
        }
        long[] gc0 = gcTotals();
        HostLoad load0 = HostLoad.sample();
        Result result = Checker.check(model, options);
        HostLoad load1 = HostLoad.sample();
        long[] gc1 = gcTotals();
        // Over less than a second, jiffy granularity makes the figure meaningless.
        double other = s0(result) < 1 ? Double.NaN : load0.otherCores(load1);
        boolean disturbed = other > a.quietThreshold && result.verdict() == Verdict.HOLDS;
        Statistics s = result.statistics();
        String note = result.verdict().name();
        boolean valid = result.verdict() == Verdict.HOLDS;
        if (!valid) {
            note = result.verdict() + ": " + result.message();
        } else if (expected > 0 && s.distinct() != expected) {
            valid = false;
            note = (fp ? "HOLDS, but " + (expected - s.distinct()) + " states lost to fingerprint collisions"
                    : "HOLDS, but distinct != expected " + expected);
        }
        long perSlot = tableBytesPerSlot(words(model), fp) + PARENT_LOG_BYTES_PER_SLOT;
        int derived = (int) (s.visitedBytes() / perSlot);
        if (derived != capacity) {
            // The engine sized its table differently from this benchmark's replica of the rule.
            note += " (table has " + derived + " slots, expected " + capacity + ")";
            capacity = derived;
        }
        if (disturbed) {
            note += String.format(Locale.ROOT, " (disturbed: other processes used %.2f cores)", other);
        }
        return new Run(mode, workers, index, warmup, budget, capacity, s, result.verdict(), valid, note,
                gc1[0] - gc0[0], gc1[1] - gc0[1], other, disturbed);
    }

    private static double s0(Result r) {
        return r.statistics().elapsed().toNanos() / 1e9;
    }

    private static int words(Model model) {
        return model.layout().words();
    }

    static long tableBytesPerSlot(int words, boolean fp) {
        return fp ? Long.BYTES : (long) words * Long.BYTES;
    }

    /** What ParentLog allocates per slot (one int, the parent's slot). */
    static final long PARENT_LOG_BYTES_PER_SLOT = VisitedSets.PARENT_LOG_BYTES_PER_SLOT;

    /** The table capacity Checker/VisitedSets derive from {@code budget} (replica of VisitedSets.capacityFor). */
    static int capacityFor(int words, boolean fp, long budget) {
        long tableBudget = (long) (budget * TABLE_SHARE);
        long bySlots = tableBudget / VisitedSets.bytesPerSlot(words, fp);
        long byArray = VisitedSets.MAX_ARRAY_LENGTH / (fp ? 1 : words);
        return (int) Math.min(bySlots, byArray);
    }

    /** The smallest budget whose table holds {@code expected} states at {@code fill} of its slots. */
    static long autoBudget(int words, boolean fp, long expected, double fill) {
        if (expected <= 0) {
            throw new IllegalArgumentException("the state count of this model is not known: pass --expected N "
                    + "(from a lossless run) or an explicit --memory");
        }
        double maxLoad = fp ? VisitedSets.FINGERPRINT_MAX_LOAD : VisitedSets.LOSSLESS_MAX_LOAD;
        if (fill > maxLoad) {
            throw new IllegalArgumentException("fill " + fill + " exceeds the table's load limit " + maxLoad);
        }
        long slots = (long) Math.ceil(expected / fill);
        if (slots > VisitedSets.MAX_ARRAY_LENGTH / (fp ? 1 : words)) {
            throw new IllegalArgumentException(slots + " slots of " + words + " words exceed the Java array limit");
        }
        long budget = (long) Math.ceil(slots * VisitedSets.bytesPerSlot(words, fp) / TABLE_SHARE);
        if (budget < MIN_AUTO_BUDGET) {
            // Small (smoke-test) models: the queues' share must hold at least a level or two.
            return MIN_AUTO_BUDGET;
        }
        while (capacityFor(words, fp, budget) < slots) {
            budget += VisitedSets.bytesPerSlot(words, fp);
        }
        return budget;
    }

    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static void printHeader(Args a, Model model, long expected) {
        Runtime rt = Runtime.getRuntime();
        System.out.println("# mmcheck engine benchmark");
        System.out.println("# java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.vm.version") + ", " + System.getProperty("java.vendor") + ")");
        System.out.println("# jvm flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf(Locale.ROOT, "# processors: %d, max heap: %.1f GiB%n", rt.availableProcessors(),
                rt.maxMemory() / (double) (1L << 30));
        System.out.println("# model: " + model.name() + " (" + a.modelDescription() + "), "
                + model.layout().words() + " words = " + model.layout().bytes() + " bytes per state vector, "
                + model.transitionCount() + " transitions");
        System.out.println("# expected distinct states: " + (expected > 0 ? String.format(Locale.ROOT, "%,d", expected) : "unknown"));
        System.out.println("# modes: " + a.modes + ", workers: " + Arrays.toString(a.workers) + ", warm-up runs: " + a.warmup
                + ", measured runs: " + a.runs + ", memory: "
                + (a.memory > 0 ? a.memory + " bytes" : String.format(Locale.ROOT, "auto (fill %.2f lossless, %.2f fingerprint)",
                a.fillLossless, a.fillFingerprint)));
    }

    private static String row(Run r) {
        Statistics s = r.stats();
        return String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %,d | %,.0f | %,d | %,.0f | %,d | %.1f%% | %.2f | %.2f | %d, %d | %s | %s |",
                r.mode(), r.workers(), (r.warmup() ? "warm-up " : "") + r.index(), r.seconds(), s.distinct(),
                s.statesPerSecond(), s.generated(), r.budget() / (double) (1L << 20), r.capacity(), 100 * r.fill(),
                r.bytesPerSlot(), s.bytesPerState(), r.gcCount(), r.gcMillis(),
                Double.isNaN(r.otherCores()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.otherCores()), r.note());
    }

    private static PrintWriter openCsv(String path) {
        try {
            boolean exists = new java.io.File(path).length() > 0;
            PrintWriter w = new PrintWriter(new FileWriter(path, true));
            if (!exists) {
                w.println("java,model,words,vector_bytes,mode,workers,run,warmup,seconds,distinct,states_per_s,generated,"
                        + "budget_bytes,slots,fill,bytes_per_slot,bytes_per_state,gc_count,gc_ms,other_cores,verdict");
            }
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvRow(Args a, Model model, Run r) {
        Statistics s = r.stats();
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%d,%d,%b,%.3f,%d,%.0f,%d,%d,%d,%.4f,%.3f,%.3f,%d,%d,%.3f,%s",
                System.getProperty("java.version"), model.name(), model.layout().words(), model.layout().bytes(),
                r.mode(), r.workers(), r.index(), r.warmup(), r.seconds(), s.distinct(), s.statesPerSecond(),
                s.generated(), r.budget(), r.capacity(), r.fill(), r.bytesPerSlot(), s.bytesPerState(), r.gcCount(),
                r.gcMillis(), r.otherCores(), r.note().replace(',', ';'));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static void printSummary(Args a, Model model, List<Run> runs) {
        int bytes = model.layout().bytes();
        Map<String, Map<Integer, List<Run>>> byMode = new LinkedHashMap<>();
        for (Run r : runs) {
            byMode.computeIfAbsent(r.mode(), m -> new LinkedHashMap<>())
                    .computeIfAbsent(r.workers(), w -> new ArrayList<>()).add(r);
        }
        System.out.println();
        System.out.println("Summary (medians of the measured runs; java " + System.getProperty("java.version") + ", "
                + model.name() + ", " + bytes + "-byte vectors):");
        System.out.println();
        StringBuilder head = new StringBuilder("| mode |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int w : a.workers) {
            head.append(" states/s, ").append(w).append(w == 1 ? " worker |" : " workers |");
            rule.append("---:|");
        }
        if (a.workers.length > 1) {
            head.append(" speed-up ").append(a.workers[0]).append("->").append(a.workers[a.workers.length - 1]).append(" |");
            rule.append("---:|");
        }
        head.append(" fill | bytes/slot | bytes/state |");
        rule.append("---:|---:|---:|");
        System.out.println(head);
        System.out.println(rule);
        List<String> targets = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, List<Run>>> e : byMode.entrySet()) {
            String mode = e.getKey();
            StringBuilder line = new StringBuilder("| " + mode + " |");
            double first = Double.NaN;
            double last = Double.NaN;
            Run any = null;
            double fill = Double.NaN;
            double perState = Double.NaN;
            for (int w : a.workers) {
                List<Run> rs = e.getValue().getOrDefault(w, List.of());
                double med = median(rs.stream().mapToDouble(r -> r.stats().statesPerSecond()).toArray());
                line.append(String.format(Locale.ROOT, " %,.0f |", med));
                if (w == a.workers[0]) {
                    first = med;
                }
                last = med;
                if (!rs.isEmpty()) {
                    any = rs.get(0);
                    fill = median(rs.stream().mapToDouble(Run::fill).toArray());
                    perState = median(rs.stream().mapToDouble(r -> r.stats().bytesPerState()).toArray());
                }
            }
            double speedup = last / first;
            if (a.workers.length > 1) {
                line.append(String.format(Locale.ROOT, " %.2fx |", speedup));
            }
            double perSlot = any == null ? Double.NaN : any.bytesPerSlot();
            line.append(String.format(Locale.ROOT, " %.1f%% | %.2f | %.2f |", 100 * fill, perSlot, perState));
            System.out.println(line);

            if (contains(a.workers, 2)) {
                double two = median(e.getValue().getOrDefault(2, List.of()).stream()
                        .mapToDouble(r -> r.stats().statesPerSecond()).toArray());
                targets.add(String.format(Locale.ROOT, "%s: >= 1.5M states/s with 2 workers (%d-byte states): %,.0f -> %s",
                        mode, bytes, two, bytes > 64 ? "n/a (vector > 64 bytes)" : two >= 1.5e6 ? "MET" : "MISSED"));
            }
            if (contains(a.workers, 1) && contains(a.workers, 2)) {
                double one = median(e.getValue().getOrDefault(1, List.of()).stream()
                        .mapToDouble(r -> r.stats().statesPerSecond()).toArray());
                double two = median(e.getValue().getOrDefault(2, List.of()).stream()
                        .mapToDouble(r -> r.stats().statesPerSecond()).toArray());
                targets.add(String.format(Locale.ROOT, "%s: >= 1.6x speed-up 1 -> 2 workers: %.2fx -> %s",
                        mode, two / one, two / one >= 1.6 ? "MET" : "MISSED"));
            }
            if (mode.equals("fingerprint")) {
                targets.add(String.format(Locale.ROOT, "fingerprint: <= 16 bytes/state: %.2f -> %s", perState,
                        perState <= 16 ? "MET" : "MISSED"));
            } else {
                targets.add(String.format(Locale.ROOT, "lossless: <= vector + 8 = %d bytes/state: %.2f -> %s", bytes + 8,
                        perState, perState <= bytes + 8 ? "MET" : "MISSED"));
            }
        }
        System.out.println();
        System.out.println("Targets:");
        for (String t : targets) {
            System.out.println("  " + t);
        }
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Command-line options. */
    static final class Args {
        static final String USAGE = String.join("\n",
                "usage: java [jvm flags] -jar mmcheck-bench.jar [options]",
                "  --model grid|peterson     the model (default grid)",
                "  --counters N              grid: number of counters (default 5)",
                "  --modulus K               grid: values per counter (default 36; 36^5 = 60,466,176 states);",
                "                            peterson: values of each process's visit counter (default 9)",
                "  --pad P                   grid: padding words, 0..7 (default 0; 7 gives 8 words = 64 bytes)",
                "  --processes N             peterson: processes (default 4)",
                "  --expected N              distinct states expected (default grid: K^N; peterson: filter-lock",
                "                            states x K^N for N <= 5); needed for --memory auto",
                "  --workers LIST            worker counts, e.g. 1,2 (default 1,2)",
                "  --modes LIST              lossless,fingerprint (default both)",
                "  --warmup N                unreported warm-up runs per configuration (default 1)",
                "  --runs N                  measured runs per configuration (default 3)",
                "  --memory auto|SIZE        the search's memory budget, e.g. 2g or 1536m (default auto: sized",
                "                            from the expected states and the fill targets below)",
                "  --fill-lossless F         auto budget: final fill of the lossless table (default 0.84, limit 0.85)",
                "  --fill-fingerprint F      auto budget: final fill of the fingerprint table (default 0.88, limit 0.9)",
                "  --csv FILE                append one CSV row per run to FILE",
                "  --progress SECONDS        print engine progress lines to stderr",
                "  --quiet-threshold C       a run is disturbed if other processes used more than C cores",
                "                            during it (default 0.15; read from /proc/stat)",
                "  --quiet-wait SECONDS      before each run, wait up to this long until other processes stayed",
                "                            below the threshold for 3 s (default 1800; 0 = do not wait)",
                "  --retries N               repeat a disturbed measured run up to N times (default 20)",
                "  --help");

        String model = "grid";
        int counters = 5;
        int modulus = -1;
        int pad = 0;
        int processes = 4;
        long expected = -1;
        int[] workers = {1, 2};
        List<String> modes = List.of("lossless", "fingerprint");
        int warmup = 1;
        int runs = 3;
        long memory = 0;
        double fillLossless = 0.84;
        double fillFingerprint = 0.88;
        String csv;
        int progressSeconds;
        double quietThreshold = 0.15;
        double quietWait = 1800;
        int retries = 20;
        boolean help;

        static Args parse(String[] args) {
            Args a = new Args();
            for (int i = 0; i < args.length; i++) {
                String opt = args[i];
                if (opt.equals("--help") || opt.equals("-h")) {
                    a.help = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + opt + " needs a value");
                }
                String v = args[++i];
                switch (opt) {
                    case "--model":
                        if (!v.equals("grid") && !v.equals("peterson")) {
                            throw new IllegalArgumentException("--model: " + v + " is not one of grid, peterson");
                        }
                        a.model = v;
                        break;
                    case "--counters": a.counters = Integer.parseInt(v); break;
                    case "--modulus": a.modulus = Integer.parseInt(v); break;
                    case "--pad": a.pad = Integer.parseInt(v); break;
                    case "--processes": a.processes = Integer.parseInt(v); break;
                    case "--expected": a.expected = Long.parseLong(v.replace("_", "").replace(",", "")); break;
                    case "--workers":
                        a.workers = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                        break;
                    case "--modes":
                        a.modes = List.of(v.split(","));
                        for (String m : a.modes) {
                            if (!m.equals("lossless") && !m.equals("fingerprint")) {
                                throw new IllegalArgumentException("--modes: " + m + " is not lossless or fingerprint");
                            }
                        }
                        break;
                    case "--warmup": a.warmup = Integer.parseInt(v); break;
                    case "--runs": a.runs = Integer.parseInt(v); break;
                    case "--memory": a.memory = v.equals("auto") ? 0 : parseSize(v); break;
                    case "--fill-lossless": a.fillLossless = Double.parseDouble(v); break;
                    case "--fill-fingerprint": a.fillFingerprint = Double.parseDouble(v); break;
                    case "--csv": a.csv = v; break;
                    case "--progress": a.progressSeconds = Integer.parseInt(v); break;
                    case "--quiet-threshold": a.quietThreshold = Double.parseDouble(v); break;
                    case "--quiet-wait": a.quietWait = Double.parseDouble(v); break;
                    case "--retries": a.retries = Integer.parseInt(v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + opt);
                }
            }
            if (a.runs < 1 || a.warmup < 0) {
                throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
            }
            return a;
        }

        /**
         * The states of {@link PetersonCounters}: the counters never influence control, so every
         * reachable configuration of the filter lock combines with every counter vector (checked
         * by the lossless runs, which flag any difference). The filter lock's own count comes from
         * a quick lossless run of {@link dev.mmcheck.checker.examples.Peterson}.
         */
        static long petersonStates(int processes, int modulus) {
            Result r = Checker.check(new dev.mmcheck.checker.examples.Peterson(processes),
                    SearchOptions.defaults().withWorkers(1).withMemoryBytes(64L << 20));
            if (r.verdict() != Verdict.HOLDS) {
                return -1;
            }
            long s = r.statistics().distinct();
            for (int i = 0; i < processes; i++) {
                s *= modulus;
            }
            return s;
        }

        static long parseSize(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (s.endsWith("g")) {
                unit = 1L << 30;
            } else if (s.endsWith("m")) {
                unit = 1L << 20;
            } else if (s.endsWith("k")) {
                unit = 1L << 10;
            }
            if (unit > 1) {
                s = s.substring(0, s.length() - 1);
            }
            return (long) (Double.parseDouble(s) * unit);
        }

        Model model() {
            if (model.equals("peterson")) {
                return new PetersonCounters(processes, modulus < 0 ? 9 : modulus);
            }
            return new CounterGrid(counters, modulus < 0 ? 36 : modulus, pad);
        }

        String modelDescription() {
            return model.equals("peterson")
                    ? "PetersonCounters(" + processes + ", " + (modulus < 0 ? 9 : modulus) + ")"
                    : "CounterGrid(" + counters + ", " + (modulus < 0 ? 36 : modulus) + ", " + pad + ")";
        }

        long expectedStates() {
            if (expected > 0) {
                return expected;
            }
            if (model.equals("peterson")) {
                return processes <= 5 ? petersonStates(processes, modulus < 0 ? 9 : modulus) : -1;
            }
            long s = 1;
            for (int i = 0; i < counters; i++) {
                s *= modulus < 0 ? 36 : modulus;
            }
            return s;
        }
    }
}
