package dev.twofactor.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.crypto.spec.SecretKeySpec;

/**
 * Target 3, side by side: the complete secure check ({@code verifyCode} on the in-memory store, as
 * {@link ServiceVerifyBenchmark} measures it) and the peer's bare check (java-otp 0.4.0 looped over the whole window,
 * current codes, as {@link TotpVerifyBenchmark#javaOtpWholeWindow} measures it) timed in turn in one JVM, in rounds of
 * fixed length, once in a JVM with both packages opened and once in a JVM without: so each ratio compares the two
 * measured with the same JVM options and under the same load. Measured in separate JMH forks a minute apart, the
 * same code gave 1.09x in one full run and 0.79x in the next (one slow fork of the service).
 *
 * <p>With the packages opened the contenders are the service with the listener {@code NONE}, the service with the
 * default audit log (logging off) and the peer; without, the service with {@code NONE} and the peer. A set is one
 * round of each, in an order that rotates from set to set (so that a load rising or falling through a set favours
 * none); a set's ratio for a service is its round's checks per second over the peer's round's, and the verdict takes
 * the median of the sets' ratios (with the packages opened, the lower of the two services' medians).
 *
 * <p>A round runs on one thread, in a closed loop, reading the clock after every {@value #BATCH} calls until its time
 * is up (unlike {@link TimedRounds}, which times every call for the percentiles: two clock readings per call would
 * add to a check of well under a microsecond a constant that draws every ratio towards 1); its rate is its calls over
 * the time from its start to that last reading. The service's codes for the round are computed before it starts
 * ({@link SignInUsers.Driver#prepare}); every call must be accepted, or the run fails.
 * Before the sets: the quiet warm-up (full mode; {@link QuietWarmUp}), then unmeasured rounds. The JIT's share of the
 * process's CPU time over the sets tells whether they ran compiled code ({@link FairRatios#cold}).
 */
final class CheckPairedRounds {

    /** Calls between two readings of the clock. */
    static final int BATCH = 64;

    /** The figures of one JVM; rates in checks per second. */
    record Result(boolean opens, double peerRate, double noneRate, double auditRate, double[] noneRatios,
                  double[] auditRatios, int sets, double roundSeconds, double jitCpuShare, double jitWallShare) {

        /** The verdict's figure: the median of the sets' ratios, the lower of the two services' with the opens. */
        double ratio() {
            double none = TimedRounds.median(noneRatios);
            return auditRatios.length == 0 ? none : Math.min(none, TimedRounds.median(auditRatios));
        }

        /** The lowest and highest ratio of a set, over both services. */
        double[] range() {
            double[] all = Arrays.copyOf(noneRatios, noneRatios.length + auditRatios.length);
            System.arraycopy(auditRatios, 0, all, noneRatios.length, auditRatios.length);
            return new double[] {Arrays.stream(all).min().orElse(Double.NaN),
                Arrays.stream(all).max().orElse(Double.NaN)};
        }

        /** {@code null} if the measured rounds ran compiled code, otherwise what shows they did not. */
        String cold() {
            return FairRatios.cold("the target 3 rounds " + (opens ? "with" : "without") + " --add-opens",
                    jitCpuShare, jitWallShare, false);
        }
    }

    // ------------------------------------------------------------------------------------------------ the runner

    /**
     * Runs the sets in a new JVM and returns their figures.
     *
     * @param opens      whether the JVM opens both packages ({@link BenchmarkMain#OPENS_ARGS})
     * @param jvmOptions the new JVM's other options
     */
    static Result run(Settings settings, boolean opens, List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        if (opens) {
            options.addAll(List.of(BenchmarkMain.OPENS_ARGS));
        }
        System.out.printf(Locale.ROOT, "# Target 3: %s --add-opens, %d sets of %d ms rounds%n",
                opens ? "with" : "without", settings.checkSets(), settings.jdbcRoundMillis());
        Properties figures = ChildJvm.run("The target 3 rounds " + (opens ? "with" : "without") + " --add-opens",
                options, CheckPairedRounds.class, List.of(Boolean.toString(opens),
                        Integer.toString(settings.checkSets()), Long.toString(settings.jdbcRoundMillis()),
                        Integer.toString(settings.jdbcWarmUpRounds())));
        return new Result(opens, ChildJvm.number(figures, "peer.rate"), ChildJvm.number(figures, "none.rate"),
                opens ? ChildJvm.number(figures, "audit.rate") : Double.NaN, ChildJvm.numbers(figures, "none.ratios"),
                opens ? ChildJvm.numbers(figures, "audit.ratios") : new double[0],
                (int) ChildJvm.number(figures, "sets"), ChildJvm.number(figures, "round.seconds"),
                ChildJvm.number(figures, "jit.cpu.share"), ChildJvm.number(figures, "jit.wall.share"));
    }

    // ------------------------------------------------------------------------------------------------- the rounds

