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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.twofactor.TotpAlgorithm;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
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
 * <p>Options: {@code --only engine,service,jdbc,recovery,filter} runs some groups; {@code --postgres-url} and
 * {@code --postgres-user} point the JDBC benchmark at a PostgreSQL server (default
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

    private static final List<String> GROUPS = List.of("engine", "service", "jdbc", "recovery", "filter");

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
            case "filter":
                Collection<RunResult> filter = run(settings, options(settings, FilterBenchmark.class));
                int requests = 10_000;
                report.storeCalls(requests, countStoreCalls(requests));
                return filter;
            default:
                throw new IllegalArgumentException("Unknown group " + group);
        }
    }

    private static Collection<RunResult> runJdbc(Settings settings, Report report) throws RunnerException {
        System.setProperty(JdbcVerifyBenchmark.POSTGRES_URL, settings.postgresUrl);
        System.setProperty(JdbcVerifyBenchmark.POSTGRES_USER, settings.postgresUser);
        List<String> databases = new ArrayList<>();
        if (settings.postgres) {
            String problem = postgresProblem(settings);
            if (problem == null) {
                databases.add("postgresql");
            } else {
                report.note("PostgreSQL skipped: " + problem);
            }
        }
        databases.add("h2");
        List<RunResult> results = new ArrayList<>();
        for (String db : databases) {
            // H2 runs inside the benchmark's JVM, and its own code takes seconds of JIT warm-up (short-mode
            // iterations rose from 10,000 to 55,000/s over six seconds); PostgreSQL's work is in its server.
            boolean h2 = db.equals("h2");
            int warmup = settings.shortMode ? (h2 ? 5 : 2) : (h2 ? 10 : 3);
            for (int threads : new int[] {1, 8}) {
                for (Mode mode : new Mode[] {Mode.Throughput, Mode.SampleTime}) {
                    ChainedOptionsBuilder options = options(settings, JdbcVerifyBenchmark.class)
                            .warmupIterations(warmup).warmupTime(TimeValue.seconds(1))
                            .param("db", db)
                            .threads(threads)
                            .mode(mode)
                            .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                            .jvmArgsAppend(OPENS_ARG,
                                    "-D" + JdbcVerifyBenchmark.POSTGRES_URL + "=" + settings.postgresUrl,
                                    "-D" + JdbcVerifyBenchmark.POSTGRES_USER + "=" + settings.postgresUser);
                    results.addAll(run(settings, options));
                }
            }
        }
        for (String db : databases) {
            report.statements(db, StatementCount.perVerification(db, 200));
        }
        return results;
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
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
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
        private final Map<String, Double> statements = new TreeMap<>();
        private int filterRequests;
        private long filterStoreCalls = -1;
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

        void statements(String db, double perVerification) {
            statements.put(db, perVerification);
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
                            + "PostgreSQL 2 x 1 s, H2 5 x 1 s)"
                    : "full (2 forks, 3 x 1 s warm-up, 5 x 1 s measurement per benchmark; JDBC warm-up: "
                            + "PostgreSQL 3 x 1 s, H2 10 x 1 s)")
                    .append('\n');
            out.append("figures: medians of the measurement iterations; ratios are of those medians\n");
            table.appendEngine(out);
            table.appendService(out);
            PerCallTargets.append(out, results);
            table.appendJdbc(out, statements);
            table.appendRecovery(out);
            table.appendFilter(out, filterRequests, filterStoreCalls);
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
