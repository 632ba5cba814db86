package dev.twofactor.internal.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link JsonText#quote}: RFC 8259's escapes (quote, backslash, control characters) and, against a browser's content
 * sniffing, {@code <}, {@code >}, {@code &}, DEL, U+2028 and U+2029; everything else as it is.
 */
class JsonTextTest {

    @Test
    void quoteEscapesQuoteAndBackslash() {
        assertThat(JsonText.quote("\"")).isEqualTo("\"\\\"\"");
        assertThat(JsonText.quote("\\")).isEqualTo("\"\\\\\"");
        assertThat(JsonText.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void quoteWritesNewlineReturnAndTabShortAndOtherControlCharactersAsLowerCaseUnicodeEscapes() {
        assertThat(JsonText.quote("\n")).isEqualTo("\"\\n\"");
        assertThat(JsonText.quote("\r")).isEqualTo("\"\\r\"");
        assertThat(JsonText.quote("\t")).isEqualTo("\"\\t\"");
        assertThat(JsonText.quote("\u0000")).isEqualTo("\"\\u0000\"");
        assertThat(JsonText.quote("\b")).isEqualTo("\"\\u0008\"");
        assertThat(JsonText.quote("\f")).isEqualTo("\"\\u000c\"");
        assertThat(JsonText.quote("\u001b")).isEqualTo("\"\\u001b\"");
        assertThat(JsonText.quote("\u001f")).isEqualTo("\"\\u001f\"");
        for (char c = 0; c < 0x20; c++) {
            String expected = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
            };
            assertThat(JsonText.quote(String.valueOf(c))).as("U+%04X", (int) c).isEqualTo("\"" + expected + "\"");
        }
    }

    @Test
    void quoteEscapesDelMarkupAndTheJavaScriptLineSeparators() {
        assertThat(JsonText.quote("\u007f")).isEqualTo("\"\\u007f\"");
        assertThat(JsonText.quote("<")).isEqualTo("\"\\u003c\"");
        assertThat(JsonText.quote(">")).isEqualTo("\"\\u003e\"");
        assertThat(JsonText.quote("&")).isEqualTo("\"\\u0026\"");
        assertThat(JsonText.quote("\u2028")).isEqualTo("\"\\u2028\"");
        assertThat(JsonText.quote("\u2029")).isEqualTo("\"\\u2029\"");
        assertThat(JsonText.quote("</script>&")).isEqualTo("\"\\u003c/script\\u003e\\u0026\"");
    }

    @Test
    void quoteLeavesTheNeighboursOfEachEscapedCharacterAlone() {
        String plain = " !#%'/;=?@[]^`{|}~\u0080\u00a0\u00e9\u2027\u202a\uffff";
        assertThat(JsonText.quote(plain)).isEqualTo("\"" + plain + "\"");
        assertThat(JsonText.quote("")).isEqualTo("\"\"");
        assertThat(JsonText.quote("Hello, World 123")).isEqualTo("\"Hello, World 123\"");
    }

    @Test
    void quoteLeavesSurrogatesPairedOrNotAsTheyAre() {
        // The javadoc promises no surrogate handling: pairs and lone halves pass through unchanged.
        assertThat(JsonText.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(JsonText.quote("a\ud800b\udc00")).isEqualTo("\"a\ud800b\udc00\"");
    }

    @Test
    void quoteAppendsAfterWhatTheBuilderHolds() {
        StringBuilder out = new StringBuilder("{\"message\":");

        JsonText.quote(out, "a<b");
        out.append('}');

        assertThat(out).hasToString("{\"message\":\"a\\u003cb\"}");
    }
}
