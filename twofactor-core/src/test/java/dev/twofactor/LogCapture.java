package dev.twofactor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the test SLF4J binding (slf4j-simple, configured to look up {@code System.err} on every line) writes
 * while a piece of code runs.
 */
final class LogCapture {

    private LogCapture() {
    }

    static String during(Runnable action) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
