package dev.twofactor.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The verdicts of issue #18's targets 2 and 3, like for like: the engine with the secret given per call against the
 * peers given the same input (Base32 text against java-totp and GoogleAuth; the key's bytes against Keycloak and
 * java-otp), with and without {@code --add-opens}, and the complete secure check against java-otp looped over the
 * whole window, with the parts of the check measured alone beside it. Self-contained: it reads the run's results by
 * benchmark name, so that the runner calls it from one line.
 */
final class PerCallTargets {

    private static final String ENGINE = TotpVerifyBenchmark.class.getName() + ".";
    private static final String SERVICE = ServiceVerifyBenchmark.class.getName() + ".";
    private static final String PARTS = SignInPartsBenchmark.class.getName() + ".";
    private static final String[] CASES = {"CURRENT", "PREVIOUS", "WRONG"};

    /** Target 2's allocation bound, bytes per verification. */
    static final double MAX_BYTES = 1024;

    private final Collection<RunResult> results;
    private final StringBuilder out;
    private final Verdicts verdicts;
    /** Why results the current target reads were not warm ({@link FairRatios#cold}): then it prints no verdict. */
    private final List<String> cold = new ArrayList<>();

    private final List<CheckPairedRounds.Result> checkRounds;

    private PerCallTargets(Collection<RunResult> results, List<CheckPairedRounds.Result> checkRounds,
                           StringBuilder out, Verdicts verdicts) {
        this.results = results;
        this.checkRounds = checkRounds;
        this.out = out;
        this.verdicts = verdicts;
    }

    /**
     * Appends the tables and verdicts of targets 2 and 3, or nothing when the run has neither group.
     *
     * @param out      the report
     * @param results     every result of the run
     * @param checkRounds target 3's rounds side by side ({@link CheckPairedRounds}), which its verdicts are judged on
     * @param verdicts    where the verdicts of targets 2 and 3 are recorded (not run when a result they read was cold)
     */
    static void append(StringBuilder out, Collection<RunResult> results, List<CheckPairedRounds.Result> checkRounds,
                       Verdicts verdicts) {
        PerCallTargets targets = new PerCallTargets(results, checkRounds, out, verdicts);
        targets.target2();
        targets.target3();
    }

    // --------------------------------------------------------------------------------------------------- target 2

    private void target2() {
        if (find(ENGINE + "twofactorBytesPerCall", "CURRENT") == null
                && find(ENGINE + "twofactorBase32PerCall", "CURRENT") == null) {
            return;
        }
        out.append("\n-- Target 2 (issue #18): the secret given per call, like for like; verifications/s (B/op)\n");
        out.append(String.format(Locale.ROOT, "%-52s %18s %18s %18s%n", "", "CURRENT", "PREVIOUS", "WRONG"));
        String[][] base32Peers = {{"javaTotp", "java-totp 1.7.1 (Base32 per call)"},
            {"googleAuth", "GoogleAuth 1.5.0 (Base32 per call)"}};
        String[][] bytesPeers = {{"keycloak", "Keycloak 26.7.3 (bytes per call)"},
            {"javaOtp", "java-otp 0.4.0, first match (SecretKeySpec)"},
            {"javaOtpWholeWindow", "java-otp 0.4.0, whole window (SecretKeySpec)"},
            {"jceFloor", "JCE floor (SecretKeySpec; not a peer)"}};
        List<String> missed = new ArrayList<>();
        List<String> met = new ArrayList<>();
        List<String> constantTimeMissed = new ArrayList<>();
        cold.clear();
        compare("twofactorBase32PerCall", "twofactor, Base32 per call", base32Peers, missed, met, constantTimeMissed);
        compare("twofactorBytesPerCall", "twofactor, bytes per call", bytesPeers, missed, met, constantTimeMissed);
        out.append(String.format(Locale.ROOT, "Target 2, the secret given per call >= 1.0x the fastest peer given the "
                + "same input (every case, with and without --add-opens) and <= %.0f B/op: %s -> %s%n", MAX_BYTES,
                missed.isEmpty() ? String.join("; ", met) : "missed on " + String.join("; ", missed),
                !cold.isEmpty() ? "NOT RUN (a result was not warm; the verdicts below say which)"
                        : missed.isEmpty() && !met.isEmpty() ? "MET" : "MISSED"));
        if (!cold.isEmpty()) {
            verdicts.notRun(2, "no ratio judged, a result was not warm: " + String.join("; ", cold));
        } else if (missed.isEmpty() && !met.isEmpty()) {
            verdicts.record(2, String.join("; ", met), true);
        } else {
            verdicts.record(2, "missed on " + String.join("; ", missed), false);
        }
        StringBuilder held = new StringBuilder();
        for (String c : CASES) {
            RunResult ours = find(ENGINE + "twofactor", c);
            RunResult theirs = find(ENGINE + "otpJava", c);
            held.append(held.length() == 0 ? "" : ", ").append(c).append(' ').append(ours == null || theirs == null
                    ? "-" : String.format(Locale.ROOT, "%.2fx", median(ours) / median(theirs)));
        }
        out.append("  a held TotpSecret against otp-java 2.1.0's generator held per user: ").append(held).append('\n');
        out.append(String.format(Locale.ROOT, "  (for information, not the target: the same against the peers that "
                + "compute the whole window, i.e. without java-otp's first match: %s)%n",
                constantTimeMissed.isEmpty() ? "MET" : "MISSED on " + String.join("; ", constantTimeMissed)));
        compressionFloor2(bytesPeers);
    }

