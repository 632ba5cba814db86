package dev.twofactor.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.profile.CompilerProfiler;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one group of benchmarks ({@code engine}, {@code service}, {@code jdbc}, {@code scale}, {@code nodes},
 * {@code recovery}, {@code filter}) through the JMH API with the options of the mode, and hands what is not a JMH
 * result (statement counts, plans, the nodes' runs) to the {@link Report}.
 */
final class Groups {

    private Groups() {
    }

    static Collection<RunResult> run(String group, Settings settings, Report report)
            throws RunnerException {
        switch (group) {
            case "engine": {
                String withoutOpens = ".*WithoutOpens"; // twofactor's rows in forks without the flag
                List<RunResult> engine = new ArrayList<>(run(settings, options(settings, TotpVerifyBenchmark.class)
                        .exclude(withoutOpens).addProfiler(GCProfiler.class)));
                engine.addAll(run(settings, withoutOpens(settings, TotpVerifyBenchmark.class, withoutOpens)
                        .addProfiler(GCProfiler.class)));
                // The floor of targets 2 and 3: one SHA-1 block compression, both paths in forks with the flag.
                engine.addAll(run(settings, options(settings, Sha1CompressionBenchmark.class)));
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
                        .exclude("openWithoutOpens").addProfiler(GCProfiler.class)));
                service.addAll(run(settings, withoutOpens(settings, SecretOpenBenchmark.class, "openWithoutOpens")
                        .addProfiler(GCProfiler.class)));
                service.addAll(run(settings, options(settings, SignInPartsBenchmark.class)
                        .addProfiler(GCProfiler.class)));
                // Target 3's verdict: the service and the peer in turn, in one JVM with the opens and one without.
                for (boolean opens : new boolean[] {true, false}) {
                    report.checkPaired(CheckPairedRounds.run(settings, opens, List.of(quiet(settings))));
                }
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

    /** Target 4: the paired rounds of each database and thread count, each in a JVM of its own. */
    private static Collection<RunResult> runJdbc(Settings settings, Report report) {
        List<String> databases = new ArrayList<>();
        if (postgres(settings, report, 4)) {
            databases.add("postgresql");
        }
        databases.add("h2");
        for (String db : databases) {
            for (int threads : new int[] {1, 8}) {
                report.paired(JdbcPairedRounds.run(settings, db, threads,
                        List.of(postgresArgs(settings, quiet(settings)))));
            }
        }
        for (String db : databases) {
            report.statements(db, StatementCount.perVerification(db, 200));
        }
        return List.of();
    }

    /** Target 5: PostgreSQL only, 1 thread, latency, both sizes in turn; the plans of the statements for the report. */
    private static Collection<RunResult> runScale(Settings settings, Report report) {
        if (!postgres(settings, report, 5)) {
            return List.of();
        }
        Path dir = reportDir();
        report.scale(ScalePairedRounds.run(settings, List.of(postgresArgs(settings, quiet(settings))),
                dir.toAbsolutePath().toString()));
        for (int users : ScalePairedRounds.SIZES) {
            Path plans = dir.resolve("plans-" + users + ".txt");
            try {
                report.plans(users, Files.readString(plans));
                Files.delete(plans);
            } catch (IOException e) {
                report.note("no plans for " + users + " users (" + e.getMessage() + ")");
            }
        }
        return List.of();
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

    /**
     * The most seconds a JDBC fork (or paired-rounds JVM) of the full mode warms up until the JIT is quiet
     * ({@link QuietWarmUp}).
     */
    static final int QUIET_SECONDS = 30;

    /** The quiet warm-up's system property: none in the short mode. */
    private static String quiet(Settings settings) {
        return "-D" + QuietWarmUp.MAX_SECONDS + "=" + (settings.shortMode ? 0 : QUIET_SECONDS);
    }

    /** Every JVM option of a fork that uses PostgreSQL: a later {@code jvmArgsAppend} replaces an earlier one. */
    private static String[] postgresArgs(Settings settings, String... more) {
        List<String> args = new ArrayList<>(List.of(BenchmarkMain.OPENS_ARGS));
        args.addAll(List.of(
                "-D" + JdbcSignIn.POSTGRES_URL + "=" + settings.postgresUrl,
                "-D" + JdbcSignIn.POSTGRES_USER + "=" + settings.postgresUser));
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
                JdbcSignIn.postgresPassword())) {
            return connection.isValid(5) ? null : "connection not valid";
        } catch (SQLException e) {
            return settings.postgresUrl + " not reachable (" + e.getMessage() + ")";
        }
    }

    private static ChainedOptionsBuilder options(Settings settings, Class<?> benchmark) {
        return options(settings, "^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .jvmArgsAppend(BenchmarkMain.OPENS_ARGS);
    }

    /**
     * One benchmark method in forks without {@code --add-opens}: twofactor's HMAC over MessageDigest, its AES-GCM
     * open through {@code Cipher}.
     */
    private static ChainedOptionsBuilder withoutOpens(Settings settings, Class<?> benchmark, String method) {
        return options(settings, "^" + benchmark.getName().replace(".", "\\.") + "\\." + method + "$");
    }

    private static ChainedOptionsBuilder options(Settings settings, String include) {
        // The JIT's CPU share tells whether a benchmark was still being compiled while measured (FairRatios); JMH's
        // compiler profiler is its fallback where /proc is missing.
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .addProfiler(JitCpuProfiler.class)
                .addProfiler(CompilerProfiler.class)
                .shouldFailOnError(true);
        options.forks(settings.forks())
                .warmupIterations(settings.warmups())
                .warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
                .measurementIterations(settings.measurements())
                .measurementTime(TimeValue.milliseconds(settings.iterationMillis()));
        return options;
    }

    private static Collection<RunResult> run(Settings settings, ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }
}
