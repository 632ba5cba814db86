package dev.twofactor.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.twofactor.TotpAlgorithm;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs every benchmark of this module through the JMH API and prints the tables of {@code RESULTS.md}: ratios and
 * figures are computed here from the results of this one run, so what the report quotes is what the command printed.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar            # full mode: 2 forks, 3 x 1 s warm-up, 5 x 1 s measurement
 * java -jar benchmarks/target/benchmarks.jar --short    # short mode: 1 fork, 1 x 0.5 s warm-up, 2 x 0.5 s measurement
 * </pre>
 *
 * <p>Target 4 times the JDBC sign-in and its floor in turn in one JVM per database and thread count
 * ({@link JdbcPairedRounds}); target 5's JMH benchmark warms up for 2 (full mode: 3) iterations of 1 s. In the full
 * mode both first run until the JIT is quiet ({@link QuietWarmUp}), at most {@value Groups#QUIET_SECONDS} s.
 *
 * <p>The report ends with one verdict per target of issue #18 ({@link Verdicts}); every ratio in it compares like with
 * like or is not printed ({@link FairRatios}). The groups are run by {@link Groups}, the command line read by
 * {@link Settings}, the report printed by {@link Report}.
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
     * {@code --add-opens} for it and for {@link #OPENS_GCM}, as the README recommends for production, except the
     * forks that measure the engine and the service without them (neither package opened).
     */
    static final String OPENS = "java.base/sun.security.provider";

    /** The package twofactor's AES-GCM open on the JDK's own primitives needs opened ({@code internal.JdkGcm}). */
    static final String OPENS_GCM = "java.base/com.sun.crypto.provider";

    /** The JVM options that open both packages. */
    static final String[] OPENS_ARGS = {"--add-opens=" + OPENS + "=ALL-UNNAMED",
        "--add-opens=" + OPENS_GCM + "=ALL-UNNAMED"};

    /**
     * Fails the trial when the fork's HMAC path or its AES-GCM open is not the one the benchmark's name promises:
     * only benchmarks named {@code ...WithoutOpens} run without {@link #OPENS} and {@link #OPENS_GCM} opened, and
     * only they may use the portable paths.
     *
     * @param params the trial's parameters
     */
    static void checkHmacPath(BenchmarkParams params) {
        checkPaths(params.getBenchmark(), params.getBenchmark().endsWith("WithoutOpens"));
    }

    /**
     * Fails when this JVM's HMAC path or AES-GCM open is not the one {@code what} promises.
     *
     * @param what         what is measured, for the message
     * @param withoutOpens whether it promises the portable paths (neither package opened)
     */
    static void checkPaths(String what, boolean withoutOpens) {
        if (TotpAlgorithm.SHA1.midstateHmac() == withoutOpens) {
            throw new IllegalStateException("This JVM " + (withoutOpens ? "has" : "lacks") + " --add-opens " + OPENS
                    + ", so " + what + " would measure the wrong HMAC path");
        }
        String gcm = OPENS_GCM.substring(OPENS_GCM.indexOf('/') + 1);
        if (Object.class.getModule().isOpen(gcm, BenchmarkMain.class.getModule()) == withoutOpens) {
            throw new IllegalStateException("This JVM " + (withoutOpens ? "has" : "lacks") + " --add-opens "
                    + OPENS_GCM + ", so " + what + " would measure the wrong AES-GCM open");
        }
    }

    static final List<String> GROUPS = List.of("engine", "service", "jdbc", "scale", "nodes", "recovery",
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
        System.setProperty(JdbcSignIn.POSTGRES_URL, settings.postgresUrl);
        System.setProperty(JdbcSignIn.POSTGRES_USER, settings.postgresUser);
        Report report = new Report(settings);
        report.start();
        List<RunResult> results = new ArrayList<>();
        for (String group : settings.groups) {
            results.addAll(Groups.run(group, settings, report));
        }
        report.finish(results);
    }
}
