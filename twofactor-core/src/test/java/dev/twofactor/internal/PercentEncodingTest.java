package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercentEncodingTest {

    @Test
    void encodeLeavesOnlyUnreservedCharactersAlone() {
        assertThat(PercentEncoding.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(PercentEncoding.encode(" ")).isEqualTo("%20");
        assertThat(PercentEncoding.encode("+")).isEqualTo("%2B");
        assertThat(PercentEncoding.encode(":/?#[]@!$&'()*,;=%")).isEqualTo(
                "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2C%3B%3D%25");
    }

    @Test
    void encodeWritesUtf8BytesWithUpperCaseHex() {
        assertThat(PercentEncoding.encode("\u00e9")).isEqualTo("%C3%A9");
        assertThat(PercentEncoding.encode("\u20ac")).isEqualTo("%E2%82%AC");
        assertThat(PercentEncoding.encode("\ud83d\ude00")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void encodeWhenUnpairedSurrogateThenIllegalArgument() {
        assertThatThrownBy(() -> PercentEncoding.encode("a\ud800")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeReversesEncodeAndAcceptsLowerCaseHex() {
        String text = "Caf\u00e9 & Co +1 \ud83d\ude00:";

        assertThat(PercentEncoding.decode(PercentEncoding.encode(text))).isEqualTo(text);
        assertThat(PercentEncoding.decode("%c3%a9")).isEqualTo("\u00e9");
    }

    @Test
    void decodeKeepsPlusAndOtherCharactersAsTheyAre() {
        assertThat(PercentEncoding.decode("a+b c\u00e9")).isEqualTo("a+b c\u00e9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%4", "a%4", "%zz", "%4g", "%\uff14\uff11", "%C3", "%C3%28", "%FF", "%ED%A0%80"})
    void decodeWhenEscapeIsIncompleteNotHexOrNotUtf8ThenIllegalArgument(String text) {
        assertThatThrownBy(() -> PercentEncoding.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