    // -------------------------------------------------------------------------------- the floor of targets 2, 3

    /**
     * SHA-1 compressions a constant-time check of a window of one step either side needs from raw key bytes: with
     * midstates (the engine with {@code --add-opens}) and over {@code MessageDigest}, which cannot resume from one.
     */
    static final int[] COMPRESSIONS = {8, 12};

    private static final String COMPRESSION = Sha1CompressionBenchmark.class.getName() + ".";

    /** The floors, measured whole ({@link Sha1CompressionBenchmark#window}, {@code windowMessageDigest}). */
    private static final String[] FLOORS = {"window", "windowMessageDigest"};

    private double nanosOf(String method) {
        RunResult result = find(COMPRESSION + method, null);
        return result == null ? Double.NaN : 1e9 / median(result);
    }

    /** @return ns of the floor with the flag (0) and without (1), measured whole; NaN if not run */
    private double[] floors() {
        return new double[] {nanosOf(FLOORS[0]), nanosOf(FLOORS[1])};
    }

    /** The lowest time any constant-time check from raw bytes could take, and the ratio it would give target 2. */
    private void compressionFloor2(String[][] bytesPeers) {
        double[] floors = floors();
        if (Double.isNaN(floors[0]) && Double.isNaN(floors[1])) {
            return;
        }
        double one = nanosOf("implCompress");
        out.append(String.format(Locale.ROOT, "  floor: one SHA-1 block compression by the JDK %.1f ns%s (from the "
                + "state the last one left), %.1f ns%s (each from a fixed state), %.1f ns%s (over a block holding the "
                + "last result, as HMAC's outer hash), %.1f ns%s (MessageDigest); a constant-time +-1 check from raw "
                + "key bytes, its compressions measured whole with their dependencies: %d with --add-opens %.0f ns%s "
                + "(%d x one: %.0f ns), %d through MessageDigest without %.0f ns%s (%d x one: %.0f ns)%n", one,
                coldMark(COMPRESSION + "implCompress"), nanosOf("independent"), coldMark(COMPRESSION + "independent"),
                nanosOf("chained"), coldMark(COMPRESSION + "chained"), nanosOf("messageDigest"),
                coldMark(COMPRESSION + "messageDigest"), COMPRESSIONS[0], floors[0], coldMark(COMPRESSION + FLOORS[0]),
                COMPRESSIONS[0], COMPRESSIONS[0] * one, COMPRESSIONS[1], floors[1],
                coldMark(COMPRESSION + FLOORS[1]), COMPRESSIONS[1], COMPRESSIONS[1] * nanosOf("messageDigest")));
        StringBuilder line = new StringBuilder();
        for (int variant = 0; variant < 2; variant++) {
            line.append(variant == 0 ? "  at that floor, against the fastest bytes peer: with --add-opens "
                    : "; without ");
            for (int c = 0; c < CASES.length; c++) {
                double fastest = Double.NaN;
                for (String[] peer : bytesPeers) {
                    RunResult result = peer[0].equals("jceFloor") ? null : find(ENGINE + peer[0], CASES[c]);
                    if (result != null && !(median(result) <= fastest)) {
                        fastest = median(result);
                    }
                }
                line.append(c == 0 ? "" : ", ").append(CASES[c]).append(' ').append(String.format(Locale.ROOT,
                        "%.2fx", 1e9 / floors[variant] / fastest));
            }
        }
        out.append(line).append(" (goal 1.0x; a ratio under it there means no constant-time check can meet it)\n");
    }

