package dev.twofactor.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;


/**
 * The sections of the store targets of issue #18 (4: the JDBC sign-in against its floor, 5: flat cost from 1,000 to
 * 1,000,000 users, 6: many nodes on one database), computed from the results of the run; each records its verdict.
 */
final class JdbcResults {

    private final Results results;
    private final Verdicts verdicts;

    JdbcResults(Results results, Verdicts verdicts) {
        this.results = results;
        this.verdicts = verdicts;
    }

    // ---------------------------------------------------------------------------------------------------- target 4

    void appendJdbc(StringBuilder out, List<JdbcPairedRounds.Result> paired,
            Map<String, StatementCount.Count> statements) {
        if (!paired.isEmpty()) {
            JdbcPairedRounds.Result any = paired.get(0);
            out.append(String.format(Locale.ROOT, "%n-- Target 4: TwoFactorService.verifyCode over JdbcTwoFactorStore "
                    + "+ HikariCP (pool size = threads), accepted codes, %d users per thread, against the bare JDBC "
                    + "floor (the same two statements by hand on the same pool, the same users and steps), timed in "
                    + "turn in one JVM: %d pairs of %.0f ms rounds, service and floor%n", JdbcSignIn.USERS_PER_THREAD,
                    any.pairRatios().length, any.roundSeconds() * 1e3));
            out.append(String.format(Locale.ROOT, "%-28s %7s %-8s %16s %12s %12s%n", "database", "threads", "row",
                    "sign-ins/s", "p50 (us)", "p99 (us)"));
        }
        for (String db : new String[] {"postgresql", "h2"}) {
            StatementCount.Count count = statements.get(db);
            String name = db.equals("h2") ? "H2 (embedded, in memory)" : "PostgreSQL (TCP, localhost)";
            for (JdbcPairedRounds.Result result : paired) {
                if (!result.db().equals(db)) {
                    continue;
                }
                int threads = result.threads();
                out.append(String.format(Locale.ROOT, "%-28s %7d %-8s %16s %12s %12s%n", name, threads, "service",
                        Results.count(result.serviceRate()), Results.count(result.serviceP50()),
                        Results.count(result.serviceP99())));
                out.append(String.format(Locale.ROOT, "%-28s %7d %-8s %16s %12s %12s%n", name, threads, "floor",
                        Results.count(result.floorRate()), Results.count(result.floorP50()),
                        Results.count(result.floorP99())));
                String label = name.substring(0, name.indexOf(' ')) + " " + threads + (threads == 1 ? " thread"
                        : " threads");
                String why = result.cold();
                if (why == null && count != null && !count.sameAsFloor()) {
                    why = "the service's statements are not the floor's";
                }
                if (why != null) {
                    out.append(String.format(Locale.ROOT, "%-28s %7d service / floor: no ratio (%s)%n", name,
                            threads, why));
                    verdicts.notRun(4, label + ": " + why);
                } else {
                    String ratio = Results.ratio(result.ratio(), 1);
                    out.append(String.format(Locale.ROOT, "%-28s %7d service / floor: %s, the median of %d pairs "
                            + "(%s to %s); p50 %s, p99 %s of the floor's latency%n", name, threads, ratio,
                            result.pairRatios().length, Results.ratio(result.lowestRatio(), 1),
                            Results.ratio(result.highestRatio(), 1),
                            Results.ratio(result.serviceP50(), result.floorP50()),
                            Results.ratio(result.serviceP99(), result.floorP99())));
                    verdicts.record(4, label + " " + ratio, result.ratio() >= 0.9);
                }
            }
            if (count != null) {
                out.append(String.format(Locale.ROOT, "%s: %.2f statements per sign-in (goal <= 2: %s); the "
                        + "statements are the floor's, word for word: %s%n", name, count.perVerification(),
                        Results.verdict(count.perVerification() <= 2), count.sameAsFloor() ? "yes" : "NO"));
            }
        }
        if (!paired.isEmpty()) {
            out.append("sign-ins/s: the median of the rounds of each row (a round: its calls over the time from its "
                    + "start to the end of its last call, every thread in a closed loop); a pair's ratio: its service "
                    + "round's rate over its floor round's; percentiles over every call of the measured rounds\n");
        }
        if (!statements.isEmpty()) {
            StatementCount.Count any = statements.values().iterator().next();
            out.append("the statements of one successful sign-in (table prefix tf_):\n");
            for (String sql : any.statements()) {
                out.append("  ").append(sql.replaceAll("\\s+", " ").trim()).append('\n');
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- target 5

    void appendScale(StringBuilder out, ScalePairedRounds.Result scale, SortedMap<Integer, String> plans) {
        if (scale == null && plans.isEmpty()) {
            return;
        }
        out.append("\n-- Target 5: the sign-in of target 4 on PostgreSQL, 1 thread, with 1,000,000 and 1,000 enrolled "
                + "users (seeded in bulk; " + ScaleTable.EXERCISED + " of them, spread over the table, sign in), "
                + "timed in turn in one JVM\n");
        if (scale != null) {
            out.append(String.format(Locale.ROOT, "%-22s %16s %12s %12s %10s%n", "enrolled users", "sign-ins/s",
                    "p50 (us)", "p99 (us)", "calls"));
            for (int i = 0; i < 2; i++) {
                out.append(String.format(Locale.ROOT, "%-22s %16s %12s %12s %10s%n",
                        String.format(Locale.ROOT, "%,d", ScalePairedRounds.SIZES[i]), Results.count(scale.rates()[i]),
                        Results.count(scale.p50()[i]), Results.count(scale.p99()[i]),
                        String.format(Locale.ROOT, "%,d", scale.calls()[i])));
            }
            String cold = scale.cold();
            if (cold != null) {
                out.append("1,000,000 / 1,000: no ratio (").append(cold).append(")\n");
            } else {
                out.append(String.format(Locale.ROOT, "1,000,000 / 1,000: p50 %.2fx, p99 %.2fx; sign-ins/s %.2fx, the "
                        + "median of %d pairs of %.0f ms rounds (%.2fx to %.2fx)%n", scale.p50Ratio(), scale.p99Ratio(),
                        TimedRounds.median(scale.pairRatios()), scale.pairRatios().length, scale.roundSeconds() * 1e3,
                        scale.range()[0], scale.range()[1]));
            }
            out.append("sign-ins/s: the median of the rounds of each size; percentiles over every call of its measured "
                    + "rounds\n");
            if (cold != null) {
                verdicts.notRun(5, cold);
            } else {
                verdicts.record(5, String.format(Locale.ROOT, "p50 %.2fx, p99 %.2fx at 1,000,000 users against 1,000",
                        scale.p50Ratio(), scale.p99Ratio()), scale.p50Ratio() <= 1.2 && scale.p99Ratio() <= 1.2);
            }
        } else {
            verdicts.notRun(5, "the rounds did not run");
        }
        // Judged where an index matters: at the largest size. At 1,000 users the backoff table (one row in ten users)
        // fits in one page, which the planner rightly reads whole; those plans are shown for comparison.
        int largest = plans.isEmpty() ? 0 : plans.lastKey();
        for (Map.Entry<Integer, String> entry : plans.entrySet()) {
            String text = entry.getValue();
            boolean indexed = text.contains("all plans use an index: true");
            boolean judged = entry.getKey() == largest;
            out.append(String.format(Locale.ROOT, "plans at %,d users: %s%s%n", entry.getKey(), indexed
                    ? "every statement uses an index" : "NOT every statement uses an index",
                    judged ? "" : " (for comparison; the target is judged on the largest table)"));
            for (String line : text.split("\n")) {
                if (!line.startsWith("users:") && !line.startsWith("all plans")) {
                    out.append("  ").append(line).append('\n');
                }
            }
            if (judged) {
                verdicts.record(5, String.format(Locale.ROOT, "plans at %,d users %s", entry.getKey(),
                        indexed ? "all use an index" : "not all use an index"), indexed);
            }
        }
        if (plans.isEmpty()) {
            verdicts.notRun(5, "no plans were written by the benchmark");
        }
    }

    // ---------------------------------------------------------------------------------------------------- target 6

    void appendNodes(StringBuilder out, List<ManyNodes.Run> runs) {
        if (runs.isEmpty()) {
            return;
        }
        out.append("\n-- Target 6: N service instances (own TwoFactorService, store and HikariCP pool of "
                + ManyNodes.GROUPS + " each) on one PostgreSQL, " + ManyNodes.USERS + " users in " + ManyNodes.GROUPS
                + " groups; each sign-in presents one user's valid code to every node at once\n");
        out.append(String.format(Locale.ROOT, "%5s %14s %14s %10s %8s %12s   %s%n", "nodes", "accepted/s",
                "attempts/s", "races", "double", "none", "CPU: PostgreSQL / this JVM / machine busy"));
        long doubles = 0;
        for (ManyNodes.Run run : runs) {
            doubles += run.doubleAcceptances();
            out.append(String.format(Locale.ROOT, "%5d %14s %14s %,10d %8d %12d   %s / %s / %s%n", run.nodes(),
                    Results.count(run.acceptedPerSecond()), Results.count(run.attemptsPerSecond()), run.races(),
                    run.doubleAcceptances(), run.noAcceptance(), percent(run.postgresCpu()), percent(run.jvmCpu()),
                    percent(run.machineCpu())));
        }
        ManyNodes.Run first = runs.get(0);
        ManyNodes.Run last = runs.get(runs.size() - 1);
        out.append(String.format(Locale.ROOT, "%d nodes: %s the accepted sign-ins/s and %s the attempts/s of %d; %s%n",
                last.nodes(), Results.ratio(last.acceptedPerSecond(), first.acceptedPerSecond()),
                Results.ratio(last.attemptsPerSecond(), first.attemptsPerSecond()), first.nodes(), limit(last)));
        StringBuilder detail = new StringBuilder();
        for (ManyNodes.Run run : runs) {
            detail.append(detail.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "N=%d %d of %,d",
                    run.nodes(), run.doubleAcceptances(), run.races()));
        }
        verdicts.record(6, "double acceptances " + detail, doubles == 0);
    }

    /** Where the limit is, from the CPU shares of the largest run. */
    private static String limit(ManyNodes.Run run) {
        String cost = "each further node adds a losing attempt to every sign-in (its read, the failed compare-and-set, "
                + "the backoff read and the failure count), so the database work per accepted sign-in grows with N";
        if (Double.isNaN(run.postgresCpu())) {
            return cost + "; PostgreSQL does not run on this machine, so its CPU share is unknown";
        }
        String shares = String.format(Locale.ROOT, "at N=%d PostgreSQL used %s of this machine's CPU, the nodes %s, "
                + "the machine was %s busy", run.nodes(), percent(run.postgresCpu()), percent(run.jvmCpu()),
                percent(run.machineCpu()));
        if (run.machineCpu() < 0.9) {
            return cost + "; " + shares + ": the limit is the database's round trips and row locks, not CPU";
        }
        if (run.postgresCpu() + run.jvmCpu() < 0.75 * run.machineCpu()) {
            return cost + "; " + shares + ", mostly by other processes: this run cannot tell where the limit is";
        }
        return cost + "; " + shares + ": the database shares the cores with the nodes, "
                + (run.postgresCpu() >= run.jvmCpu() ? "and takes the larger part: the database is the limit"
                        : "and the nodes take the larger part: the nodes' CPU is the limit");
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
