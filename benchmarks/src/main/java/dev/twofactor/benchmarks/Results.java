package dev.twofactor.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import dev.twofactor.SecretHasher;
import dev.twofactor.TotpAlgorithm;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Turns the JMH results of one run into the tables of {@code RESULTS.md}. */
final class Results {

    private static final String ENGINE = TotpVerifyBenchmark.class.getName() + ".";
    private static final String SERVICE = ServiceVerifyBenchmark.class.getName() + ".";
    private static final String RECOVERY = RecoveryCodeBenchmark.class.getName() + ".";

    /** Benchmark method and label of each row of the engine table, ours first. */
    private static final String[][] ENGINE_ROWS = {
        {"twofactor", "twofactor"},
        {"twofactorWithoutOpens", "twofactor, JVM without --add-opens"},
        {"twofactorSecretPerCall", "twofactor, TotpSecret built per call"},
        {"jceFloor", "JCE floor (reused Mac, init per user)"},
        {"javaTotp", "java-totp 1.7.1"},
        {"googleAuth", "GoogleAuth 1.5.0"},
        {"otpJava", "otp-java 2.1.0"},
        {"javaOtp", "java-otp 0.4.0, first match"},
        {"javaOtpWholeWindow", "java-otp 0.4.0, whole window"},
        {"keycloak", "Keycloak 26.7.3 TimeBasedOTP"},
    };

    private static final int FIRST_PEER_ROW = 4;

    private static final int FLOOR_ROW = 3;

    private static final String[] CASES = {"CURRENT", "PREVIOUS", "WRONG"};

    private final Collection<RunResult> results;

    Results(Collection<RunResult> results) {
        this.results = results;
    }

    RunResult find(String benchmark, String param, String value, Mode mode, int threads) {
        for (RunResult result : results) {
            var params = result.getParams();
            if (params.getBenchmark().equals(benchmark)
                    && (param == null || value.equals(params.getParam(param)))
                    && (mode == null || params.getMode() == mode)
                    && (threads == 0 || params.getThreads() == threads)) {
                return result;
            }
        }
        return null;
    }

