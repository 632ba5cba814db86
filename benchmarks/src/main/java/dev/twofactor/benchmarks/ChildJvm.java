package dev.twofactor.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs a measurement that times its rounds itself ({@link JdbcPairedRounds}, {@link CheckPairedRounds}) in a JVM of
 * its own, with the JVM options the runner chooses (those of the JMH forks, or fewer), and reads back the figures it
 * wrote: the child's {@code main} gets the arguments given here and, last, the path of the properties file to write
 * ({@link #write}).
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code main} in a new JVM, waits for it and returns the figures it wrote.
     *
     * @param label      what runs, for the exception should it fail
     * @param jvmOptions the new JVM's options
     * @param main       the class whose {@code main} runs
     * @param args       its arguments, before the path of the file it writes
     */
    static Properties run(String label, List<String> jvmOptions, Class<?> main, List<String> args) {
        try {
            Path file = Files.createTempFile("twofactor-rounds-", ".properties");
            try {
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
                command.addAll(args);
                command.add(file.toString());
                int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
                if (exit != 0) {
                    throw new IllegalStateException(label + " failed (exit code " + exit + ")");
                }
                Properties figures = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    figures.load(in);
                }
                return figures;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException(label + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Writes the child's figures to the file its last argument names. */
    static void write(String[] args, Properties figures, String comment) throws IOException {
        try (Writer writer = Files.newBufferedWriter(Path.of(args[args.length - 1]))) {
            figures.store(writer, comment);
        }
    }

    /** A figure the child wrote, as a number. */
    static double number(Properties figures, String key) {
        String value = figures.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("The child JVM wrote no figure '" + key + "'");
        }
        return Double.parseDouble(value);
    }

    /** A list of numbers the child wrote with {@link #list}. */
    static double[] numbers(Properties figures, String key) {
        String value = figures.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("The child JVM wrote no figures '" + key + "'");
        }
        String[] parts = value.split(",");
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = Double.parseDouble(parts[i]);
        }
        return numbers;
    }

    /** Numbers as one property value, for {@link #numbers}. */
    static String list(double[] values) {
        StringBuilder list = new StringBuilder();
        for (double value : values) {
            list.append(list.length() == 0 ? "" : ",").append(value);
        }
        return list.toString();
    }
}
