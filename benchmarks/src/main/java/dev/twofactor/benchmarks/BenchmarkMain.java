package dev.twofactor.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.twofactor.TotpAlgorithm;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.CompilerProfiler;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of this module through the JMH API and prints the tables of {@code RESULTS.md}: ratios and
 * figures are computed here from the results of this one run, so what the report quotes is what the command printed.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar            # full mode: 2 forks, 3 x 1 s warm-up, 5 x 1 s measurement
 * java -jar benchmarks/target/benchmarks.jar --short    # short mode: 1 fork, 2 x 0.5 s warm-up, 3 x 0.5 s measurement
 * </pre>
 *
 * <p>The JDBC benchmarks warm up in iterations of 1 s, H2 longest (5, or 10 in full mode): it takes seconds to reach
 * speed.
 *
 * <p>The report ends with one verdict per target of issue #18 ({@link Verdicts}); every ratio in it compares like with
 * like or is not printed ({@link FairRatios}).
 *
 * <p>Options: {@code --only engine,service,jdbc,scale,nodes,recovery,filter} runs some groups;
 * {@code --postgres-url} and {@code --postgres-user} point the JDBC benchmarks at a PostgreSQL server (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}), with the password, if one is needed, in the
 * environment variable {@code TWOFACTOR_BENCH_POSTGRES_PASSWORD}; {@code --no-postgres} skips PostgreSQL.
 * The JMH command line stays available: {@code java -cp benchmarks.jar org.openjdk.jmh.Main -h}.
 */
public final class BenchmarkMain {

    /**
     * The package twofactor's fast HMAC path needs opened ({@code TotpAlgorithm.midstateHmac()}); every fork gets
     * {@code --add-opens} for it, as the README recommends for production, except the forks that measure the engine
     * and the service without it.
     */
    static final String OPENS = "java.base/sun.security.provider";

    private static final String OPENS_ARG = "--add-opens=" + OPENS + "=ALL-UNNAMED";

    /**
     * Fails the trial when the fork's HMAC path is not the one the benchmark's name promises: only benchmarks named
     * {@code ...WithoutOpens} run without {@link #OPENS} opened, and only they may use the portable path.
     *
     * @param params the trial's parameters
     */
    static void checkHmacPath(BenchmarkParams params) {
        boolean withoutOpens = params.getBenchmark().endsWith("WithoutOpens");
        if (TotpAlgorithm.SHA1.midstateHmac() == withoutOpens) {
            throw new IllegalStateException("This fork " + (withoutOpens ? "has" : "lacks") + " --add-opens " + OPENS
                    + ", so " + params.getBenchmark() + " would measure the wrong HMAC path");
        }
    }