    static double median(RunResult result) {
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static double allocation(RunResult result) {
        // JMH declares the map with the raw Result type; the wildcard keeps the raw type out of this code.
        Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? Double.NaN : norm.getScore();
    }

    // ------------------------------------------------------------------------------------------------ targets 1, 2

    void appendEngine(StringBuilder out) {
        double[][] score = new double[ENGINE_ROWS.length][CASES.length];
        double[][] bytes = new double[ENGINE_ROWS.length][CASES.length];
        RunResult[][] runs = new RunResult[ENGINE_ROWS.length][CASES.length];
        boolean any = false;
        for (int row = 0; row < ENGINE_ROWS.length; row++) {
            for (int c = 0; c < CASES.length; c++) {
                RunResult result = find(ENGINE + ENGINE_ROWS[row][0], "code", CASES[c], null, 0);
                runs[row][c] = result;
                score[row][c] = result == null ? Double.NaN : median(result);
                bytes[row][c] = result == null ? Double.NaN : allocation(result);
                any |= result != null;
            }
        }
        if (!any) {
            return;
        }
        out.append("\n-- Targets 1 and 2: TOTP verify, HMAC-SHA1, 6 digits, window +-1, 1024 users round robin, "
                + "1 thread\n");
        out.append(String.format(Locale.ROOT, "%-40s %18s %18s %18s   %s%n", "verifications/s (B/op)", "CURRENT",
                "PREVIOUS", "WRONG", "secret given as"));
        for (int row = 0; row < ENGINE_ROWS.length; row++) {
            out.append(String.format(Locale.ROOT, "%-40s", ENGINE_ROWS[row][1]));
            for (int c = 0; c < CASES.length; c++) {
                out.append(String.format(Locale.ROOT, " %18s", withBytes(score[row][c], bytes[row][c])));
            }
            FairRatios.InputForm form = FairRatios.inputForm(ENGINE_ROWS[row][0]);
            out.append("   ").append(form == null ? "?" : form.label).append('\n');
        }

        // Fair ratios only: each peer against the twofactor row given the secret in the same form, in forks with the
        // same JVM options, both warm; anything else is not printed, and the footnotes say why.
        out.append(String.format(Locale.ROOT, "%n%-40s %18s %18s %18s   %s%n", "ratio twofactor / other", "CURRENT",
                "PREVIOUS", "WRONG", "against"));
        List<String> footnotes = new ArrayList<>();
        for (int row = FLOOR_ROW; row < ENGINE_ROWS.length; row++) {
            int like = like(row);
            out.append(String.format(Locale.ROOT, "%-40s", ENGINE_ROWS[row][1]));
            for (int c = 0; c < CASES.length; c++) {
                String why = like < 0 ? "no twofactor row with the same input form"
                        : FairRatios.whyNot(runs[like][c], runs[row][c]);
                if (why == null) {
                    out.append(String.format(Locale.ROOT, " %18s", ratio(score[like][c], score[row][c])));
                } else {
                    footnotes.add(ENGINE_ROWS[row][1] + ", " + CASES[c] + ": " + why);
                    out.append(String.format(Locale.ROOT, " %18s", "n/c [" + footnotes.size() + "]"));
                }
            }
            out.append("   ").append(like < 0 ? "-" : ENGINE_ROWS[like][1]).append('\n');
        }
        for (int i = 0; i < footnotes.size(); i++) {
            out.append("  [").append(i + 1).append("] no ratio: ").append(footnotes.get(i)).append('\n');
        }

        appendTargets(out, score, bytes, runs, 0, "");
        if (!Double.isNaN(score[1][0])) {
            appendTargets(out, score, bytes, runs, 1, " [without --add-opens]");
        }
    }

    /** The twofactor row given the secret in the same form as {@code row}, or -1. */
    private static int like(int row) {
        FairRatios.InputForm form = FairRatios.inputForm(ENGINE_ROWS[row][0]);
        for (String ours : FairRatios.OURS) {
            if (form != null && form == FairRatios.inputForm(ours)) {
                for (int r = 0; r < ENGINE_ROWS.length; r++) {
                    if (ENGINE_ROWS[r][0].equals(ours)) {
                        return r;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * The verdicts of targets 1 and 2 for one of twofactor's rows, against the peers that may be compared with it
     * (the same input form and JVM options, both warm; see {@link FairRatios}).
     */
    private static void appendTargets(StringBuilder out, double[][] score, double[][] bytes, RunResult[][] runs,
                                      int ours, String tag) {
        boolean[][] fair = new boolean[ENGINE_ROWS.length][CASES.length];
        boolean anyFair = false;
        for (int row = FLOOR_ROW; row < ENGINE_ROWS.length; row++) {
            for (int c = 0; c < CASES.length; c++) {
                fair[row][c] = FairRatios.inputForm(ENGINE_ROWS[row][0]) == FairRatios.inputForm(ENGINE_ROWS[ours][0])
                        && FairRatios.whyNot(runs[ours][c], runs[row][c]) == null;
                anyFair |= row >= FIRST_PEER_ROW && fair[row][c];
            }
        }
        if (!anyFair) {
            out.append(String.format(Locale.ROOT, "%nEarlier targets 1a, 1b, 2a%s: not judged: no peer measured "
                    + "with the same input form and JVM options, warm, to compare with%n", tag));
        } else {
            appendPeerTargets(out, score, fair, ours, tag);
        }
        boolean allocationMet = true;
        StringBuilder allocations = new StringBuilder();
        for (int c = 0; c < CASES.length; c++) {
            allocationMet &= bytes[ours][c] <= 100;
            allocations.append(c == 0 ? "" : ", ").append(CASES[c]).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f B/op", bytes[ours][c]));
        }
        out.append(String.format(Locale.ROOT, "Earlier target 2b%s, twofactor allocates <= 100 B/op (-prof gc): %s "
                + "-> %s%n", tag, allocations, verdict(allocationMet)));
    }

    private static void appendPeerTargets(StringBuilder out, double[][] score, boolean[][] fair, int ours,
                                          String tag) {
        int wrong = 2;
        int fastestWrong = fastestPeer(score, fair, wrong);
        if (fastestWrong < 0) {
            out.append(String.format(Locale.ROOT, "%nEarlier target 1a%s, wrong code >= 2.5x the fastest peer: not "
                    + "judged (no comparable peer on a wrong code)%n", tag));
        } else {
            double wrongRatio = score[ours][wrong] / score[fastestWrong][wrong];
            out.append(String.format(Locale.ROOT, "%nEarlier target 1a%s, wrong code >= 2.5x the fastest peer (%s): "
                    + "%s -> %s%n", tag, ENGINE_ROWS[fastestWrong][1], ratio(score[ours][wrong],
                    score[fastestWrong][wrong]), verdict(wrongRatio >= 2.5)));
        }
        List<String> slower = new ArrayList<>();
        double worst = Double.POSITIVE_INFINITY;
        for (int row = FIRST_PEER_ROW; row < ENGINE_ROWS.length; row++) {
            for (int c = 0; c < CASES.length; c++) {
                if (!fair[row][c]) {
                    continue;
                }
                double r = score[ours][c] / score[row][c];
                worst = Math.min(worst, r);
                if (r < 1) {
                    slower.add(ENGINE_ROWS[row][1] + " on " + CASES[c] + " (" + ratio(score[ours][c], score[row][c])
                            + ")");
                }
            }
        }
        out.append(String.format(Locale.ROOT, "Earlier target 1b%s, no case slower than any comparable peer: lowest "
                + "ratio %s -> %s%s%n", tag, String.format(Locale.ROOT, "%.2fx", worst), verdict(slower.isEmpty()),
                slower.isEmpty() ? "" : "; slower than " + String.join(", ", slower)));
        int floor = FLOOR_ROW;
        StringBuilder floorRatios = new StringBuilder();
        boolean floorMet = true;
        boolean floorFair = true;
        for (int c = 0; c < CASES.length; c++) {
            floorFair &= fair[floor][c];
            double r = score[ours][c] / score[floor][c];
            floorMet &= r >= 0.9;
            floorRatios.append(c == 0 ? "" : ", ").append(CASES[c]).append(' ').append(fair[floor][c]
                    ? ratio(score[ours][c], score[floor][c]) : "n/c");
        }
        out.append(String.format(Locale.ROOT, "Earlier target 2a%s, twofactor >= 0.9x the JCE floor: %s -> %s%n", tag,
                floorRatios, floorFair ? verdict(floorMet) : "not judged (not comparable in every case)"));
    }

    /** The comparable peer row with the highest score in a case, or -1. */
    private static int fastestPeer(double[][] score, boolean[][] fair, int c) {
        int best = -1;
        for (int row = FIRST_PEER_ROW; row < score.length; row++) {
            if (fair[row][c] && !Double.isNaN(score[row][c]) && (best < 0 || score[row][c] > score[best][c])) {
                best = row;
            }
        }
        return best;
    }

    /**
     * The fastest peer's verifications per second on a current-step code, or NaN without the engine results; its
     * result in {@code run[0]}.
     */
    private double fastestPeerOnCurrentCode(String[] label, RunResult[] run) {
        double best = Double.NaN;
        for (int row = FIRST_PEER_ROW; row < ENGINE_ROWS.length; row++) {
            RunResult result = find(ENGINE + ENGINE_ROWS[row][0], "code", "CURRENT", null, 0);
            if (result != null && (Double.isNaN(best) || median(result) > best)) {
                best = median(result);
                label[0] = ENGINE_ROWS[row][1];
                run[0] = result;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------------------------------------------- target 3

    void appendService(StringBuilder out) {
        RunResult none = find(SERVICE + "verifyCode", "listener", "NONE", null, 0);
        RunResult audit = find(SERVICE + "verifyCode", "listener", "AUDIT_LOG", null, 0);
        RunResult withoutOpens = find(SERVICE + "verifyCodeWithoutOpens", "listener", "NONE", null, 0);
        if (none == null && audit == null) {
            return;
        }
        out.append("\n-- The complete check (JMH forks): TwoFactorService.verifyCode, in-memory store, AES-256-GCM "
                + "sealed secrets, replay CAS, backoff bookkeeping; every call an accepted code of a fresh (user, "
                + "step), 4096 users, 1 thread; ratios against the earlier target 3's peer\n");
        String[] peer = {"?"};
        RunResult[] peerRun = {null};
        double fastest = fastestPeerOnCurrentCode(peer, peerRun);
        for (RunResult result : new RunResult[] {none, audit, withoutOpens}) {
            if (result == null) {
                continue;
            }
            String label = result == withoutOpens ? "listener NONE, JVM without --add-opens"
                    : result == none ? "listener NONE" : "default audit log (logging off)";
            double score = median(result);
            String why = FairRatios.whyNot(result, peerRun[0]);
            out.append(String.format(Locale.ROOT, "%-40s %18s   earlier target 3, vs the fastest peer's bare "
                    + "check of a current code (%s, %s/s): %s%n", label, withBytes(score, allocation(result)), peer[0],
                    count(fastest),
                    why != null ? "no ratio (" + why + ")"
                            : ratio(score, fastest) + " -> " + verdict(score > fastest)));
        }
        String[][] opens = {{"open", "AES-256-GCM open alone"},
            {"openWithoutOpens", "the same, JVM without --add-opens"}};
        for (String[] row : opens) {
            RunResult open = find(SecretOpenBenchmark.class.getName() + "." + row[0], null, null, null, 0);
            if (open != null) {
                double rate = median(open);
                out.append(String.format(Locale.ROOT, "%-40s %18s   (%.0f ns each, at %s the rate of the fastest "
                        + "peer's whole check)%n", row[1], withBytes(rate, allocation(open)), 1e9 / rate,
                        FairRatios.whyNot(open, peerRun[0]) == null ? ratio(rate, fastest) : "n/c"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- target 5

    void appendRecovery(StringBuilder out) {
        RunResult redeem = find(RECOVERY + "redeemWrongCode", null, null, null, 0);
        RunResult guess = find(RECOVERY + "offlineGuess", null, null, null, 0);
        if (redeem == null && guess == null) {
            return;
        }
        out.append("\n-- Recovery codes (an earlier target 5), default hasher: ")
                .append(RecoveryCodeBenchmark.defaultParameters())
                .append('\n');
        if (redeem != null) {
            double ms = median(redeem);
            out.append(String.format(Locale.ROOT, "worst-case redemption (8 unused codes, wrong code): %.2f ms "
                    + "(goal <= 25 ms) -> %s%n", ms, verdict(ms <= 25)));
        }
        RunResult redeemWithoutOpens = find(RECOVERY + "redeemWrongCodeWithoutOpens", null, null, null, 0);
        if (redeemWithoutOpens != null) {
            double ms = median(redeemWithoutOpens);
            out.append(String.format(Locale.ROOT, "the same, JVM without --add-opens (the JDK's PBKDF2): %.2f ms "
                    + "(goal <= 25 ms) -> %s%n", ms, verdict(ms <= 25)));
        }
        if (guess != null) {
            double cpu = cpuMillisPerGuess();
            out.append(String.format(Locale.ROOT, "one offline guess (one hash check, from HMAC midstates as an "
                    + "attacker's code would): %.2f ms wall (JMH), %.2f ms CPU (thread CPU time over 100 checks in "
                    + "this process%s) (goal >= 1 ms CPU) -> %s%n", median(guess), cpu,
                    TotpAlgorithm.SHA256.midstateHmac() ? "" : ", WITHOUT midstates here", verdict(cpu >= 1)));
        }
    }

    // ---------------------------------------------------------------------------------------------------- target 6

    void appendFilter(StringBuilder out, int requests, long storeCalls) {
        String filter = FilterBenchmark.class.getName() + ".";
        RunResult with = find(filter + "withFilter", null, null, null, 0);
        RunResult without = find(filter + "withoutFilter", null, null, null, 0);
        if (with == null || without == null) {
            return;
        }
        out.append("\n-- Target 6: TwoFactorFilter, GET of a page by a session that passed the challenge; filter "
                + "called directly with minimal request/response/session objects (no container), 1 thread\n");
        double withNs = median(with);
        double withoutNs = median(without);
        out.append(String.format(Locale.ROOT, "per request: %.1f ns with the filter, %.1f ns without -> overhead "
                + "%.1f ns%n", withNs, withoutNs, withNs - withoutNs));
        if (storeCalls >= 0) {
            out.append(String.format(Locale.ROOT, "store calls: %d over %,d requests (counting store wrapper) "
                    + "(goal 0) -> %s%n", storeCalls, requests, verdict(storeCalls == 0)));
        }
    }

    private static double cpuMillisPerGuess() {
        SecretHasher hasher = SecretHasher.pbkdf2();
        String hash = hasher.hash("0123456789");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean sink = false;
        for (int i = 0; i < 30; i++) {
            sink ^= hasher.matches("ABCDEFGHJK", hash);
        }
        int checks = 100;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < checks; i++) {
            sink ^= hasher.matches("ABCDEFGHJK", hash);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (sink) {
            throw new IllegalStateException("A wrong guess matched");
        }
        return cpu / 1e6 / checks;
    }

    // --------------------------------------------------------------------------------------------------- formatting

    private static String withBytes(double score, double bytes) {
        if (Double.isNaN(score)) {
            return "-";
        }
        return Double.isNaN(bytes) ? count(score) : count(score) + " (" + Math.round(bytes) + ")";
    }

    static String count(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%,.1f", value);
    }

    static String ratio(double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", ours / theirs);
    }

    static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }
}
