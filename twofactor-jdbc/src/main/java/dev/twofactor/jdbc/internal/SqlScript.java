package dev.twofactor.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the schema scripts shipped as resources. Their format is deliberately plain: {@code --} comment lines, and
 * statements that end with a semicolon at the end of a line.
 */
public final class SqlScript {

    private SqlScript() {
    }

    /**
     * @param resource a class-path resource of this module, e.g. {@code dev/twofactor/jdbc/schema-h2.sql}
     * @return its text
     */
    public static String load(String resource) {
        // Module#getResourceAsStream finds the module's own resources both on the module path and on the class path.
        try (InputStream in = SqlScript.class.getModule().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }

    /**
     * @param script script text
     * @return its statements, without comments and without the final semicolons
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
