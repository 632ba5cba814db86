package dev.twofactor.servlet;

import dev.twofactor.internal.web.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the small flat JSON objects of the filter's API answers, and reads the one kind it accepts (a flat object of
 * string fields, such as {@code {"totpCode":"373416"}}). Every string written goes through core's
 * {@link JsonText#quote} (shared with the Spring Security integration), which escapes quotes, backslashes, control
 * characters and, so a body can never be read as markup when a browser sniffs it, {@code <}, {@code >}, {@code &}, DEL
 * and the JavaScript line separators.
 */
final class Json {

    private final StringBuilder out = new StringBuilder(128).append('{');

    private Json() {
    }

    static Json object() {
        return new Json();
    }

    Json put(String name, String value) {
        if (value != null) {
            separate();
            JsonText.quote(out, name);
            out.append(':');
            JsonText.quote(out, value);
        }
        return this;
    }

    Json put(String name, long value) {
        separate();
        JsonText.quote(out, name);
        out.append(':').append(value);
        return this;
    }

    Json put(String name, boolean value) {
        separate();
        JsonText.quote(out, name);
        out.append(':').append(value);
        return this;
    }

    Json put(String name, Iterable<String> values) {
        separate();
        JsonText.quote(out, name);
        out.append(":[");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                out.append(',');
            }
            JsonText.quote(out, value);
            first = false;
        }
        out.append(']');
        return this;
    }

    private void separate() {
        if (out.length() > 1) {
            out.append(',');
        }
    }

    @Override
    public String toString() {
        return out + "}";
    }

    /**
     * Reads a flat JSON object whose values are all strings (RFC 8259 string syntax, escapes included), strictly:
     * anything else (another value type, a nested object, a duplicate name, text after the object) is refused.
     *
     * @param text the body
     * @return the fields in order, or {@code null} if {@code text} is not such an object
     */
    static Map<String, String> parseStringFields(CharSequence text) {
        Reader in = new Reader(text);
        Map<String, String> fields = new LinkedHashMap<>();
        in.skipWhitespace();
        if (!in.take('{')) {
            return null;
        }
        in.skipWhitespace();
        if (in.take('}')) {
            return in.atEndAfterWhitespace() ? fields : null;
        }
        while (true) {
            in.skipWhitespace();
            String name = in.string();
            in.skipWhitespace();
            if (name == null || !in.take(':')) {
                return null;
            }
            in.skipWhitespace();
            String value = in.string();
            if (value == null || fields.putIfAbsent(name, value) != null) {
                return null;
            }
            in.skipWhitespace();
            if (in.take('}')) {
                return in.atEndAfterWhitespace() ? fields : null;
            }
            if (!in.take(',')) {
                return null;
            }
        }
    }

    /** A cursor over the text being parsed. */
    private static final class Reader {
        private final CharSequence text;
        private int at;

        Reader(CharSequence text) {
            this.text = text;
        }

        void skipWhitespace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        boolean take(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        boolean atEndAfterWhitespace() {
            skipWhitespace();
            return at == text.length();
        }

        /** A string at the cursor, or {@code null}. */
        String string() {
            if (!take('"')) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    return null;
                }
                char escape = text.charAt(at++);
                switch (escape) {
                    case '"', '\\', '/' -> out.append(escape);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            return null;
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(text.charAt(at++), 16);
                            if (digit < 0) {
                                return null;
                            }
                            code = code * 16 + digit;
                        }
                        out.append((char) code);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
