package dev.twofactor.internal;

/**
 * ASCII-only text helpers for protocol tokens.
 *
 * <p>{@code String.equalsIgnoreCase} folds all of Unicode, so it would accept for example the Latin long s
 * ({@code "ſha1"}) or the Kelvin sign as spellings of ASCII tokens. Protocol tokens are ASCII; folding only
 * {@code A-Z}/{@code a-z} keeps one spelling per token (up to case).
 */
public final class Ascii {

    private Ascii() {
    }

    /**
     * Compares two strings, treating ASCII letters of different case as equal and every other character exactly.
     *
     * @param a a string
     * @param b another string
     * @return whether they are equal up to ASCII case
     */
    public static boolean equalsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (toLowerCase(a.charAt(i)) != toLowerCase(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lower-cases an ASCII letter and leaves every other character alone.
     *
     * @param c a character
     * @return the character, lower-cased if it is {@code A-Z}
     */
    public static char toLowerCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Parses a non-negative decimal {@code int} written in ASCII digits only, refusing the signs, spaces and
     * non-ASCII digits that {@code Integer.parseInt} would accept.
     *
     * @param text the text
     * @return the value, or {@code -1} if the text is empty, not all ASCII digits or above {@link Integer#MAX_VALUE}
     */
    public static int parseNonNegativeInt(String text) {
        // Ten digits cover Integer.MAX_VALUE; the bound also keeps the long below from overflowing.
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }
}