    /** {@code opens sets roundMillis warmUpRounds resultFile} ({@link ChildJvm}). */
    public static void main(String[] args) throws Exception {
        boolean opens = Boolean.parseBoolean(args[0]);
        int sets = Integer.parseInt(args[1]);
        long roundNanos = Long.parseLong(args[2]) * 1_000_000L;
        int warmUpRounds = Integer.parseInt(args[3]);
        BenchmarkMain.checkPaths("the target 3 rounds " + (opens ? "with" : "without") + " --add-opens", !opens);
        List<TimedRounds.Caller> contenders = new ArrayList<>();
        contenders.add(peer());
        contenders.add(service(false));
        if (opens) {
            contenders.add(service(true));
        }
        int kinds = contenders.size();
        QuietWarmUp.run("the target 3 contenders in turn", 1, (thread, calls) -> {
            for (TimedRounds.Caller contender : contenders) {
                contender.prepare();
                for (int i = 0; i < calls / kinds; i++) {
                    contender.call();
                }
                contender.check();
            }
        });
        for (int r = 0; r < warmUpRounds; r++) {
            round(contenders.get(r % kinds), roundNanos);
        }
        long[] jitBefore = JitCpuProfiler.sample();
        long start = System.nanoTime();
        double[][] rates = new double[kinds][sets];
        for (int k = 0; k < sets; k++) {
            for (int j = 0; j < kinds; j++) {
                int kind = (k + j) % kinds;
                rates[kind][k] = round(contenders.get(kind), roundNanos);
            }
            System.out.printf(Locale.ROOT, "# set %d: peer %,.0f/s, listener NONE %,.0f/s%s%n", k + 1, rates[0][k],
                    rates[1][k], opens ? String.format(Locale.ROOT, ", audit log %,.0f/s", rates[2][k]) : "");
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000L;
        long[] jitAfter = JitCpuProfiler.sample();
        Properties figures = new Properties();
        String[] names = {"peer", "none", "audit"};
        for (int kind = 0; kind < kinds; kind++) {
            figures.setProperty(names[kind] + ".rate", Double.toString(TimedRounds.median(rates[kind])));
            if (kind > 0) {
                double[] ratios = new double[sets];
                for (int k = 0; k < sets; k++) {
                    ratios[k] = rates[kind][k] / rates[0][k];
                }
                figures.setProperty(names[kind] + ".ratios", ChildJvm.list(ratios));
            }
        }
        figures.setProperty("sets", Integer.toString(sets));
        figures.setProperty("round.seconds", Double.toString(roundNanos / 1e9));
        JitCpuProfiler.putShares(figures, jitBefore, jitAfter, wallMillis);
        ChildJvm.write(args, figures, "target 3, " + (opens ? "with" : "without") + " --add-opens");
    }

    /** One round of {@code contender}: its calls per second. */
    private static double round(TimedRounds.Caller contender, long roundNanos) throws Exception {
        contender.prepare();
        long start = System.nanoTime();
        long deadline = start + roundNanos;
        long calls = 0;
        long now;
        do {
            for (int i = 0; i < BATCH; i++) {
                contender.call();
            }
            calls += BATCH;
            now = System.nanoTime();
        } while (now < deadline);
        contender.check();
        return calls * 1e9 / (now - start);
    }

    /** java-otp over the whole window, the current code of each of {@link TotpUsers#COUNT} users round robin. */
    private static TimedRounds.Caller peer() {
        TotpUsers users = new TotpUsers();
        SecretKeySpec[] keys = new SecretKeySpec[TotpUsers.COUNT];
        int[] codes = new int[TotpUsers.COUNT];
        for (int i = 0; i < TotpUsers.COUNT; i++) {
            keys[i] = new SecretKeySpec(users.keys[i], "HmacSHA1");
            codes[i] = Integer.parseInt(users.current[i]);
        }
        JavaOtpWindow javaOtp = new JavaOtpWindow();
        return new TimedRounds.Caller() {
            private int next;
            private long rejected;

            @Override
            public void prepare() {
                // The peer's codes are fixed: nothing to compute.
            }

            @Override
            public void call() throws Exception {
                int n = next;
                next = (n + 1) & (TotpUsers.COUNT - 1);
                if (!javaOtp.wholeWindow(keys[n], codes[n])) {
                    rejected++;
                }
            }

            @Override
            public void check() {
                if (rejected != 0) {
                    throw new IllegalStateException("java-otp rejected " + rejected + " current codes");
                }
            }
        };
    }

    /** The service of {@link ServiceVerifyBenchmark}, every call an accepted code of a fresh (user, step). */
    private static TimedRounds.Caller service(boolean auditLog) {
        ServiceVerifyBenchmark.Fixture fixture = ServiceVerifyBenchmark.Fixture.create(auditLog);
        SignInUsers.Driver driver = fixture.users().new Driver(0, ServiceVerifyBenchmark.USERS);
        return driver.caller(1 << 19, () -> fixture.verify(driver));
    }
}
