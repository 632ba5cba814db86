package dev.twofactor.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.BenchmarkResultMetaData;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The rule every printed ratio follows: it compares like with like, or it is not printed. Two results are comparable
 * when their forks had the same JVM options, when they were given the secret in the same form on each call (a
 * per-user key object built once, raw key bytes, or Base32 text: {@link #inputForm}), and when both were warm
 * ({@link #cold}). A benchmark that is still being compiled while it is measured, as the heavier peers are after a
 * short warm-up on a busy machine, gives a figure of its warm-up, not of itself.
 */
final class FairRatios {

    /** The JIT's most share of the fork's CPU time during the measurement iterations, in percent, of a warm result. */
    static final int COLD_SHARE_PERCENT = 10;

    /**
     * The compiler threads' most CPU time during the measurement iterations, in percent of their wall time, of a warm
     * result of rounds whose work is mostly in another process (the sign-in over PostgreSQL).
     */
    static final int WAITING_JIT_WALL_PERCENT = 5;

    /** How each engine row is given the user's secret on every call. */
    enum InputForm {
        KEY_OBJECT("a per-user key object built once"),
        BYTES("raw key bytes"),
        BASE32("Base32 text");

        final String label;

        InputForm(String label) {
            this.label = label;
        }
    }

    /**
     * The input form of each benchmark method of {@link TotpVerifyBenchmark}; a method not listed has no ratio. The
     * twofactor rows are the keys of {@link #OURS}.
     */
    private static final Map<String, InputForm> ENGINE_FORMS = Map.ofEntries(
            Map.entry("twofactor", InputForm.KEY_OBJECT),
            Map.entry("twofactorWithoutOpens", InputForm.KEY_OBJECT),
            Map.entry("twofactorSecretPerCall", InputForm.BYTES),
            Map.entry("twofactorBytesPerCall", InputForm.BYTES),
            Map.entry("twofactorBytesPerCallWithoutOpens", InputForm.BYTES),
            Map.entry("twofactorBase32PerCall", InputForm.BASE32),
            Map.entry("twofactorBase32PerCallWithoutOpens", InputForm.BASE32),
            Map.entry("jceFloor", InputForm.KEY_OBJECT),
            Map.entry("javaTotp", InputForm.BASE32),
            Map.entry("googleAuth", InputForm.BASE32),
            Map.entry("otpJava", InputForm.KEY_OBJECT),
            Map.entry("javaOtp", InputForm.KEY_OBJECT),
            Map.entry("javaOtpWholeWindow", InputForm.KEY_OBJECT),
            Map.entry("keycloak", InputForm.BYTES));

    /** twofactor's engine rows, in the order in which they are tried as the like of a peer. */
    static final List<String> OURS = List.of("twofactor", "twofactorWithoutOpens", "twofactorBytesPerCall",
            "twofactorBase32PerCall", "twofactorSecretPerCall", "twofactorBytesPerCallWithoutOpens",
            "twofactorBase32PerCallWithoutOpens");

    private FairRatios() {
    }

    /** @return the input form of an engine benchmark method, or {@code null} if unknown */
    static InputForm inputForm(String method) {
        return ENGINE_FORMS.get(method);
    }

    /**
     * @return {@code null} if the two results may be compared, otherwise why not (for a footnote)
     */
    static String whyNot(RunResult ours, RunResult theirs) {
        if (ours == null || theirs == null) {
            return "not measured";
        }
        BenchmarkParams a = ours.getParams();
        BenchmarkParams b = theirs.getParams();
        // The collections JMH returns compare by identity: compare their elements, in order.
        if (!List.copyOf(a.getJvmArgs()).equals(List.copyOf(b.getJvmArgs()))) {
            return "other JVM options";
        }
        String cold = cold(ours);
        return cold != null ? cold : cold(theirs);
    }

    /**
     * Whether a result was warm while measured. The JIT compiler threads used at most {@value #COLD_SHARE_PERCENT} % of
     * the fork's CPU time during the measurement iterations ({@link JitCpuProfiler}, which the runner attaches to
     * every benchmark; JMH's compiler time over the wall time where it could not measure): the fork was running
     * compiled code. Every JMH benchmark of the runner is CPU-bound in its own JVM (the embedded H2 database too); the
     * sign-ins over PostgreSQL are timed in rounds of their own, judged by {@link #cold(String, double, double,
     * boolean)}.
     *
     * @return {@code null} if warm, otherwise what shows it was not
     */
    static String cold(RunResult result) {
        double share = compileShare(result);
        if (cpuShare(result) < 0) {
            return share * 100 <= COLD_SHARE_PERCENT ? null : String.format(Locale.ROOT,
                    "%s not warm: the JIT compiled for %.0f %% of its measured time", method(result), share * 100);
        }
        return cold(method(result), share, jitOfWall(result), false);
    }

    /**
     * The rule of {@link #cold(RunResult)} on figures measured by other means ({@link JdbcPairedRounds},
     * {@link ScalePairedRounds}, {@link CheckPairedRounds}). For work that mostly waits on another process, it is
     * also warm if the compiler threads' CPU time was at most {@value #WAITING_JIT_WALL_PERCENT} % of the
     * measurement's wall time (a twentieth of one core): such a JVM uses little CPU (a sign-in over PostgreSQL: about a
     * tenth of a core), so the compilations of the harness's own code (the latency buffers, the profiler's reading of
     * {@code /proc}) are a large share of it while they are a few percent of its wall time; a JVM still compiling
     * its measured code is over both limits (with no warm-up, the compiler threads of a PostgreSQL fork used 56 % of
     * its CPU time and 17 % of its wall time).
     *
     * @param label    what was measured, for the reason
     * @param cpuShare the compiler threads' CPU time over the process's, while measured
     * @param ofWall   the compiler threads' CPU time over the wall time, while measured; negative if unknown
     * @param waits    whether the work is mostly in another process
     * @return {@code null} if warm, otherwise what shows it was not
     */
    static String cold(String label, double cpuShare, double ofWall, boolean waits) {
        if (cpuShare * 100 <= COLD_SHARE_PERCENT) {
            return null;
        }
        if (waits && ofWall >= 0 && ofWall * 100 <= WAITING_JIT_WALL_PERCENT) {
            return null;
        }
        return String.format(Locale.ROOT, "%s not warm: the JIT compiler threads used %.0f %% of the fork's CPU "
                + "time while it was measured%s", label, cpuShare * 100, !waits || ofWall < 0 ? ""
                : String.format(Locale.ROOT, " and %.1f %% of its wall time", ofWall * 100));
    }

    /** @return the compiler threads' CPU time over the measurement iterations' wall time, or -1 if not measured */
    @SuppressWarnings("rawtypes")   // JMH's getSecondaryResults() is typed with the raw Result
    static double jitOfWall(RunResult result) {
        Map<String, Result> secondary = result.getSecondaryResults();
        Result<?> compiler = secondary.get(JitCpuProfiler.COMPILER);
        Result<?> wall = secondary.get(JitCpuProfiler.WALL);
        if (compiler == null || wall == null || wall.getScore() <= 0) {
            return -1;
        }
        return compiler.getScore() / wall.getScore();
    }

    /**
     * The JIT's share while measured: the CPU time of the compiler threads over the fork's CPU time during the
     * measurement iterations ({@link JitCpuProfiler}), or, where that was not measured, JMH's compilation time over
     * the iterations' wall time; 0 without either.
     */
    static double compileShare(RunResult result) {
        double cpu = cpuShare(result);
        return cpu >= 0 ? cpu : wallShare(result);
    }

    /** @return the compiler threads' CPU time over the fork's during measurement, or -1 if not measured */
    @SuppressWarnings("rawtypes")   // JMH's getSecondaryResults() is typed with the raw Result
    static double cpuShare(RunResult result) {
        Map<String, Result> secondary = result.getSecondaryResults();
        Result<?> compiler = secondary.get(JitCpuProfiler.COMPILER);
        Result<?> process = secondary.get(JitCpuProfiler.PROCESS);
        if (compiler == null || process == null || process.getScore() <= 0) {
            return -1;
        }
        return compiler.getScore() / process.getScore();
    }

    /**
     * JIT time during the measurement iterations over their wall time (as JMH recorded it for each fork, which on a
     * busy machine can be longer than the iterations' nominal time); 0 without the compiler profiler's figure.
     * HotSpot's figure is the wall time of each compilation, added when it ends: on a loaded machine it overstates.
     */
    static double wallShare(RunResult result) {
        Result<?> compiled = result.getSecondaryResults().get("compiler.time.profiled");
        if (compiled == null) {
            return 0;
        }
        double measuredMillis = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            BenchmarkResultMetaData metadata = fork.getMetadata();
            if (metadata != null && metadata.getStopTime() > metadata.getMeasurementTime()) {
                measuredMillis += metadata.getStopTime() - metadata.getMeasurementTime();
            }
        }
        if (measuredMillis <= 0) {
            BenchmarkParams params = result.getParams();
            measuredMillis = Math.max(1, params.getForks()) * params.getMeasurement().getCount()
                    * params.getMeasurement().getTime().convertTo(TimeUnit.MILLISECONDS);
        }
        return compiled.getScore() / measuredMillis;
    }

    static String method(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        String label = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        for (String key : result.getParams().getParamsKeys()) {
            label += " " + result.getParams().getParam(key);
        }
        return label;
    }
}
