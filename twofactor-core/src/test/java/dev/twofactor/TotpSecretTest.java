package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpSecretTest {

    // "Hello!\xde\xad\xbe\xef" twice: JBSWY3DPEHPK3PXP twice in Base32.
    private static final String BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    @Test
    void generateMakesA160BitSecret() {
        TotpSecret secret = TotpSecret.generate();

        assertThat(secret.bits()).isEqualTo(160).isEqualTo(TotpSecret.DEFAULT_BITS);
        assertThat(secret.bytes()).hasSize(20);
        assertThat(secret.base32()).hasSize(32).matches("[A-Z2-7]+");
    }

    @Test
    void generateMakesDifferentSecretsEveryTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            seen.add(TotpSecret.generate().base32());
        }

        assertThat(seen).hasSize(1_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 136, 160, 256, 512, 1024})
    void generateWithBitsMakesThatManyBits(int bits) {
        TotpSecret secret = TotpSecret.generate(new SecureRandom(), bits);

        assertThat(secret.bits()).isEqualTo(bits);
        assertThat(secret.bytes()).hasSize(bits / 8);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, 120, 127, 129, 161, 1032, -160})
    void generateWhenBitsTooFewTooManyOrNotWholeBytesThenIllegalArgument(int bits) {
        assertThatThrownBy(() -> TotpSecret.generate(new SecureRandom(), bits))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generateUsesTheGivenRandom() {
        SecureRandom zeros = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0);
            }
        };

        assertThat(TotpSecret.generate(zeros, 160).base32()).isEqualTo("A".repeat(32));
    }

    @Test
    void base32RoundTripsThroughFromBase32() {
        TotpSecret secret = TotpSecret.fromBase32(BASE32);

        assertThat(secret.base32()).isEqualTo(BASE32);
        assertThat(secret.bytes()).startsWith("Hello!".getBytes(StandardCharsets.US_ASCII));
        assertThat(TotpSecret.fromBase32(secret.base32())).isEqualTo(secret);
    }

    @Test
    void base32HasNoPaddingEvenWhenTheLengthNeedsIt() {
        TotpSecret secret = TotpSecret.ofBytes(new byte[16]);

        assertThat(secret.base32()).isEqualTo("A".repeat(26));
    }

    @Test
    void groupedSplitsIntoGroupsOfFour() {
        assertThat(TotpSecret.fromBase32(BASE32).grouped()).isEqualTo("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
        assertThat(TotpSecret.ofBytes(new byte[16]).grouped()).isEqualTo("AAAA AAAA AAAA AAAA AAAA AAAA AA");
    }

    @Test
    void fromBase32AcceptsLowerCaseSpacesDashesAndPadding() {
        TotpSecret expected = TotpSecret.fromBase32(BASE32);

        assertThat(TotpSecret.fromBase32("jbswy3dpehpk3pxpjbswy3dpehpk3pxp")).isEqualTo(expected);
        assertThat(TotpSecret.fromBase32("jbsw y3dp ehpk 3pxp JBSW Y3DP EHPK 3PXP")).isEqualTo(expected);
        assertThat(TotpSecret.fromBase32("  JBSW-Y3DP-EHPK-3PXP-JBSW-Y3DP-EHPK-3PXP  ")).isEqualTo(expected);
        assertThat(TotpSecret.fromBase32(new StringBuilder(BASE32))).isEqualTo(expected);
        assertThat(TotpSecret.fromBase32("AAAAAAAAAAAAAAAAAAAAAAAAAA======"))
                .isEqualTo(TotpSecret.ofBytes(new byte[16]));
        assertThat(TotpSecret.fromBase32("AAAA AAAA AAAA AAAA AAAA AAAA AA== ====")).isEqualTo(
                TotpSecret.ofBytes(new byte[16]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX1",   // 1 is not Base32
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX8",   // nor 8
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX0",   // nor 0
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX!",
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX\u00c4",
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX\u017f", // long s, upper-cases to S outside ASCII
            "JBSWY3DPEHPK3PXPJBSWY3DP\tEHPK3PXP",
            "JBSWY3DPEHPK3PXPJBSWY3DP_EHPK3PXP",
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3P=XP",  // padding in the middle
    })
    void fromBase32WhenCharacterOutsideTheAlphabetThenRejectedWithoutEchoingTheInput(String text) {
        assertThatThrownBy(() -> TotpSecret.fromBase32(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Secret is not valid Base32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("JBSW", "PXP", "3PX"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "AAA", "AAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void fromBase32WhenLengthIsImpossibleThenIllegalArgument(String text) {
        assertThatThrownBy(() -> TotpSecret.fromBase32(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length is impossible");
    }

    @Test
    void fromBase32WhenFewerThan128BitsThenIllegalArgument() {
        // 16 characters = 80 bits, a size some old services used.
        assertThatThrownBy(() -> TotpSecret.fromBase32("JBSWY3DPEHPK3PXP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too short: 80 bits, at least 128 are required");
        assertThatThrownBy(() -> TotpSecret.fromBase32("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> TotpSecret.fromBase32("  -  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void fromBase32WhenTextIsHugeThenRejectedBeforeDecoding() {
        assertThatThrownBy(() -> TotpSecret.fromBase32("A".repeat(100_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> TotpSecret.fromBase32("A".repeat(208)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1024");
    }

    @Test
    void ofBytesCopiesTheArray() {
        byte[] key = new byte[20];
        TotpSecret secret = TotpSecret.ofBytes(key);
        key[0] = 1;

        assertThat(secret.bytes()[0]).isZero();
        secret.bytes()[1] = 1;
        assertThat(secret.bytes()[1]).isZero();
    }

    @Test
    void ofBytesWhenFewerThan16BytesThenIllegalArgument() {
        assertThatThrownBy(() -> TotpSecret.ofBytes(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too short: 120 bits, at least 128 are required");
        assertThat(TotpSecret.ofBytes(new byte[16]).bits()).isEqualTo(128);
    }

    @Test
    void toStringIsRedacted() {
        TotpSecret secret = TotpSecret.fromBase32(BASE32);

        assertThat(secret).hasToString("TotpSecret[160 bits, redacted]");
        assertThat(secret.toString()).doesNotContain(BASE32.substring(0, 4));
    }

    @Test
    void equalsComparesKeysAndHashCodeDependsOnLengthOnly() {
        TotpSecret a = TotpSecret.fromBase32(BASE32);
        TotpSecret sameKey = TotpSecret.ofBytes(a.bytes());
        TotpSecret otherKey = TotpSecret.generate();
        TotpSecret longer = TotpSecret.generate(new SecureRandom(), 256);

        assertThat(a).isEqualTo(sameKey).hasSameHashCodeAs(sameKey).isNotEqualTo(otherKey).isNotEqualTo(longer)
                .isNotEqualTo(null).isNotEqualTo(BASE32);
        assertThat(a.hashCode()).isEqualTo(otherKey.hashCode());
    }

    @Test
    void factoriesRejectNull() {
        assertThatThrownBy(() -> TotpSecret.fromBase32(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TotpSecret.ofBytes(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TotpSecret.generate(null, 160)).isInstanceOf(NullPointerException.class);
    }
}