    /**
     * The same for target 3: the check's TOTP part alone at the floor, and with its other parts as measured, against
     * the peer as measured beside the service in the JVM with and without the opens ({@code peerRates}).
     */
    private void compressionFloor3(double[] peerRates, double[] others) {
        double[] floors = floors();
        double[] goals = {1.5, 1.0};
        for (int variant = 0; variant < 2; variant++) {
            double floor = floors[variant];
            double peerNanos = 1e9 / peerRates[variant];
            if (Double.isNaN(floor) || Double.isNaN(peerNanos)) {
                continue;
            }
            String withOthers = Double.isNaN(others[variant]) ? "" : String.format(Locale.ROOT,
                    "; with the other parts as measured (%.0f ns) %.2fx", others[variant],
                    peerNanos / (floor + others[variant]));
            out.append(String.format(Locale.ROOT, "  floor %-16s %d SHA-1 compressions%s measured whole %4.0f ns: "
                    + "%.2fx the peer beside the service (%.0f ns)%s; goal %.1fx%n",
                    variant == 0 ? "with --add-opens" : "without",
                    COMPRESSIONS[variant], variant == 0 ? "" : " (MessageDigest)", floor, peerNanos / floor,
                    peerNanos, withOthers, goals[variant]));
        }
    }

    /** {@code " (not warm)"} when the result of a benchmark was still being compiled while measured. */
    private String coldMark(String benchmark) {
        RunResult result = find(benchmark, null);
        return result != null && FairRatios.cold(result) != null ? " (not warm)" : "";
    }

    /**
     * One input form: our rows with and without the flag, the peers, and the ratios to the fastest peer; a peer
     * that stops at its first match ({@code javaOtp}) computes one HMAC for a current code where a constant-time
     * check computes three, so the ratios to the fastest peer that computes the whole window are noted too.
     */
    private void compare(String ours, String label, String[][] peers, List<String> missed, List<String> met,
                         List<String> constantTimeMissed) {
        double[] with = row(ENGINE + ours, label + ", --add-opens");
        double[] without = row(ENGINE + ours + "WithoutOpens", label + ", JVM without --add-opens");
        double[][] peerScores = new double[peers.length][];
        for (int p = 0; p < peers.length; p++) {
            peerScores[p] = row(ENGINE + peers[p][0], "  " + peers[p][1]);
        }
        for (int variant = 0; variant < 2; variant++) {
            double[] scores = variant == 0 ? with : without;
            String tag = label + (variant == 0 ? "" : " without --add-opens");
            StringBuilder ratios = new StringBuilder();
            for (int c = 0; c < CASES.length; c++) {
                int fastest = -1;
                for (int p = 0; p < peers.length; p++) {
                    boolean floor = peers[p][0].equals("jceFloor");
                    if (!floor && !Double.isNaN(peerScores[p][c])
                            && (fastest < 0 || peerScores[p][c] > peerScores[fastest][c])) {
                        fastest = p;
                    }
                }
                if (fastest < 0 || Double.isNaN(scores[c])) {
                    missed.add(tag + " " + CASES[c] + " (not measured)");
                    continue;
                }
                int fastestWhole = -1;
                for (int p = 0; p < peers.length; p++) {
                    boolean skip = peers[p][0].equals("jceFloor") || peers[p][0].equals("javaOtp");
                    if (!skip && !Double.isNaN(peerScores[p][c])
                            && (fastestWhole < 0 || peerScores[p][c] > peerScores[fastestWhole][c])) {
                        fastestWhole = p;
                    }
                }
                if (fastestWhole >= 0 && scores[c] / peerScores[fastestWhole][c] < 1.0) {
                    constantTimeMissed.add(tag + " " + CASES[c] + String.format(Locale.ROOT, " %.2fx ",
                            scores[c] / peerScores[fastestWhole][c]) + peers[fastestWhole][1]);
                }
                double r = scores[c] / peerScores[fastest][c];
                ratios.append(c == 0 ? "" : ", ").append(CASES[c]).append(' ')
                        .append(String.format(Locale.ROOT, "%.2fx", r));
                if (r < 1.0) {
                    missed.add(tag + " " + CASES[c] + String.format(Locale.ROOT, " %.2fx ", r) + peers[fastest][1]);
                }
            }
            out.append(String.format(Locale.ROOT, "  ratio %s / fastest peer: %s%n", tag, ratios));
            met.add(tag + " " + ratios);
        }
        for (int variant = 0; variant < 2; variant++) {
            String name = ENGINE + ours + (variant == 0 ? "" : "WithoutOpens");
            for (String c : CASES) {
                RunResult result = find(name, c);
                double bytes = result == null ? Double.NaN : allocation(result);
                if (!(bytes <= MAX_BYTES)) {
                    missed.add(name.substring(ENGINE.length()) + " " + c + " allocates "
                            + String.format(Locale.ROOT, "%.0f B/op", bytes));
                }
            }
        }
    }

