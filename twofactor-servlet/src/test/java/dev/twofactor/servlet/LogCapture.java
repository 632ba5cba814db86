package dev.twofactor.servlet;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what the test SLF4J binding (slf4j-simple, configured to look up {@code System.err} on every line, the
 * filter's loggers at DEBUG) writes while a piece of code runs, from any thread, the container's included.
 */
final class LogCapture {

    private LogCapture() {
    }

    /** The result of the action and the log lines written meanwhile. */
    record Captured<T>(T result, String log) {
        long lines() {
            return log.lines().filter(line -> !line.isBlank()).count();
        }
    }

    static <T> Captured<T> during(Supplier<T> action) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        T result;
        try {
            result = action.get();
        } finally {
            System.setErr(original);
        }
        return new Captured<>(result, bytes.toString(StandardCharsets.UTF_8));
    }
}