    private static final List<String> GROUPS = List.of("engine", "service", "jdbc", "scale", "nodes", "recovery",
            "filter");

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // The runner's own PostgreSQL work (statement count, target 6) reads the server from these, as the forks do.
        System.setProperty(JdbcVerifyBenchmark.POSTGRES_URL, settings.postgresUrl);
        System.setProperty(JdbcVerifyBenchmark.POSTGRES_USER, settings.postgresUser);
        Report report = new Report(settings);
        report.start();
        List<RunResult> results = new ArrayList<>();
        for (String group : settings.groups) {
            results.addAll(runGroup(group, settings, report));
        }
        report.finish(results);
    }

    private static Collection<RunResult> runGroup(String group, Settings settings, Report report)
            throws RunnerException {
        switch (group) {
            case "engine": {
                String withoutOpens = ".*WithoutOpens"; // twofactor's rows in forks without the flag
                List<RunResult> engine = new ArrayList<>(run(settings, options(settings, TotpVerifyBenchmark.class)
                        .exclude(withoutOpens).addProfiler(GCProfiler.class)));
                engine.addAll(run(settings, withoutOpens(settings, TotpVerifyBenchmark.class, withoutOpens)
                        .addProfiler(GCProfiler.class)));
                return engine;
            }
            case "service": {
                String withoutOpens = "verifyCodeWithoutOpens";
                List<RunResult> service = new ArrayList<>(run(settings,
                        options(settings, ServiceVerifyBenchmark.class).exclude(withoutOpens)
                                .addProfiler(GCProfiler.class)));
                service.addAll(run(settings, withoutOpens(settings, ServiceVerifyBenchmark.class, withoutOpens)
                        .param("listener", "NONE").addProfiler(GCProfiler.class)));
                service.addAll(run(settings, options(settings, SecretOpenBenchmark.class)
                        .addProfiler(GCProfiler.class)));
                service.addAll(run(settings, options(settings, SignInPartsBenchmark.class)
                        .addProfiler(GCProfiler.class)));
                return service;
            }
            case "recovery": {
                String withoutOpens = "redeemWrongCodeWithoutOpens";
                List<RunResult> recovery = new ArrayList<>(run(settings,
                        options(settings, RecoveryCodeBenchmark.class).exclude(withoutOpens)));
                recovery.addAll(run(settings, withoutOpens(settings, RecoveryCodeBenchmark.class, withoutOpens)));
                return recovery;
            }
            case "jdbc":
                return runJdbc(settings, report);
            case "scale":
                return runScale(settings, report);
            case "nodes":
                runNodes(settings, report);
                return List.of();
            case "filter":
                Collection<RunResult> filter = run(settings, options(settings, FilterBenchmark.class));
                int requests = 10_000;
                report.storeCalls(requests, countStoreCalls(requests));
                // Issue 18 target 1: every session state, timed, then statements counted on H2 (FilterStatesBenchmark).
                report.lines(FilterStatesBenchmark.report(run(settings, options(settings, FilterStatesBenchmark.class)),
                        requests, report.verdicts));
                return filter;
            default:
                throw new IllegalArgumentException("Unknown group " + group);
        }
    }

    private static Collection<RunResult> runJdbc(Settings settings, Report report) throws RunnerException {
        List<String> databases = new ArrayList<>();
        if (postgres(settings, report, 4)) {
            databases.add("postgresql");
        }
        databases.add("h2");
        List<RunResult> results = new ArrayList<>();
        // The full mode measures throughput and latency in separate trials; the short mode, to stay short, only
        // latency, and the table derives throughput from its mean (threads / mean latency: a closed loop).
        Mode[] modes = settings.shortMode ? new Mode[] {Mode.SampleTime}
                : new Mode[] {Mode.Throughput, Mode.SampleTime};
        for (String db : databases) {
            // H2 runs inside the benchmark's JVM, and its own code takes seconds of JIT warm-up (short-mode
            // iterations rose from 10,000 to 55,000/s over six seconds); PostgreSQL's work is in its server.
            boolean h2 = db.equals("h2");
            int warmup = settings.shortMode ? (h2 ? 5 : 2) : (h2 ? 10 : 3);
            for (int threads : new int[] {1, 8}) {
                for (Mode mode : modes) {
                    ChainedOptionsBuilder options = options(settings, JdbcVerifyBenchmark.class)
                            .warmupIterations(warmup).warmupTime(TimeValue.seconds(1))
                            .param("db", db)
                            .threads(threads)
                            .mode(mode)
                            .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                            .jvmArgsAppend(postgresArgs(settings));
                    results.addAll(run(settings, options));
                }
            }
        }
        for (String db : databases) {
            report.statements(db, StatementCount.perVerification(db, 200));
        }
        return results;
    }

    /** Target 5: PostgreSQL only, 1 thread, latency; the forks write the statements' plans for the report. */
    private static Collection<RunResult> runScale(Settings settings, Report report) throws RunnerException {
        if (!postgres(settings, report, 5)) {
            return List.of();
        }
        Path dir = reportDir();
        ChainedOptionsBuilder options = options(settings, JdbcScaleBenchmark.class)
                .warmupIterations(settings.shortMode ? 2 : 3).warmupTime(TimeValue.seconds(1))
                .jvmArgsAppend(postgresArgs(settings,
                        "-D" + JdbcScaleBenchmark.REPORT_DIR + "=" + dir.toAbsolutePath()));
        Collection<RunResult> results = run(settings, options);
        for (RunResult result : results) {
            int users = Integer.parseInt(result.getParams().getParam("users"));
            Path plans = dir.resolve("plans-" + users + ".txt");
            try {
                report.plans(users, Files.readString(plans));
                Files.delete(plans);
            } catch (IOException e) {
                report.note("no plans for " + users + " users (" + e.getMessage() + ")");
            }
        }
        return results;
    }

    /** Target 6, in this process: 1, 2 and 4 nodes on one PostgreSQL. */
    private static void runNodes(Settings settings, Report report) {
        if (!postgres(settings, report, 6)) {
            return;
        }
        long warmup = settings.shortMode ? 1500 : 3000;
        long measure = settings.shortMode ? 2000 : 5000;
        System.out.println("# Target 6: many nodes on one PostgreSQL (" + warmup + " ms warm-up, " + measure
                + " ms measured per N)");
        try (ManyNodes nodes = new ManyNodes()) {
            for (int n : new int[] {1, 2, 4}) {
                // The first run warms the JIT up; the later ones only need their new pools and threads started.
                ManyNodes.Run run = nodes.run(n, n == 1 ? warmup : warmup / 3, measure);
                System.out.printf(Locale.ROOT, "# N=%d: %.0f accepted sign-ins/s, %d double acceptances%n", n,
                        run.acceptedPerSecond(), run.doubleAcceptances());
                report.nodes(run);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.note("target 6 interrupted");
        } catch (RuntimeException e) {
            // The other groups' figures are still worth printing; the failure is the verdict.
            e.printStackTrace();
            report.note("target 6 failed: " + e);
            report.verdicts.notRun(6, "the run failed (" + e + ")");
        }
    }

    /** Whether PostgreSQL can be used; if not, a note and target {@code target} is not run. */
    private static boolean postgres(Settings settings, Report report, int target) {
        if (!settings.postgres) {
            report.verdicts.notRun(target, "PostgreSQL skipped (--no-postgres)");
            return false;
        }
        String problem = postgresProblem(settings);
        if (problem != null) {
            report.note("PostgreSQL skipped: " + problem);
            report.verdicts.notRun(target, "PostgreSQL not reachable");
            return false;
        }
        return true;
    }

    /** Every JVM option of a fork that uses PostgreSQL: a later {@code jvmArgsAppend} replaces an earlier one. */
    private static String[] postgresArgs(Settings settings, String... more) {
        List<String> args = new ArrayList<>(List.of(OPENS_ARG,
                "-D" + JdbcVerifyBenchmark.POSTGRES_URL + "=" + settings.postgresUrl,
                "-D" + JdbcVerifyBenchmark.POSTGRES_USER + "=" + settings.postgresUser));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path reportDir() {
        Path dir = Path.of("benchmarks", "target");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            return Files.createTempDirectory("twofactor-bench");
        } catch (IOException e) {
            throw new IllegalStateException("No directory for the plans", e);
        }
    }

    private static long countStoreCalls(int requests) {
        try {
            return FilterBenchmark.storeCallsFor(requests);
        } catch (IOException | jakarta.servlet.ServletException e) {
            throw new IllegalStateException("Counting the filter's store calls failed", e);
        }
    }

    /** Why PostgreSQL cannot be used, or {@code null} if it can. */
    private static String postgresProblem(Settings settings) {
        try (Connection connection = DriverManager.getConnection(settings.postgresUrl, settings.postgresUser,
                JdbcVerifyBenchmark.postgresPassword())) {
            return connection.isValid(5) ? null : "connection not valid";
        } catch (SQLException e) {
            return settings.postgresUrl + " not reachable (" + e.getMessage() + ")";
        }
    }

    private static ChainedOptionsBuilder options(Settings settings, Class<?> benchmark) {
        return options(settings, "^" + benchmark.getName().replace(".", "\\.") + "\\.").jvmArgsAppend(OPENS_ARG);
    }

    /** One benchmark method in forks without {@code --add-opens}: twofactor's HMAC over MessageDigest. */
    private static ChainedOptionsBuilder withoutOpens(Settings settings, Class<?> benchmark, String method) {
        return options(settings, "^" + benchmark.getName().replace(".", "\\.") + "\\." + method + "$");
    }

    private static ChainedOptionsBuilder options(Settings settings, String include) {
        // The compiler profiler tells whether a benchmark was still being compiled while measured (FairRatios).
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .addProfiler(CompilerProfiler.class)
                .shouldFailOnError(true);
        if (settings.shortMode) {
            options.forks(1)
                    .warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        } else {
            options.forks(2)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        return options;
    }

    private static Collection<RunResult> run(Settings settings, ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    /** Command-line settings. */
    static final class Settings {
        boolean shortMode;
        final Set<String> groups = new LinkedHashSet<>(GROUPS);
        String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/test";
        String postgresUser = "postgres";
        boolean postgres = true;
        String commandLine;

        static Settings parse(String[] args) {
            Settings settings = new Settings();
            StringBuilder command = new StringBuilder("java -jar benchmarks/target/benchmarks.jar");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                command.append(' ').append(arg);
                switch (arg) {
                    case "--short" -> settings.shortMode = true;
                    case "--no-postgres" -> settings.postgres = false;
                    case "--only" -> {
                        settings.groups.clear();
                        for (String group : value(args, ++i, arg).split(",")) {
                            if (!GROUPS.contains(group)) {
                                throw new IllegalArgumentException("Unknown group '" + group + "'; groups: " + GROUPS);
                            }
                            settings.groups.add(group);
                        }
                        command.append(' ').append(args[i]);
                    }
                    case "--postgres-url" -> {
                        settings.postgresUrl = value(args, ++i, arg);
                        command.append(' ').append(args[i]);
                    }
                    case "--postgres-user" -> {
                        settings.postgresUser = value(args, ++i, arg);
                        command.append(' ').append(args[i]);
                    }
                    default -> throw new IllegalArgumentException("Unknown option '" + arg + "'; options: --short, "
                            + "--only GROUPS, --postgres-url URL, --postgres-user USER, --no-postgres");
                }
            }
            settings.commandLine = command.toString();
            return settings;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    /** Prints the machine, the notes and the tables. */
    static final class Report {
        private final Settings settings;
        private final List<String> notes = new ArrayList<>();
        private final Map<String, StatementCount.Count> statements = new TreeMap<>();
        private final SortedMap<Integer, String> plans = new TreeMap<>();
        private final List<ManyNodes.Run> nodes = new ArrayList<>();
        final Verdicts verdicts = new Verdicts();
        private int filterRequests;
        private long filterStoreCalls = -1;
        private final List<String> lines = new ArrayList<>();
        private String loadAtStart;
        private long startNanos;

        Report(Settings settings) {
            this.settings = settings;
        }

        void note(String note) {
            notes.add(note);
            System.out.println("# note: " + note);
        }

        void storeCalls(int requests, long calls) {
            filterRequests = requests;
            filterStoreCalls = calls;
        }

        /** Lines printed after the tables, as given. */
        void lines(List<String> more) {
            lines.addAll(more);
        }

        void statements(String db, StatementCount.Count count) {
            statements.put(db, count);
        }

        void plans(int users, String text) {
            plans.put(users, text);
        }

        void nodes(ManyNodes.Run run) {
            nodes.add(run);
        }

        void start() {
            startNanos = System.nanoTime();
            loadAtStart = loadAverage();
        }

        void finish(List<RunResult> results) {
            Results table = new Results(results);
            StringBuilder out = new StringBuilder();
            out.append("\n==================== twofactor benchmark results ====================\n");
            out.append("date:    ").append(ZonedDateTime.now(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
            out.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                    .append(cpuModel()).append(", JDK ").append(System.getProperty("java.vm.version")).append(" (")
                    .append(System.getProperty("java.vm.name")).append(")\n");
            out.append("load:    ").append(loadAtStart).append(" at start, ").append(loadAverage())
                    .append(" at end (1, 5, 15 min)\n");
            out.append("command: ").append(settings.commandLine).append('\n');
            out.append("mode:    ").append(settings.shortMode
                    ? "short (1 fork, 2 x 0.5 s warm-up, 3 x 0.5 s measurement per benchmark; JDBC warm-up: "
                            + "PostgreSQL 2 x 1 s, H2 5 x 1 s; JDBC latency trials only)"
                    : "full (2 forks, 3 x 1 s warm-up, 5 x 1 s measurement per benchmark; JDBC warm-up: "
                            + "PostgreSQL 3 x 1 s, H2 10 x 1 s)")
                    .append('\n');
            out.append("figures: medians of the measurement iterations; ratios are of those medians\n");
            table.appendEngine(out);
            table.appendService(out);
            PerCallTargets.append(out, results, verdicts);
            JdbcResults store = new JdbcResults(table, verdicts);
            store.appendJdbc(out, statements);
            store.appendScale(out, plans);
            store.appendNodes(out, nodes);
            table.appendRecovery(out);
            table.appendFilter(out, filterRequests, filterStoreCalls);
            lines.forEach(line -> out.append(line).append('\n'));
            String[] storeGroups = {"jdbc", "scale", "nodes"};
            for (int i = 0; i < storeGroups.length; i++) {
                if (!settings.groups.contains(storeGroups[i])) {
                    verdicts.notRun(4 + i, "the " + storeGroups[i] + " group was not run (--only)");
                }
            }
            verdicts.append(out);
            for (String note : notes) {
                out.append("note: ").append(note).append('\n');
            }
            out.append(String.format(Locale.ROOT, "run time: %.0f s%n", (System.nanoTime() - startNanos) / 1e9));
            System.out.print(out);
            Path copy = Path.of("benchmarks", "target", "results.txt");
            if (Files.isDirectory(copy.getParent())) {
                try {
                    Files.writeString(copy, out.toString());
                    System.out.println("(this summary is also in " + copy + ")");
                } catch (IOException e) {
                    System.out.println("(could not write " + copy + ": " + e.getMessage() + ")");
                }
            }
        }

        private static String loadAverage() {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            try {
                String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return parts[0] + ", " + parts[1] + ", " + parts[2];
            } catch (IOException | RuntimeException e) {
                return String.format(Locale.ROOT, "%.2f", load);
            }
        }

        private static String cpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux: the OS name will do.
            }
            return System.getProperty("os.arch") + " " + System.getProperty("os.name");
        }
    }
}
