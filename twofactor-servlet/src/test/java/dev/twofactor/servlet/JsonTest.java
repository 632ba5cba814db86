package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.internal.web.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void putWhenValuesNeedEscapingThenEscaped() {
        String json = Json.object()
                .put("message", "say \"hi\" \\ \n\r\t\u0001 </script> & \u2028")
                .put("count", 3)
                .put("ok", true)
                .put("codes", List.of("A\"B", "C"))
                .toString();

        assertThat(json).isEqualTo("{\"message\":\"say \\\"hi\\\" \\\\ \\n\\r\\t\\u0001 \\u003c/script\\u003e "
                + "\\u0026 \\u2028\",\"count\":3,\"ok\":true,\"codes\":[\"A\\\"B\",\"C\"]}");
    }

    @Test
    void putWhenValueNullThenFieldLeftOut() {
        assertThat(Json.object().put("a", (String) null).put("b", "x").toString()).isEqualTo("{\"b\":\"x\"}");
    }

    @Property
    void quoteWhenAnyStringThenNoRawQuoteControlOrMarkupCharacterInside(@ForAll String value) {
        StringBuilder out = new StringBuilder();
        JsonText.quote(out, value);
        String inner = out.substring(1, out.length() - 1);

        assertThat(inner.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
        assertThat(inner.chars()).noneMatch(c -> c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&'
                || c == 0x2028 || c == 0x2029);
        assertThat(JsonText.quote(value)).isEqualTo(out.toString());
    }

    @Test
    void parseStringFieldsReadsAFlatObjectWithWhitespaceBetweenAnyTokens() {
        assertThat(Json.parseStringFields(" \t\r\n{ \"user\" :\t\"alice\" ,\n\"code\":\"123456\" } \n"))
                .containsExactly(Map.entry("user", "alice"), Map.entry("code", "123456"));
        assertThat(Json.parseStringFields("{\"user\":\"alice\"}")).containsExactly(Map.entry("user", "alice"));
        assertThat(Json.parseStringFields(" { } ")).isEmpty();
        assertThat(Json.parseStringFields("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"}"))
                .containsExactly(Map.entry("a", "\"\\/\b\f\n\r\t\u00e9"));
    }

    @Test
    void parseStringFieldsRefusesAnythingButAFlatObjectOfStrings() {
        for (String refused : List.of("", "[]", "\"a\"", "{", "{}x", "{} {}", "{\"a\"}", "{\"a\" \"b\"}",
                "{\"a\":1}", "{\"a\":\"b\",}", "{\"a\":\"b\" \"c\":\"d\"}", "{\"a\":\"b\",\"a\":\"c\"}",
                "{\"a\":{\"b\":\"c\"}}", "{\"a\":\"b\"", "{\"a\":\"b\u0001\"}", "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\", "{a:\"b\"}", "{\"a\":\"b\"}}")) {
            assertThat(Json.parseStringFields(refused)).as(refused).isNull();
        }
    }

    @Property(tries = 2000)
    void parseStringFieldsReadsBackWhatTheWriterWroteForAnyStrings(@ForAll Map<String, String> fields,
                                                                    @ForAll boolean spaced) {
        String json;
        if (spaced) {
            // White space between the tokens, written token by token: a replace over the writer's text would also
            // change a key or value that contains the quoted separators (the value "," is written ",").
            StringBuilder out = new StringBuilder(" {");
            fields.forEach((key, value) -> out.append(out.length() > 2 ? " ,\n" : "").append(JsonText.quote(key))
                    .append(" : ").append(JsonText.quote(value)));
            json = out.append("}\n").toString();
        } else {
            Json writer = Json.object();
            fields.forEach(writer::put);
            json = writer.toString();
        }

        Map<String, String> parsed = Json.parseStringFields(json);

        assertThat(parsed).isEqualTo(new LinkedHashMap<>(fields));
    }
}
