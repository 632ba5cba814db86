package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpAlgorithmTest {

    @Test
    void namesMatchTheJcaAndTheKeyUriFormat() {
        assertThat(TotpAlgorithm.SHA1.macName()).isEqualTo("HmacSHA1");
        assertThat(TotpAlgorithm.SHA256.macName()).isEqualTo("HmacSHA256");
        assertThat(TotpAlgorithm.SHA512.macName()).isEqualTo("HmacSHA512");
        assertThat(TotpAlgorithm.SHA1.uriName()).isEqualTo("SHA1");
        assertThat(TotpAlgorithm.SHA256.uriName()).isEqualTo("SHA256");
        assertThat(TotpAlgorithm.SHA512.uriName()).isEqualTo("SHA512");
    }

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void macNameIsKnownToTheJdk(TotpAlgorithm algorithm) throws NoSuchAlgorithmException {
        assertThat(Mac.getInstance(algorithm.macName()).getAlgorithm()).isEqualTo(algorithm.macName());
    }

    @Test
    void fromUriNameIgnoresAsciiCase() {
        assertThat(TotpAlgorithm.fromUriName("SHA1")).isEqualTo(TotpAlgorithm.SHA1);
        assertThat(TotpAlgorithm.fromUriName("sha256")).isEqualTo(TotpAlgorithm.SHA256);
        assertThat(TotpAlgorithm.fromUriName("Sha512")).isEqualTo(TotpAlgorithm.SHA512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MD5", "SHA-1", "HmacSHA1", "SHA 1", "SHA1 ", "\u017fHA1", "SHA3-256", "sha1\u0000"})
    void fromUriNameWhenUnknownThenIllegalArgumentWithoutEchoingIt(String name) {
        assertThatThrownBy(() -> TotpAlgorithm.fromUriName(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported algorithm: expected SHA1, SHA256 or SHA512");
    }

    @Test
    void fromUriNameWhenNullThenNullPointer() {
        assertThatThrownBy(() -> TotpAlgorithm.fromUriName(null)).isInstanceOf(NullPointerException.class);
    }
}
