package dev.twofactor.benchmarks;

import java.util.LinkedHashSet;
import java.util.Set;

/** Command-line settings. */
final class Settings {

    /**
     * The short mode's iterations per benchmark, of {@value #SHORT_ITERATION_MS} ms each: its one aim is to stay
     * under 5 minutes with the build on 2 cores; the fair-ratio rule withholds what this leaves cold.
     */
    static final int SHORT_WARMUPS = 1;
    static final int SHORT_MEASUREMENTS = 2;
    static final int SHORT_ITERATION_MS = 500;

    boolean shortMode;
    final Set<String> groups = new LinkedHashSet<>(BenchmarkMain.GROUPS);
    String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/test";
    String postgresUser = "postgres";
    boolean postgres = true;
    String commandLine;

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
