package dev.twofactor.jdbc.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The table prefix is the only text spliced into SQL, so it is checked against a strict pattern before use.
 */
public final class TablePrefix {

    /** The longest prefix: PostgreSQL truncates identifiers at 63 bytes, and index names add up to 25 characters. */
    public static final int MAX_LENGTH = 32;

    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TablePrefix() {
    }

    /**
     * @param prefix a table prefix
     * @return the prefix
     * @throws IllegalArgumentException unless it matches {@code [A-Za-z_][A-Za-z0-9_]*} and has at most
     *                                  {@value #MAX_LENGTH} characters
     */
    public static String validate(String prefix) {
        Objects.requireNonNull(prefix, "tablePrefix");
        if (prefix.length() > MAX_LENGTH || !VALID.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Table prefix must match [A-Za-z_][A-Za-z0-9_]* and have at most "
                    + MAX_LENGTH + " characters");
        }
        return prefix;
    }

    /**
     * @param sql SQL text with {@code ${prefix}} placeholders
     * @param prefix a validated prefix
     * @return the text with the placeholders replaced
     */
    public static String apply(String sql, String prefix) {
        return sql.replace("${prefix}", prefix);
    }
}
