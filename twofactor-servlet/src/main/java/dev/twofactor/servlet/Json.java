package dev.twofactor.servlet;

/**
 * Writes the small flat JSON objects of the filter's API answers. Every string goes through {@link #quote}, which
 * escapes quotes, backslashes, control characters and, so a body can never be read as markup when a browser sniffs
 * it, {@code <}, {@code >}, {@code &} and the JavaScript line separators.
 */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(128).append('{');

    private Json() {
    }

    static Json object() {
        return new Json();
    }

    Json put(String name, String value) {
        if (value != null) {
            separate();
            quote(out, name);
            out.append(':');
            quote(out, value);
        }
        return this;
    }

    Json put(String name, long value) {
        separate();
        quote(out, name);
        out.append(':').append(value);
        return this;
    }

    Json put(String name, boolean value) {
        separate();
        quote(out, name);
        out.append(':').append(value);
        return this;
    }

    Json put(String name, Iterable<String> values) {
        separate();
        quote(out, name);
        out.append(":[");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                out.append(',');
            }
            quote(out, value);
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

    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&' || c == 0x2028
                            || c == 0x2029) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