    private double[] row(String benchmark, String label) {
        double[] scores = new double[CASES.length];
        out.append(String.format(Locale.ROOT, "%-52s", label));
        for (int c = 0; c < CASES.length; c++) {
            RunResult result = find(benchmark, CASES[c]);
            scores[c] = result == null ? Double.NaN : median(result);
            String why = result == null ? null : FairRatios.cold(result);
            if (why != null) {
                cold.add(why);
            }
            out.append(String.format(Locale.ROOT, " %18s", result == null ? "-"
                    : Results.count(scores[c]) + " (" + Math.round(allocation(result)) + ")"));
        }
        out.append('\n');
        return scores;
    }

    // --------------------------------------------------------------------------------------------------- target 3

    private void target3() {
        RunResult none = find(SERVICE + "verifyCode", "NONE");
        RunResult audit = find(SERVICE + "verifyCode", "AUDIT_LOG");
        RunResult without = find(SERVICE + "verifyCodeWithoutOpens", "NONE");
        if (none == null && audit == null && without == null && checkRounds.isEmpty()) {
            return;
        }
        RunResult peer = find(ENGINE + "javaOtpWholeWindow", "CURRENT");
        double peerScore = peer == null ? Double.NaN : median(peer);
        out.append("\n-- Target 3 (issue #18): the complete secure check against java-otp 0.4.0 looped over the whole "
                + "window (current codes), timed in turn in one JVM with --add-opens and in one without\n");
        CheckPairedRounds.Result withOpens = null;
        CheckPairedRounds.Result withoutOpens = null;
        for (CheckPairedRounds.Result result : checkRounds) {
            String label = result.opens() ? "with --add-opens" : "without --add-opens";
            String why = result.cold();
            if (why != null) {
                out.append(String.format(Locale.ROOT, "%-22s %d sets of %.0f ms rounds: no ratio (%s)%n", label,
                        result.sets(), result.roundSeconds() * 1e3, why));
            } else {
                out.append(String.format(Locale.ROOT, "%-22s %d sets of %.0f ms rounds: java-otp whole window %s/s, "
                        + "listener NONE %s/s (%.2fx)%s; the sets' ratios %.2fx to %.2fx%n", label, result.sets(),
                        result.roundSeconds() * 1e3, Results.count(result.peerRate()),
                        Results.count(result.noneRate()), TimedRounds.median(result.noneRatios()), result.opens()
                                ? String.format(Locale.ROOT, ", default audit log %s/s (%.2fx)",
                                        Results.count(result.auditRate()),
                                        TimedRounds.median(result.auditRatios())) : "",
                        result.range()[0], result.range()[1]));
            }
            if (result.opens()) {
                withOpens = result;
            } else {
                withoutOpens = result;
            }
        }
        verdict3("with --add-opens (the slower of listener NONE and the default audit log)", withOpens, 1.5);
        verdict3("in a JVM without --add-opens (listener NONE)", withoutOpens, 1.0);
        out.append("(a service's ratio: the median over the sets of its round's checks per second over the peer's "
                + "round's in the same set; the JMH rows above, from forks of their own, for comparison:");
        double withFlag = Double.NaN;
        for (RunResult result : new RunResult[] {none, audit}) {
            if (result != null) {
                withFlag = Double.isNaN(withFlag) ? median(result) : Math.min(withFlag, median(result));
            }
        }
        double withoutFlag = without == null ? Double.NaN : median(without);
        boolean warm = true;
        for (RunResult result : new RunResult[] {none, audit, without, peer}) {
            warm &= result == null || FairRatios.cold(result) == null;
        }
        out.append(String.format(Locale.ROOT, " %s)%n", warm ? Results.ratio(withFlag, peerScore) + " with, "
                + Results.ratio(withoutFlag, peerScore) + " without" : "none, a result was not warm"));
        breakdown(withFlag, withoutFlag, new double[] {withOpens == null ? Double.NaN : withOpens.peerRate(),
            withoutOpens == null ? Double.NaN : withoutOpens.peerRate()});
    }

