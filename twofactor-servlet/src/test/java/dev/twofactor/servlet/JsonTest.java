package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
        Json.quote(out, value);
        String inner = out.substring(1, out.length() - 1);

        assertThat(inner.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
        assertThat(inner.chars()).noneMatch(c -> c < 0x20 || c == '<' || c == '>' || c == '&');
    }
}
