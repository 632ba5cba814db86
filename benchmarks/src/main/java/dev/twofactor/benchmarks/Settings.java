package dev.twofactor.benchmarks;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/** Command-line settings. */
final class Settings {

    boolean shortMode;
    final Set<String> groups = new LinkedHashSet<>(BenchmarkMain.GROUPS);
    String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/test";
    String postgresUser = "postgres";
    boolean postgres = true;
    String commandLine;

    /** JMH forks per benchmark. */
    int forks() {
        return shortMode ? 1 : 2;
    }

    /**
     * JMH warm-up iterations per benchmark, of {@link #iterationMillis()} each. The short mode's one aim is to stay
     * under 5 minutes with the build on 2 cores; the fair-ratio rule withholds what it leaves cold.
     */
    int warmups() {
        return shortMode ? 1 : 3;
    }

    /** JMH measurement iterations per benchmark, of {@link #iterationMillis()} each. */
    int measurements() {
        return shortMode ? 2 : 5;
    }

    long iterationMillis() {
        return shortMode ? 500 : 1000;
    }

    /**
     * Pairs of measured rounds of targets 4 and 5 ({@link JdbcPairedRounds}, {@link ScalePairedRounds}): one round
     * of each kind each (the service's sign-in and its floor; 1,000,000 users and 1,000).
     */
    int jdbcPairs() {
        return shortMode ? 6 : 48;
    }

    /**
     * The length of one round of target 4, in milliseconds: short, so that the two rounds of a pair meet nearly the
     * same load (on the shared 2-core machine, H2 with 8 threads, the ratios of 12 pairs of 1 s rounds ranged from
     * 0.53x to 1.35x), and many of them, so that their median is steady.
     */
    long jdbcRoundMillis() {
        return 250;
    }

    /**
     * Sets of measured rounds of target 3 ({@link CheckPairedRounds}), of {@link #jdbcRoundMillis()} each: one round
     * of each contender per set.
     */
    int checkSets() {
        return shortMode ? 6 : 36;
    }

    /** Unmeasured rounds of targets 3, 4 and 5 before the measured ones (after the full mode's quiet warm-up). */
    int jdbcWarmUpRounds() {
        return 8;
    }

    /** The iterations above in words, e.g. {@code 2 forks, 3 x 1 s warm-up, 5 x 1 s measurement}, for the report. */
    String iterations() {
        String seconds = BigDecimal.valueOf(iterationMillis(), 3).stripTrailingZeros().toPlainString();
        return forks() + (forks() == 1 ? " fork, " : " forks, ") + warmups() + " x " + seconds + " s warm-up, "
                + measurements() + " x " + seconds + " s measurement";
    }

    static Settings parse(String[] args) {
        Settings settings = new Settings();
        StringBuilder command = new StringBuilder("java -jar benchmarks/target/benchmarks.jar");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            command.append(' ').append(arg);
            switch (arg) {
                case "--short" -> settings.shortMode = true;
                case "--no-postgres" -> settings.postgres = false;
                case "--only" -> {
                    settings.groups.clear();
                    for (String group : value(args, ++i, arg).split(",")) {
                        if (!BenchmarkMain.GROUPS.contains(group)) {
                            throw new IllegalArgumentException("Unknown group '" + group + "'; groups: "
                                    + BenchmarkMain.GROUPS);
                        }
                        settings.groups.add(group);
                    }
                    command.append(' ').append(args[i]);
                }
                case "--postgres-url" -> {
                    settings.postgresUrl = value(args, ++i, arg);
                    command.append(' ').append(args[i]);
                }
                case "--postgres-user" -> {
                    settings.postgresUser = value(args, ++i, arg);
                    command.append(' ').append(args[i]);
                }
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'; options: --short, "
                        + "--only GROUPS, --postgres-url URL, --postgres-user USER, --no-postgres");
            }
        }
        settings.commandLine = command.toString();
        return settings;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