    private void verdict3(String label, CheckPairedRounds.Result rounds, double goal) {
        String why = rounds == null ? null : rounds.cold();
        double ratio = rounds == null ? Double.NaN : rounds.ratio();
        out.append(String.format(Locale.ROOT, "Target 3, verifyCode %s >= %.1fx the peer beside it: %s -> %s%n", label,
                goal, rounds == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio),
                rounds == null ? "n/a (the service group's rounds did not run)"
                        : why != null ? "NOT RUN (" + why + ")" : ratio >= goal ? "MET" : "MISSED"));
        if (rounds == null) {
            verdicts.notRun(3, label + ": the service group's rounds did not run");
        } else if (why != null) {
            verdicts.notRun(3, label + ": no ratio judged: " + why);
        } else {
            verdicts.record(3, String.format(Locale.ROOT, "verifyCode %s: %.2fx java-otp's whole window beside it "
                    + "(goal %.1fx)", label, ratio, goal), ratio >= goal);
        }
    }

    /** Where the check's time goes: each part measured alone, and what they leave over. */
    private void breakdown(double withFlag, double withoutFlag, double[] peerRates) {
        double read = nanos(PARTS + "storeRead");
        RunResult openResult = find(SecretOpenBenchmark.class.getName() + ".open", null);
        double openFlag = openResult == null ? Double.NaN : 1e9 / median(openResult);
        RunResult openWithout = find(SecretOpenBenchmark.class.getName() + ".openWithoutOpens", null);
        double openNoFlag = openWithout == null ? Double.NaN : 1e9 / median(openWithout);
        double totp = nanos(PARTS + "totpKeyPerCall");
        RunResult totpWithout = find(ENGINE + "twofactorBytesPerCallWithoutOpens", "CURRENT");
        double totpNoFlag = totpWithout == null ? Double.NaN : 1e9 / median(totpWithout);
        double cas = nanos(PARTS + "stepCompareAndSet");
        double event = nanos(PARTS + "event");
        if (Double.isNaN(read) && Double.isNaN(openFlag)) {
            compressionFloor3(peerRates, new double[] {Double.NaN, Double.NaN});
            return;
        }
        double[] others = {Double.NaN, Double.NaN};
        out.append("where one check's time goes (ns; each part measured alone, 4096 users round robin):\n");
        for (int variant = 0; variant < 2; variant++) {
            double whole = 1e9 / (variant == 0 ? withFlag : withoutFlag);
            double hmac = variant == 0 ? totp : totpNoFlag;
            double open = variant == 0 ? openFlag : openNoFlag;
            if (Double.isNaN(whole)) {
                continue;
            }
            double rest = whole - read - open - hmac - cas - event;
            others[variant] = whole - hmac;
            out.append(String.format(Locale.ROOT, "  %-22s whole %6.0f = store read %4.0f + AES-GCM open %4.0f + "
                    + "TOTP key per call %4.0f + step CAS %4.0f + event %4.0f + rest %4.0f%n",
                    variant == 0 ? "with --add-opens" : "without --add-opens", whole, read, open, hmac, cas, event,
                    rest));
        }
        compressionFloor3(peerRates, others);
    }

    private double nanos(String benchmark) {
        RunResult result = find(benchmark, null);
        return result == null ? Double.NaN : median(result);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The result of a benchmark, with its one parameter ({@code code} or {@code listener}) equal to {@code value}. */
    private RunResult find(String benchmark, String value) {
        for (RunResult result : results) {
            var params = result.getParams();
            if (params.getBenchmark().equals(benchmark) && (value == null
                    || value.equals(params.getParam("code")) || value.equals(params.getParam("listener")))) {
                return result;
            }
        }
        return null;
    }

    private static double median(RunResult result) {
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static double allocation(RunResult result) {
        Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? Double.NaN : norm.getScore();
    }
}
