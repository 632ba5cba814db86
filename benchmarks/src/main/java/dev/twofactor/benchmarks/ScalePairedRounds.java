package dev.twofactor.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Target 5, side by side: the sign-in with 1,000,000 enrolled users and with 1,000 ({@link ScaleTable}, each its own
 * tables and pool of one connection on one PostgreSQL), timed in turn in one JVM in pairs of rounds
 * ({@link TimedRounds}), one thread. Measured in JMH forks of their own, the two sizes met different loads: two full
 * runs of the same code two days apart gave p50 0.75x and 1.18x, p99 0.78x and 1.21x, the second a miss. The
 * latencies are every call of the measured rounds of a size; the verdict compares their p50 and their p99.
 *
 * <p>Before the rounds: both tables seeded, each sign-in's statements explained (the plans written for the report),
 * the quiet warm-up (full mode; both sizes in turn), then unmeasured rounds. Runs in a JVM of its own, started by the
 * runner ({@link #run}), and hands its figures back in a properties file ({@link ChildJvm}).
 */
final class ScalePairedRounds {

    /** The sizes compared: the large one first. */
    static final int[] SIZES = {1_000_000, 1_000};

    /**
     * The figures; rates in sign-ins per second, latencies in microseconds, index 0 the large table, 1 the small.
     */
    record Result(double[] rates, double[] p50, double[] p99, long[] calls, double[] pairRatios, double roundSeconds,
                  double jitCpuShare, double jitWallShare) {

        double p50Ratio() {
            return p50[0] / p50[1];
        }

        double p99Ratio() {
            return p99[0] / p99[1];
        }

        double[] range() {
            return new double[] {Arrays.stream(pairRatios).min().orElse(Double.NaN),
                Arrays.stream(pairRatios).max().orElse(Double.NaN)};
        }

        /** {@code null} if the measured rounds ran compiled code, otherwise what shows they did not. */
        String cold() {
            return FairRatios.cold("the target 5 rounds", jitCpuShare, jitWallShare, true);
        }
    }

    private ScalePairedRounds() {
    }

    /**
     * Runs the rounds in a new JVM and returns their figures; the plans are left in {@code reportDir} as
     * {@code plans-<users>.txt}.
     *
     * @param jvmOptions the new JVM's options (those of the JMH forks)
     */
    static Result run(Settings settings, List<String> jvmOptions, String reportDir) {
        System.out.printf(Locale.ROOT, "# Target 5: %d pairs of %d ms rounds%n", settings.jdbcPairs(),
                settings.jdbcRoundMillis());
        Properties figures = ChildJvm.run("The target 5 rounds", jvmOptions, ScalePairedRounds.class,
                List.of(Integer.toString(settings.jdbcPairs()), Long.toString(settings.jdbcRoundMillis()),
                        Integer.toString(settings.jdbcWarmUpRounds()), reportDir));
        double[] rates = new double[2];
        double[] p50 = new double[2];
        double[] p99 = new double[2];
        long[] calls = new long[2];
        for (int i = 0; i < 2; i++) {
            rates[i] = ChildJvm.number(figures, SIZES[i] + ".rate");
            p50[i] = ChildJvm.number(figures, SIZES[i] + ".p50");
            p99[i] = ChildJvm.number(figures, SIZES[i] + ".p99");
            calls[i] = (long) ChildJvm.number(figures, SIZES[i] + ".calls");
        }
        return new Result(rates, p50, p99, calls, ChildJvm.numbers(figures, "pairs"),
                ChildJvm.number(figures, "round.seconds"), ChildJvm.number(figures, "jit.cpu.share"),
                ChildJvm.number(figures, "jit.wall.share"));
    }

    /** {@code pairs roundMillis warmUpRounds reportDir resultFile}. */
    public static void main(String[] args) throws Exception {
        int pairs = Integer.parseInt(args[0]);
        long roundMillis = Long.parseLong(args[1]);
        int warmUpRounds = Integer.parseInt(args[2]);
        String reportDir = args[3];
        try (ScaleTable large = new ScaleTable(SIZES[0], reportDir);
             ScaleTable small = new ScaleTable(SIZES[1], reportDir)) {
            ScaleTable[] tables = {large, small};
            QuietWarmUp.run("verifyCode, 1,000,000 and 1,000 users in turn", 1, (thread, calls) -> {
                for (ScaleTable table : tables) {
                    table.driver().prepare(calls / 2);
                    for (int i = 0; i < calls / 2; i++) {
                        table.verifyCode();
                    }
                    table.driver().checkAllAccepted();
                }
            });
            TimedRounds rounds = new TimedRounds(1, roundMillis,
                    thread -> large.driver().caller(4096, large::verifyCode),
                    thread -> small.driver().caller(4096, small::verifyCode));
            TimedRounds.Pairs measured = rounds.run(warmUpRounds, pairs, "1,000,000 users", "1,000 users");
            Properties figures = new Properties();
            double[][] rates = {measured.firstRates(), measured.secondRates()};
            for (int kind = 0; kind < 2; kind++) {
                long[] all = rounds.merged(kind);
                String key = Integer.toString(SIZES[kind]);
                figures.setProperty(key + ".rate", Double.toString(TimedRounds.median(rates[kind])));
                figures.setProperty(key + ".p50", Double.toString(TimedRounds.percentile(all, 0.50) / 1e3));
                figures.setProperty(key + ".p99", Double.toString(TimedRounds.percentile(all, 0.99) / 1e3));
                figures.setProperty(key + ".calls", Long.toString(all.length));
            }
            figures.setProperty("pairs", ChildJvm.list(measured.ratios()));
            figures.setProperty("round.seconds", Double.toString(roundMillis / 1e3));
            measured.putShares(figures);
            ChildJvm.write(args, figures, "target 5");
        }
    }
}
