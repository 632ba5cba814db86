package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32TextTest {

    @ParameterizedTest
    @CsvSource({"f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI",
        "foobar, MZXW6YTBOI======", "foobar, mzxw 6ytb-oi"})
    void decodesTheRfc4648Vectors(String plain, String text) {
        assertThat(new String(Base32Text.decode(text), StandardCharsets.US_ASCII)).isEqualTo(plain);
    }

    @Test
    void decodingAgreesWithCommonsCodecAndRoundTripsTheEncoder() {
        Random random = new Random(4648L);
        Base32 codec = new Base32();
        for (int length = 0; length <= 130; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = Base32Text.encode(bytes);

            assertThat(Base32Text.decode(text)).as("%d bytes", length).isEqualTo(bytes).isEqualTo(codec.decode(text));
            byte[] into = new byte[Base32Text.MAX_DECODED_LENGTH];
            assertThat(Base32Text.decodeInto(text, into)).isEqualTo(length);
            assertThat(java.util.Arrays.copyOf(into, length)).isEqualTo(bytes);
        }
    }

    @Test
    void theUnusedLowBitsOfTheLastCharacterAreIgnored() {
        // "MY" and "MZ" differ only in the 2 bits past the byte: both are "f", as authenticator apps read them.
        assertThat(Base32Text.decode("MZ")).isEqualTo(Base32Text.decode("MY")).containsExactly('f');
    }

    @Test
    void charactersPastTheAsciiTableAreRefusedAsInvalidNotAsAnIndexError() {
        for (char c : new char[] {'\u0080', '\u00e9', '\ud800', '\uffff'}) {
            assertThatThrownBy(() -> Base32Text.decode("MZXW" + c + "YTB")).as("U+%04X", (int) c)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the letters A-Z");
        }
        // The last ASCII character, DEL, is invalid too.
        assertThatThrownBy(() -> Base32Text.decode("MZXW\u007fYTB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longTextsDecodeWhateverTheBitsAlreadyWritten() {
        // 40 characters of 31 (all ones) then of 0: every byte is 0xFF, then 0x00, with nothing carried over.
        byte[] decoded = Base32Text.decode("7".repeat(40) + "A".repeat(40));
        byte[] expected = new byte[50];
        Arrays.fill(expected, 0, 25, (byte) 0xFF);
        assertThat(decoded).containsExactly(expected);
    }

    @Test
    void decodeIntoWipesWhatItWroteWhenTheTextIsRefused() {
        byte[] into = new byte[Base32Text.MAX_DECODED_LENGTH];
        // Five whole bytes decode before the bad character is met: they must not stay behind.
        assertThatThrownBy(() -> Base32Text.decodeInto("MZXW6YTB!", into)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("MZXW");
        assertThat(into).containsOnly(0);
        assertThatThrownBy(() -> Base32Text.decodeInto("MZXW6YTBO", into)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length is impossible");
        assertThat(into).containsOnly(0);
        assertThatThrownBy(() -> Base32Text.decodeInto("MZXW6=YTB", into)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding");
        assertThat(into).containsOnly(0);
        assertThatThrownBy(() -> Base32Text.decodeInto("M".repeat(513), into))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> Base32Text.decodeInto("MZXW", new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
        // The longest accepted text fits.
        assertThat(Base32Text.decodeInto("A".repeat(Base32Text.MAX_TEXT_LENGTH), into))
                .isEqualTo(Base32Text.MAX_DECODED_LENGTH);
    }
}
