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
     * JMH warm-up iterations of 1 s of a JDBC benchmark (after the full mode's quiet warm-up). H2 runs inside the
     * benchmark's JVM, and its own code takes seconds of JIT warm-up; PostgreSQL's work is in its server.
     */
    int jdbcWarmups(boolean h2) {
        return shortMode ? (h2 ? 3 : 2) : (h2 ? 5 : 3);
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
