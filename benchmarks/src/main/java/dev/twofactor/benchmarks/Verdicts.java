package dev.twofactor.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdicts on the targets of issue #18, one section at the end of the report with one line per target: the
 * groups record what they measured ({@link #record}, {@link #notRun}) while their tables are printed, and
 * {@link #append} prints every target 1 to 6, as {@code NOT RUN} with the reason when nothing was recorded for it.
 * A target recorded several times (one line per database, say) is {@code MET} only if every part is, {@code NOT RUN}
 * if any part could not be judged and none was missed.
 */
final class Verdicts {

    /** The targets, in the words, shortened. */
    private static final String[] TARGETS = {
        "filter: zero store statements per request in the steady state of every session state",
        "engine with the secret given per call >= 1.0x the fastest peer given the same input, <= 1 KB/op",
        "complete secure check (verifyCode, in-memory store) >= 1.0x java-otp's whole-window check without "
                + "--add-opens, >= 1.5x with it",
        "JDBC sign-in >= 0.9x the bare JDBC floor, PostgreSQL and H2, 1 and 8 threads",
        "sign-in at 1,000,000 users: p50 and p99 within 1.2x of those at 1,000 (PostgreSQL), every statement's plan "
                + "uses an index",
        "N = 1, 2, 4 service instances with their own pools on one PostgreSQL, 1,000 users: zero double acceptances",
    };

    /** Where the figures of a target without a verdict are, for its placeholder. */
    private static final String[] GROUP_OF = {"filter", "engine", "service", "jdbc", "scale", "nodes"};

    private enum Status { MET, MISSED, NOT_RUN }

    private record Part(String detail, Status status) {
    }

    private final Map<Integer, List<Part>> parts = new TreeMap<>();

    /**
     * @param target 1 to 6
     * @param detail the figures this part is judged on
     * @param met whether this part meets the target
     */
    void record(int target, String detail, boolean met) {
        add(target, new Part(detail, met ? Status.MET : Status.MISSED));
    }

    /**
     * @param target 1 to 6
     * @param why why this part could not be judged in this run
     */
    void notRun(int target, String why) {
        add(target, new Part(why, Status.NOT_RUN));
    }

    private void add(int target, Part part) {
        if (target < 1 || target > TARGETS.length) {
            throw new IllegalArgumentException("No target " + target);
        }
        parts.computeIfAbsent(target, t -> new ArrayList<>()).add(part);
    }

    void append(StringBuilder out) {
        out.append("\n==================== verdicts: the targets of issue #18 ====================\n");
        for (int target = 1; target <= TARGETS.length; target++) {
            List<Part> recorded = parts.getOrDefault(target, List.of());
            out.append(String.format(Locale.ROOT, "Target %d, %s: ", target, TARGETS[target - 1]));
            if (recorded.isEmpty()) {
                out.append(String.format(Locale.ROOT, "-> NOT RUN (no verdict recorded; see the %s group)%n",
                        GROUP_OF[target - 1]));
                continue;
            }
            Status overall = Status.MET;
            List<String> details = new ArrayList<>();
            for (Part part : recorded) {
                if (part.status() == Status.MISSED) {
                    overall = Status.MISSED;
                } else if (part.status() == Status.NOT_RUN && overall == Status.MET) {
                    overall = Status.NOT_RUN;
                }
                details.add(part.status() == Status.NOT_RUN ? "not judged: " + part.detail() : part.detail());
            }
            out.append(String.join("; ", details)).append(" -> ")
                    .append(overall == Status.NOT_RUN ? "NOT RUN" : overall.name()).append('\n');
        }
    }
}
