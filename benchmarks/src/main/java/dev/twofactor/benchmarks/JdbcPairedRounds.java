package dev.twofactor.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Target 4, side by side: the service's sign-in over JDBC and its floor ({@link JdbcSignIn}) timed in turn in one JVM,
 * on one pool, over the same users, in rounds of fixed length, so that both meet the same machine: on a shared
 * machine with 2 cores, a service fork and a floor fork run a minute apart met loads that differed by a third, and
 * their ratio swung from 0.74x to 1.15x from one run to the next with the same code. Pairs of rounds, service and
 * floor, as {@link TimedRounds} times them; the ratio of a pair is the service round's sign-ins per second over the
 * floor round's, and the verdict is the median of the pairs' ratios. Each caller thread's codes for a round are
 * computed before it starts ({@link SignInUsers.Driver#prepare}). Before the rounds: the quiet warm-up
 * ({@link QuietWarmUp}, the service and the floor in turn, in the full mode), then unmeasured rounds. The JIT's share
 * of the process's CPU time over the measured rounds ({@link JitCpuProfiler#sample()}) tells whether they ran
 * compiled code ({@link FairRatios#cold(String, double, double, boolean)}).
 *
 * <p>Runs in a JVM of its own per database and thread count, started by the runner ({@link #run}) with the JMH forks'
 * options, and hands its figures back in a properties file.
 */
final class JdbcPairedRounds {

    /** The figures of one database and thread count; rates in sign-ins per second, latencies in microseconds. */
    record Result(String db, int threads, double serviceRate, double floorRate, double[] pairRatios,
                  double serviceP50, double serviceP99, double floorP50, double floorP99, long serviceCalls,
                  long floorCalls, double roundSeconds, double jitCpuShare, double jitWallShare) {

        /** The verdict's figure: the median of the pairs' ratios. */
        double ratio() {
            return TimedRounds.median(pairRatios);
        }

        double lowestRatio() {
            return Arrays.stream(pairRatios).min().orElse(Double.NaN);
        }

        double highestRatio() {
            return Arrays.stream(pairRatios).max().orElse(Double.NaN);
        }

        /** {@code null} if the measured rounds ran compiled code, otherwise what shows they did not. */
        String cold() {
            return FairRatios.cold("the " + db + " rounds with " + threads + (threads == 1 ? " thread" : " threads"),
                    jitCpuShare, jitWallShare, db.equals("postgresql"));
        }
    }

    private JdbcPairedRounds() {
    }

    // ------------------------------------------------------------------------------------------------ the runner

    /**
     * Runs the rounds of {@code db} with {@code threads} callers in a new JVM and returns their figures.
     *
     * @param jvmOptions the new JVM's options (those of the JMH forks)
     */
    static Result run(Settings settings, String db, int threads, List<String> jvmOptions) {
        System.out.printf(Locale.ROOT, "# Target 4: %s, %d thread%s, %d pairs of %d ms rounds%n", db, threads,
                threads == 1 ? "" : "s", settings.jdbcPairs(), settings.jdbcRoundMillis());
        Properties figures = ChildJvm.run("The rounds of " + db + " with " + threads + " threads", jvmOptions,
                JdbcPairedRounds.class, List.of(db, Integer.toString(threads), Integer.toString(settings.jdbcPairs()),
                        Long.toString(settings.jdbcRoundMillis()), Integer.toString(settings.jdbcWarmUpRounds())));
        return new Result(db, threads, ChildJvm.number(figures, "service.rate"), ChildJvm.number(figures, "floor.rate"),
                ChildJvm.numbers(figures, "pairs"), ChildJvm.number(figures, "service.p50"),
                ChildJvm.number(figures, "service.p99"), ChildJvm.number(figures, "floor.p50"),
                ChildJvm.number(figures, "floor.p99"), (long) ChildJvm.number(figures, "service.calls"),
                (long) ChildJvm.number(figures, "floor.calls"), ChildJvm.number(figures, "round.seconds"),
                ChildJvm.number(figures, "jit.cpu.share"), ChildJvm.number(figures, "jit.wall.share"));
    }

    // ------------------------------------------------------------------------------------------------- the rounds

    /** {@code db threads pairs roundMillis warmUpRounds resultFile} ({@link ChildJvm}). */
    public static void main(String[] args) throws Exception {
        String db = args[0];
        int threads = Integer.parseInt(args[1]);
        int pairs = Integer.parseInt(args[2]);
        long roundMillis = Long.parseLong(args[3]);
        int warmUpRounds = Integer.parseInt(args[4]);
        try (JdbcSignIn signIn = new JdbcSignIn(db, threads)) {
            QuietWarmUp.run("verifyCode and floor in turn, " + db + " " + threads, threads, (thread, calls) -> {
                SignInUsers.Driver driver = signIn.driver(thread);
                driver.prepare(calls);
                for (int i = 0; i < calls; i++) {
                    if ((i & 1) == 0) {
                        signIn.verifyCode(driver);
                    } else {
                        signIn.floor(driver);
                    }
                }
                driver.checkAllAccepted();
            });
            TimedRounds rounds = new TimedRounds(threads, roundMillis,
                    thread -> signIn.driver(thread).caller(4096, () -> signIn.verifyCode(signIn.driver(thread))),
                    thread -> signIn.driver(thread).caller(4096, () -> signIn.floor(signIn.driver(thread))));
            TimedRounds.Pairs measured = rounds.run(warmUpRounds, pairs, "service", "floor");
            Properties figures = new Properties();
            figures.setProperty("service.rate", Double.toString(TimedRounds.median(measured.firstRates())));
            figures.setProperty("floor.rate", Double.toString(TimedRounds.median(measured.secondRates())));
            figures.setProperty("pairs", ChildJvm.list(measured.ratios()));
            String[] keys = {"service", "floor"};
            for (int kind = 0; kind < 2; kind++) {
                long[] all = rounds.merged(kind);
                figures.setProperty(keys[kind] + ".p50", Double.toString(TimedRounds.percentile(all, 0.50) / 1e3));
                figures.setProperty(keys[kind] + ".p99", Double.toString(TimedRounds.percentile(all, 0.99) / 1e3));
                figures.setProperty(keys[kind] + ".calls", Long.toString(all.length));
            }
            figures.setProperty("round.seconds", Double.toString(roundMillis / 1e3));
            measured.putShares(figures);
            ChildJvm.write(args, figures, "target 4, " + db + ", " + threads + " threads");
        }
    }
}
