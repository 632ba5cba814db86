package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property: any valid key URI reads back equal from its text, whatever Unicode its names contain. */
class KeyUriRoundTripTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    // Five parameters combine into more edge cases than tries (jqwik then logs a warning); random short names
    // already come up often, as jqwik favours small sizes.
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void parseOfToUriStringRoundTripsAnyNames(@ForAll("names") String issuer, @ForAll("names") String accountName,
                                              @ForAll("algorithms") TotpAlgorithm algorithm,
                                              @ForAll("digitCounts") int digits, @ForAll("periods") int period) {
        KeyUri original = new KeyUri(issuer, accountName, SECRET, algorithm, digits, period);

        KeyUri parsed = KeyUri.parse(original.toUriString());

        assertThat(parsed).isEqualTo(original);
        assertThat(parsed.issuer()).isEqualTo(issuer.strip());
        assertThat(parsed.accountName()).isEqualTo(accountName.strip());
        assertThat(original.toUriString()).matches("[\\x21-\\x7e]+");
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0xa0, 0xd7ff),
                Arbitraries.integers().between(0xe000, 0xfffd),
                Arbitraries.integers().between(0x10000, 0x10ffff));
        return codePoints.filter(codePoint -> codePoint != ':').list().ofMinSize(1).ofMaxSize(24)
                .map(KeyUriRoundTripTest::fromCodePoints).filter(name -> !name.isBlank());
    }

    @Provide
    Arbitrary<TotpAlgorithm> algorithms() {
        return Arbitraries.of(TotpAlgorithm.class);
    }

    @Provide
    Arbitrary<Integer> digitCounts() {
        return Arbitraries.integers().between(6, 8);
    }

    @Provide
    Arbitrary<Integer> periods() {
        return Arbitraries.oneOf(Arbitraries.of(30, 60), Arbitraries.integers().between(1, Integer.MAX_VALUE));
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }
}
