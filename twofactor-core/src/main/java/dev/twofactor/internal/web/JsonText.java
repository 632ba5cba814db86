package dev.twofactor.internal.web;

/**
 * JSON string quoting for the small answers the web integrations write themselves (the servlet filter's and the
 * Spring Security integration's). One rule in one place: quotes, backslashes and control characters are escaped as
 * RFC 8259 requires, and, so that a body can never be read as markup when a browser sniffs it, {@code <}, {@code >},
 * {@code &}, DEL and the JavaScript line separators U+2028 and U+2029 too.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /**
     * Appends {@code value} as a JSON string, quotes included.
     *
     * @param out where to write
     * @param value the text
     */
    public static void quote(StringBuilder out, String value) {
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

    /**
     * @param value the text
     * @return {@code value} as a JSON string, quotes included
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        quote(out, value);
        return out.toString();
    }
}
