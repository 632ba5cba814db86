package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RfcVectorsTest {

    private static final TotpSecret SEED_SHA1 = seed("12345678901234567890");
    private static final TotpSecret SEED_SHA256 = seed("12345678901234567890123456789012");
    private static final TotpSecret SEED_SHA512 =
            seed("1234567890123456789012345678901234567890123456789012345678901234");

    private static TotpSecret seed(String ascii) {
        return TotpSecret.ofBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> rfc6238AppendixB() {
        return Stream.of(
                Arguments.of(59L, TotpAlgorithm.SHA1, "94287082"),
                Arguments.of(59L, TotpAlgorithm.SHA256, "46119246"),
                Arguments.of(59L, TotpAlgorithm.SHA512, "90693936"),
                Arguments.of(1111111109L, TotpAlgorithm.SHA1, "07081804"),
                Arguments.of(1111111109L, TotpAlgorithm.SHA256, "68084774"),
                Arguments.of(1111111109L, TotpAlgorithm.SHA512, "25091201"),
                Arguments.of(1111111111L, TotpAlgorithm.SHA1, "14050471"),
                Arguments.of(1111111111L, TotpAlgorithm.SHA256, "67062674"),
                Arguments.of(1111111111L, TotpAlgorithm.SHA512, "99943326"),
                Arguments.of(1234567890L, TotpAlgorithm.SHA1, "89005924"),
                Arguments.of(1234567890L, TotpAlgorithm.SHA256, "91819424"),
                Arguments.of(1234567890L, TotpAlgorithm.SHA512, "93441116"),
                Arguments.of(2000000000L, TotpAlgorithm.SHA1, "69279037"),
                Arguments.of(2000000000L, TotpAlgorithm.SHA256, "90698825"),
                Arguments.of(2000000000L, TotpAlgorithm.SHA512, "38618901"),
                Arguments.of(20000000000L, TotpAlgorithm.SHA1, "65353130"),
                Arguments.of(20000000000L, TotpAlgorithm.SHA256, "77737706"),
                Arguments.of(20000000000L, TotpAlgorithm.SHA512, "47863826"));
    }

    private static TotpSecret seedFor(TotpAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA1 -> SEED_SHA1;
            case SHA256 -> SEED_SHA256;
            case SHA512 -> SEED_SHA512;
        };
    }

    private static Totp eightDigits(TotpAlgorithm algorithm) {
        return Totp.builder().algorithm(algorithm).digits(8).build();
    }

    @ParameterizedTest(name = "{1} at {0} s -> {2}")
    @MethodSource("rfc6238AppendixB")
    void generateAtMatchesRfc6238AppendixB(long epochSeconds, TotpAlgorithm algorithm, String expected) {
        Totp totp = eightDigits(algorithm);

        assertThat(totp.generateAt(seedFor(algorithm), Instant.ofEpochSecond(epochSeconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1} at {0} s -> {2}")
    @MethodSource("rfc6238AppendixB")
    void verifyAcceptsRfc6238AppendixBCodeWithZeroDrift(long epochSeconds, TotpAlgorithm algorithm, String expected) {
        Totp totp = eightDigits(algorithm);
        Instant now = Instant.ofEpochSecond(epochSeconds);

        assertThat(totp.verify(seedFor(algorithm), expected, now))
                .isEqualTo(new TotpMatch.Matched(epochSeconds / 30, 0));
    }

    static Stream<Arguments> rfc4226AppendixD() {
        String[] codes = {"755224", "287082", "359152", "969429", "338314",
                "254676", "287922", "162583", "399871", "520489"};
        return Stream.iterate(0, i -> i + 1).limit(codes.length).map(i -> Arguments.of((long) i, codes[i]));
    }

    @ParameterizedTest(name = "counter {0} -> {1}")
    @MethodSource("rfc4226AppendixD")
    void generateIsRfc4226HotpWithTheTimeStepAsCounter(long counter, String expected) {
        assertThat(Totp.defaults().generate(SEED_SHA1, counter)).isEqualTo(expected);
    }
}
