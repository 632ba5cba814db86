package dev.twofactor.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Target 4, side by side: the service's sign-in over JDBC and its floor ({@link JdbcSignIn}) timed in turn in one JVM,
 * on one pool, over the same users, in rounds of fixed length, so that both meet the same machine: on a shared
 * machine with 2 cores, a service fork and a floor fork run a minute apart met loads that differed by a third, and
 * their ratio swung from 0.74x to 1.15x from one run to the next with the same code. Rounds come in pairs, one of
 * each, in the order service-floor, floor-service, service-floor, ... (so that a load that rises or falls through a
 * pair favours neither); the ratio of a pair is the service round's sign-ins per second over the floor round's, and
 * the verdict is the median of the pairs' ratios.
 *
 * <p>A round: every caller thread takes its driver's codes for the round ({@link SignInUsers.Driver#prepare}), all
 * start together, and each calls in a closed loop (a call starts when its last one ended) until the round's time is
 * up; the round's rate is its calls over the time from the start to the end of its last call. Every call is timed, for
 * the percentiles, which are taken over all the measured rounds of one kind. Before the rounds: the quiet warm-up
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
            return median(pairRatios);
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

    /** What a round times. */
    private enum Kind {
        SERVICE, FLOOR
    }

    private final JdbcSignIn signIn;
    private final int threads;
    private final long roundNanos;
    private final Samples[][] samples;

    private JdbcPairedRounds(JdbcSignIn signIn, int threads, long roundMillis) {
        this.signIn = signIn;
        this.threads = threads;
        this.roundNanos = roundMillis * 1_000_000L;
        this.samples = new Samples[Kind.values().length][threads];
        for (Samples[] kind : samples) {
            for (int t = 0; t < threads; t++) {
                kind[t] = new Samples();
            }
        }
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
            JdbcPairedRounds rounds = new JdbcPairedRounds(signIn, threads, roundMillis);
            for (int r = 0; r < warmUpRounds; r++) {
                rounds.round(r % 2 == 0 ? Kind.SERVICE : Kind.FLOOR, false);
            }
            long[] jitBefore = JitCpuProfiler.sample();
            long start = System.nanoTime();
            double[] serviceRates = new double[pairs];
            double[] floorRates = new double[pairs];
            double[] ratios = new double[pairs];
            for (int k = 0; k < pairs; k++) {
                boolean serviceFirst = k % 2 == 0;
                double first = rounds.round(serviceFirst ? Kind.SERVICE : Kind.FLOOR, true);
                double second = rounds.round(serviceFirst ? Kind.FLOOR : Kind.SERVICE, true);
                serviceRates[k] = serviceFirst ? first : second;
                floorRates[k] = serviceFirst ? second : first;
                ratios[k] = serviceRates[k] / floorRates[k];
                System.out.printf(Locale.ROOT, "# pair %d: service %,.0f/s, floor %,.0f/s, ratio %.3f%n", k + 1,
                        serviceRates[k], floorRates[k], ratios[k]);
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000L;
            long[] jitAfter = JitCpuProfiler.sample();
            Properties figures = new Properties();
            figures.setProperty("service.rate", Double.toString(median(serviceRates)));
            figures.setProperty("floor.rate", Double.toString(median(floorRates)));
            figures.setProperty("pairs", ChildJvm.list(ratios));
            for (Kind kind : Kind.values()) {
                long[] all = rounds.merged(kind);
                String key = kind.name().toLowerCase(Locale.ROOT);
                figures.setProperty(key + ".p50", Double.toString(percentile(all, 0.50) / 1e3));
                figures.setProperty(key + ".p99", Double.toString(percentile(all, 0.99) / 1e3));
                figures.setProperty(key + ".calls", Long.toString(all.length));
            }
            figures.setProperty("round.seconds", Double.toString(roundMillis / 1e3));
            JitCpuProfiler.putShares(figures, jitBefore, jitAfter, wallMillis);
            ChildJvm.write(args, figures, "target 4, " + db + ", " + threads + " threads");
        }
    }

    /**
     * One round of {@code kind} on every caller thread.
     *
     * @param measured whether to keep the calls' latencies
     * @return the round's sign-ins per second
     */
    private double round(Kind kind, boolean measured) throws InterruptedException {
        long[] startAndDeadline = new long[2];
        CyclicBarrier go = new CyclicBarrier(threads, () -> {
            startAndDeadline[0] = System.nanoTime();
            startAndDeadline[1] = startAndDeadline[0] + roundNanos;
        });
        long[] calls = new long[threads];
        long[] lastEnd = new long[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    SignInUsers.Driver driver = signIn.driver(thread);
                    driver.prepare(4096);
                    Samples latencies = measured ? samples[kind.ordinal()][thread] : null;
                    go.await();
                    long deadline = startAndDeadline[1];
                    long end;
                    long n = 0;
                    do {
                        long begin = System.nanoTime();
                        if (kind == Kind.SERVICE) {
                            signIn.verifyCode(driver);
                        } else {
                            signIn.floor(driver);
                        }
                        end = System.nanoTime();
                        n++;
                        if (latencies != null) {
                            latencies.add(end - begin);
                        }
                    } while (end < deadline);
                    calls[thread] = n;
                    lastEnd[thread] = end;
                    driver.checkAllAccepted();
                } catch (Throwable e) { // the barrier's own exceptions too: the round fails with the first cause
                    failure.compareAndSet(null, e);
                    go.reset();
                }
            }, "round-" + kind.name().toLowerCase(Locale.ROOT) + "-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A " + kind + " round failed", failure.get());
        }
        long total = 0;
        long end = 0;
        for (int t = 0; t < threads; t++) {
            total += calls[t];
            end = Math.max(end, lastEnd[t]);
        }
        return total * 1e9 / (end - startAndDeadline[0]);
    }

    private long[] merged(Kind kind) {
        int size = 0;
        for (Samples thread : samples[kind.ordinal()]) {
            size += thread.size;
        }
        long[] all = new long[size];
        int at = 0;
        for (Samples thread : samples[kind.ordinal()]) {
            System.arraycopy(thread.values, 0, all, at, thread.size);
            at += thread.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** The value at quantile {@code q} of sorted values (nearest rank). */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** One thread's latencies of one kind, in nanoseconds. */
    private static final class Samples {
        long[] values = new long[1 << 16];
        int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }
    }
}
