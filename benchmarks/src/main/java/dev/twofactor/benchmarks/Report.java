package dev.twofactor.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;

/** Prints the machine, the notes and the tables. */
final class Report {
    private final Settings settings;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, StatementCount.Count> statements = new TreeMap<>();
    private final SortedMap<Integer, String> plans = new TreeMap<>();
    private final List<ManyNodes.Run> nodes = new ArrayList<>();
    private final List<JdbcPairedRounds.Result> paired = new ArrayList<>();
    private final List<CheckPairedRounds.Result> checkPaired = new ArrayList<>();
    private ScalePairedRounds.Result scale;
    final Verdicts verdicts = new Verdicts();
    private int filterRequests;
    private long filterStoreCalls = -1;
    private final List<String> lines = new ArrayList<>();
    private String loadAtStart;
    private long startNanos;

    Report(Settings settings) {
        this.settings = settings;
    }

    void note(String note) {
        notes.add(note);
        System.out.println("# note: " + note);
    }

    void storeCalls(int requests, long calls) {
        filterRequests = requests;
        filterStoreCalls = calls;
    }

    /** Lines printed after the tables, as given. */
    void lines(List<String> more) {
        lines.addAll(more);
    }

    void statements(String db, StatementCount.Count count) {
        statements.put(db, count);
    }

    void plans(int users, String text) {
        plans.put(users, text);
    }

    void paired(JdbcPairedRounds.Result result) {
        paired.add(result);
    }

    void scale(ScalePairedRounds.Result result) {
        scale = result;
    }

    void checkPaired(CheckPairedRounds.Result result) {
        checkPaired.add(result);
    }

    void nodes(ManyNodes.Run run) {
        nodes.add(run);
    }

    void start() {
        startNanos = System.nanoTime();
        loadAtStart = loadAverage();
    }

    void finish(List<RunResult> results) {
        Results table = new Results(results);
        StringBuilder out = new StringBuilder();
        out.append("\n==================== twofactor benchmark results ====================\n");
        out.append("date:    ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        out.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(cpuModel()).append(", JDK ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append(")\n");
        out.append("load:    ").append(loadAtStart).append(" at start, ").append(loadAverage())
                .append(" at end (1, 5, 15 min)\n");
        out.append("command: ").append(settings.commandLine).append('\n');
        String rounds = "target 3: " + settings.jdbcWarmUpRounds() + " unmeasured rounds, then "
                + settings.checkSets() + " sets of " + settings.jdbcRoundMillis() + " ms rounds (services, peer) in "
                + "one JVM each with and without --add-opens; target 4: " + settings.jdbcWarmUpRounds()
                + " unmeasured rounds, then " + settings.jdbcPairs() + " pairs of " + settings.jdbcRoundMillis()
                + " ms rounds (service, floor) in one JVM; target 5: the same with 1,000,000 and 1,000 users";
        out.append("mode:    ").append(settings.shortMode
                ? "short (" + settings.iterations() + " per benchmark; " + rounds + ")"
                : "full (" + settings.iterations() + " per benchmark; JDBC and target 3: warm-up until "
                        + String.format(Locale.ROOT, "%,d", QuietWarmUp.MIN_CALLS) + " calls are made and the JIT "
                        + "is quiet, at most " + Groups.QUIET_SECONDS + " s; " + rounds + ")")
                .append('\n');
        out.append("figures: medians of the measurement iterations; ratios are of those medians\n");
        table.appendEngine(out);
        table.appendService(out);
        PerCallTargets.append(out, results, checkPaired, verdicts);
        JdbcResults store = new JdbcResults(table, verdicts);
        store.appendJdbc(out, paired, statements);
        store.appendScale(out, scale, plans);
        store.appendNodes(out, nodes);
        table.appendRecovery(out);
        table.appendFilter(out, filterRequests, filterStoreCalls);
        lines.forEach(line -> out.append(line).append('\n'));
        String[] storeGroups = {"jdbc", "scale", "nodes"};
        for (int i = 0; i < storeGroups.length; i++) {
            if (!settings.groups.contains(storeGroups[i])) {
                verdicts.notRun(4 + i, "the " + storeGroups[i] + " group was not run (--only)");
            }
        }
        verdicts.append(out);
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        out.append(String.format(Locale.ROOT, "run time: %.0f s%n", (System.nanoTime() - startNanos) / 1e9));
        System.out.print(out);
        Path copy = Path.of("benchmarks", "target", "results.txt");
        if (Files.isDirectory(copy.getParent())) {
            try {
                Files.writeString(copy, out.toString());
                System.out.println("(this summary is also in " + copy + ")");
            } catch (IOException e) {
                System.out.println("(could not write " + copy + ": " + e.getMessage() + ")");
            }
        }
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", load);
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the OS name will do.
        }
        return System.getProperty("os.arch") + " " + System.getProperty("os.name");
    }
}
