package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyUriTest {

    private static final String BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private static final TotpSecret SECRET = TotpSecret.fromBase32(BASE32);

    @Test
    void toUriStringWithDefaultsOmitsAlgorithmDigitsAndPeriod() {
        KeyUri uri = KeyUri.of("ACME Co", "alice@example.com", SECRET);

        assertThat(uri.toUriString()).isEqualTo(
                "otpauth://totp/ACME%20Co:alice%40example.com?secret=" + BASE32 + "&issuer=ACME%20Co");
    }

    @Test
    void toUriStringWritesNonDefaultAlgorithmDigitsAndPeriod() {
        KeyUri uri = new KeyUri("Example", "bob", SECRET, TotpAlgorithm.SHA256, 8, 60);

        assertThat(uri.toUriString()).isEqualTo(
                "otpauth://totp/Example:bob?secret=" + BASE32 + "&issuer=Example&algorithm=SHA256&digits=8&period=60");
    }

    @Test
    void toUriStringWritesOnlyTheSettingsThatDiffer() {
        assertThat(new KeyUri("E", "b", SECRET, TotpAlgorithm.SHA512, 6, 30).toUriString())
                .endsWith("&issuer=E&algorithm=SHA512");
        assertThat(new KeyUri("E", "b", SECRET, TotpAlgorithm.SHA1, 7, 30).toUriString())
                .endsWith("&issuer=E&digits=7");
        assertThat(new KeyUri("E", "b", SECRET, TotpAlgorithm.SHA1, 6, 15).toUriString())
                .endsWith("&issuer=E&period=15");
    }

    @Test
    void toUriStringPercentEncodesEverythingButUnreservedAsUtf8() {
        KeyUri uri = KeyUri.of("Caf\u00e9 & Co+/?#%", "j\u00fcrgen.m\u00fcller~_-x \ud83d\ude00", SECRET);

        assertThat(uri.toUriString()).startsWith(
                "otpauth://totp/Caf%C3%A9%20%26%20Co%2B%2F%3F%23%25:j%C3%BCrgen.m%C3%BCller~_-x%20%F0%9F%98%80?")
                .endsWith("&issuer=Caf%C3%A9%20%26%20Co%2B%2F%3F%23%25")
                .doesNotContain("+");
    }

    @Test
    void ofWithEngineTakesItsSettings() {
        Totp totp = Totp.builder().algorithm(TotpAlgorithm.SHA512).digits(7).period(Duration.ofSeconds(45)).build();

        KeyUri uri = KeyUri.of("ACME", "alice", SECRET, totp);

        assertThat(uri).isEqualTo(new KeyUri("ACME", "alice", SECRET, TotpAlgorithm.SHA512, 7, 45));
        assertThat(KeyUri.of("ACME", "alice", SECRET, Totp.defaults())).isEqualTo(KeyUri.of("ACME", "alice", SECRET));
    }

    @Test
    void constructorWhenColonThenIllegalArgument() {
        assertThatThrownBy(() -> KeyUri.of("ACME:Co", "alice", SECRET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Issuer must not contain a colon");
        assertThatThrownBy(() -> KeyUri.of("ACME", "alice:admin", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Account name must not contain a colon");
    }

    @Test
    void constructorWhenBlankThenIllegalArgument() {
        assertThatThrownBy(() -> KeyUri.of(" ", "alice", SECRET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Issuer must not be blank");
        assertThatThrownBy(() -> KeyUri.of("ACME", "", SECRET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Account name must not be blank");
    }

    @Test
    void constructorWhenControlCharacterOrLoneSurrogateThenIllegalArgument() {
        assertThatThrownBy(() -> KeyUri.of("ACME\nX-Injected: 1", "alice", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Issuer must not contain control characters");
        assertThatThrownBy(() -> KeyUri.of("ACME", "al\ud800ice", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
        assertThatThrownBy(() -> KeyUri.of("ACME", "alice\udc00", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
    }

    @Test
    void constructorStripsSurroundingWhitespace() {
        KeyUri uri = KeyUri.of("  ACME Co ", " alice ", SECRET);

        assertThat(uri.issuer()).isEqualTo("ACME Co");
        assertThat(uri.accountName()).isEqualTo("alice");
    }

    @Test
    void constructorWhenDigitsOrPeriodOutOfRangeThenIllegalArgument() {
        assertThatThrownBy(() -> new KeyUri("A", "b", SECRET, TotpAlgorithm.SHA1, 5, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Digits must be from 6 to 8, got 5");
        assertThatThrownBy(() -> new KeyUri("A", "b", SECRET, TotpAlgorithm.SHA1, 9, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyUri("A", "b", SECRET, TotpAlgorithm.SHA1, 6, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Period must be at least 1 second, got 0");
    }

    @Test
    void constructorRejectsNulls() {
        assertThatThrownBy(() -> KeyUri.of(null, "b", SECRET)).isInstanceOf(NullPointerException.class)
                .hasMessage("issuer");
        assertThatThrownBy(() -> KeyUri.of("a", null, SECRET)).isInstanceOf(NullPointerException.class)
                .hasMessage("accountName");
        assertThatThrownBy(() -> KeyUri.of("a", "b", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new KeyUri("a", "b", SECRET, null, 6, 30)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringDoesNotContainTheSecret() {
        KeyUri uri = KeyUri.of("ACME", "alice", SECRET);

        assertThat(uri.toString()).contains("TotpSecret[160 bits, redacted]").doesNotContain(BASE32)
                .doesNotContain(BASE32.substring(0, 8));
    }

    @Test
    void parseReadsWhatToUriStringWrote() {
        KeyUri original = new KeyUri("ACME Co", "alice@example.com", SECRET, TotpAlgorithm.SHA256, 8, 60);

        assertThat(KeyUri.parse(original.toUriString())).isEqualTo(original);
    }

    @Test
    void parseAcceptsALabelWithoutIssuerPrefixWhenTheIssuerParameterIsPresent() {
        KeyUri uri = KeyUri.parse("otpauth://totp/alice%40example.com?secret=" + BASE32 + "&issuer=ACME%20Co");

        assertThat(uri).isEqualTo(KeyUri.of("ACME Co", "alice@example.com", SECRET));
    }

    @Test
    void parseAcceptsAnIssuerPrefixWithoutTheIssuerParameter() {
        KeyUri uri = KeyUri.parse("otpauth://totp/ACME%20Co:alice?secret=" + BASE32);

        assertThat(uri).isEqualTo(KeyUri.of("ACME Co", "alice", SECRET));
    }

    @Test
    void parseAcceptsCommonVariations() {
        KeyUri expected = new KeyUri("ACME Co", "alice", SECRET, TotpAlgorithm.SHA512, 6, 30);

        assertThat(KeyUri.parse("OTPAUTH://TOTP/ACME%20Co:%20%20alice?SECRET=" + BASE32.toLowerCase(Locale.ROOT)
                + "&algorithm=sha512&issuer=ACME%20Co&image=https%3A%2F%2Fexample.com%2Flogo.png&"))
                .isEqualTo(expected);
        assertThat(KeyUri.parse("otpauth://totp/ACME Co:alice"
                + "?secret=JBSW%20Y3DP%20EHPK%203PXP%20JBSW%20Y3DP%20EHPK%203PXP"
                + "&issuer=ACME Co&algorithm=SHA512&digits=6&period=30")).isEqualTo(expected);
        assertThat(KeyUri.parse("otpauth://totp/ACME%20Co%3Aalice?secret=" + BASE32 + "%3D%3D&algorithm=SHA512"))
                .isEqualTo(expected);
        assertThat(KeyUri.parse("otpauth://totp/ACME%20Co:alice?secret=" + BASE32
                + "&issuer=ACME%20Co&algorithm=SHA512&digits=6&period=30")).isEqualTo(expected);
    }

    @Test
    void parseTreatsPlusAsALiteralPlus() {
        KeyUri uri = KeyUri.parse("otpauth://totp/C++%20Shop:a+b?secret=" + BASE32 + "&issuer=C%2B%2B%20Shop");
        // As written by libraries that form-encode: the plus stays visible rather than being guessed away.
        KeyUri formEncoded = KeyUri.parse("otpauth://totp/ACME+Co:alice?secret=" + BASE32 + "&issuer=ACME+Co");

        assertThat(uri.issuer()).isEqualTo("C++ Shop");
        assertThat(uri.accountName()).isEqualTo("a+b");
        assertThat(formEncoded.issuer()).isEqualTo("ACME+Co");
        assertThat(KeyUri.parse(KeyUri.of("a+b", "c+d", SECRET).toUriString()).issuer()).isEqualTo("a+b");
    }

    @Test
    void parseWhenIssuerPrefixDisagreesWithIssuerParameterThenIllegalArgument() {
        assertThatThrownBy(() -> KeyUri.parse("otpauth://totp/Evil:alice?secret=" + BASE32 + "&issuer=ACME"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Key URI issuer in the label disagrees with the issuer parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "otpauth://hotp/ACME:alice?secret=" + BASE32 + "&counter=0",
            "otpauth://steam/ACME:alice?secret=" + BASE32,
            "otpauth://totpx/ACME:alice?secret=" + BASE32,
    })
    void parseWhenTypeIsNotTotpThenIllegalArgument(String text) {
        assertThatThrownBy(() -> KeyUri.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type must be totp");
    }

    @Test
    void parseErrorsSayWhatIsWrongWithoutEchoingTheUri() {
        assertParseError("https://example.com/ACME:alice?secret=" + BASE32, "Key URI must start with otpauth://");
        assertParseError("otpauth:totp/ACME:alice?secret=" + BASE32, "Key URI must start with otpauth://");
        assertParseError("otpauth://totp", "Key URI has no label");
        assertParseError("otpauth://totp/ACME:alice", "Key URI has no secret parameter");
        assertParseError("otpauth://totp/ACME:alice?issuer=ACME", "Key URI has no secret parameter");
        assertParseError("otpauth://totp/ACME:alice?secret=&issuer=ACME", "Key URI has no secret parameter");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "1", "Key URI secret is invalid");
        assertParseError("otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP", "Key URI secret is invalid");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&secret=" + BASE32, "more than once");
        assertParseError("otpauth://totp/alice?secret=" + BASE32, "Key URI names no issuer");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&algorithm=MD5", "Unsupported algorithm");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&digits=5", "Digits must be from 6 to 8");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&digits=+6", "digits must be a plain");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&digits=\u0666", "digits must be a plain");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&digits=", "digits must be a plain");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&period=0", "Period must be at least 1");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&period=-30", "period must be a plain");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&period=99999999999", "period must be");
        assertParseError("otpauth://totp/ACME:alice:admin?secret=" + BASE32, "Account name must not contain a colon");
        assertParseError("otpauth://totp/ACME:?secret=" + BASE32, "Account name must not be blank");
        assertParseError("otpauth://totp/ACME%3:alice?secret=" + BASE32, "Key URI label is invalid");
        assertParseError("otpauth://totp/ACME%C3:alice?secret=" + BASE32, "Key URI label is invalid");
        assertParseError("otpauth://totp/ACME%zz:alice?secret=" + BASE32, "Key URI label is invalid");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "#x", "fragment");
        assertParseError("otpauth://totp/ACME:alice?secret=" + BASE32 + "&issuer=" + "A".repeat(5000), "too long");
    }

    private static void assertParseError(String text, String expectedMessagePart) {
        assertThatThrownBy(() -> KeyUri.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedMessagePart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("JBSW", "alice", "otpauth://totp/"));
    }

    @Test
    void parseWhenNullThenNullPointer() {
        assertThatThrownBy(() -> KeyUri.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
