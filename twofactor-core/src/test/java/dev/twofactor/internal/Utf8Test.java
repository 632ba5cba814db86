package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Utf8} writes exactly what {@code String.getBytes(UTF_8)} returns, unpaired surrogates included. */
class Utf8Test {

    @Test
    void randomTextOfEveryKindEncodesAsTheJdkEncodes() {
        Random random = new Random(40L);
        byte[] into = new byte[3 * 200];
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> text.append((char) random.nextInt(0x80));
                    case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
                    case 2 -> text.append((char) random.nextInt(0x10000));
                    case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                    case 4 -> text.append((char) (0xd800 + random.nextInt(0x400))); // high surrogate
                    default -> text.append((char) (0xdc00 + random.nextInt(0x400))); // low surrogate
                }
            }
            String s = text.toString();
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            int written = Utf8.encode(s, into);
            assertThat(Arrays.copyOf(into, written)).as(s).isEqualTo(expected);
        }
    }

    @Test
    void boundariesOfEachLength() {
        String[] texts = {"", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\uD800\uDC00", "\uDBFF\uDFFF",
            "\uD800", "\uDC00", "\uDC00\uD800", "a\uD800b", "\uD800\uD800\uDC00", "?"};
        byte[] into = new byte[16];
        for (String text : texts) {
            int written = Utf8.encode(text, into);
            assertThat(Arrays.copyOf(into, written)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
