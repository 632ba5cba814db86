package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine with the key given per call: {@link Totp#verifyKey}, {@link Totp#verifyKeyAtStep} and
 * {@link Totp#verifyBase32} give exactly the answers of {@link Totp#verifyAtStep} with a {@link TotpSecret}, on both
 * HMAC paths, and refuse bad keys clearly without echoing them.
 */
class TotpKeyPerCallTest {

    private static byte[] seed(TotpAlgorithm algorithm) {
        String ascii = switch (algorithm) {
            case SHA1 -> "12345678901234567890";
            case SHA256 -> "12345678901234567890123456789012";
            case SHA512 -> "1234567890123456789012345678901234567890123456789012345678901234";
        };
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    static Stream<Arguments> rfc6238AppendixB() {
        return RfcVectorsTest.rfc6238AppendixB();
    }

    private static Totp eightDigits(TotpAlgorithm algorithm, Instant now) {
        return Totp.builder().algorithm(algorithm).digits(8).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    @Test
    void theCodeOfAllZerosIsACodeLikeAnyOtherOnEveryPerCallPath() {
        // With the RFC 4226 key, HMAC-SHA1 and six digits, step 349495 is the first whose code is 000000.
        long step = 349_495;
        Totp totp = Totp.builder().clock(Clock.fixed(Instant.ofEpochSecond(step * 30), ZoneOffset.UTC)).build();
        byte[] key = seed(TotpAlgorithm.SHA1);
        assertThat(totp.generateAt(TotpSecret.ofBytes(key), Instant.ofEpochSecond(step * 30))).isEqualTo("000000");
        TotpMatch zeroDrift = new TotpMatch.Matched(step, 0);

        assertThat(totp.verifyKeyAtStep(key, "000000", step)).isEqualTo(zeroDrift);
        assertThat(totp.verifyKey(key, "000000")).isEqualTo(zeroDrift);
        assertThat(totp.verifyBase32(TotpSecret.ofBytes(key).base32(), "000000")).isEqualTo(zeroDrift);
        assertThat(totp.verifyAtStep(TotpSecret.ofBytes(key), "000000", step)).isEqualTo(zeroDrift);
    }

    @ParameterizedTest(name = "{1} at {0} s -> {2}")
    @MethodSource("rfc6238AppendixB")
    void everyPerCallPathAcceptsRfc6238AppendixBCodes(long epochSeconds, TotpAlgorithm algorithm, String expected) {
        Instant now = Instant.ofEpochSecond(epochSeconds);
        Totp totp = eightDigits(algorithm, now);
        byte[] key = seed(algorithm);
        String base32 = TotpSecret.ofBytes(key).base32();
        TotpMatch zeroDrift = new TotpMatch.Matched(epochSeconds / 30, 0);

        assertThat(totp.verifyKey(key, expected)).isEqualTo(zeroDrift);
        assertThat(totp.verifyKeyAtStep(key, expected, epochSeconds / 30)).isEqualTo(zeroDrift);
        assertThat(totp.verifyBase32(base32, expected)).isEqualTo(zeroDrift);
        assertThat(totp.verifyBase32(base32.toLowerCase(java.util.Locale.ROOT), expected)).isEqualTo(zeroDrift);
        assertThat(totp.verifyBase32(TotpSecret.ofBytes(key).grouped(), expected)).isEqualTo(zeroDrift);
        // One step later the same code is the previous step's (drift -1); two steps later it is out of the window.
        assertThat(totp.verifyKeyAtStep(key, expected, epochSeconds / 30 + 1))
                .isEqualTo(new TotpMatch.Matched(epochSeconds / 30, -1));
        assertThat(totp.verifyKeyAtStep(key, expected, epochSeconds / 30 + 2)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
        assertThat(eightDigits(algorithm, now.plusSeconds(60)).verifyBase32(base32, expected))
                .isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void perCallPathsAgreeWithTheTotpSecretPathForEveryKeySizeAndNearMisses(TotpAlgorithm algorithm) {
        Random random = new Random(6238L);
        Totp totp = Totp.builder().algorithm(algorithm).window(2).build();
        // Shorter than, equal to and longer than the 64- and 128-byte blocks (longer keys are hashed first).
        for (int length : new int[] {16, 20, 32, 63, 64, 65, 100, 127, 128}) {
            for (int round = 0; round < 8; round++) {
                byte[] key = new byte[length];
                random.nextBytes(key);
                TotpSecret secret = TotpSecret.ofBytes(key);
                long step = Math.abs(random.nextLong() % 1_000_000_000L);
                Totp atStep = totp.newBuilder().clock(Clock.fixed(Instant.ofEpochSecond(step * 30 + 7),
                        ZoneOffset.UTC)).build();
                List<String> inputs = new ArrayList<>();
                for (long s = step - 3; s <= step + 3; s++) {
                    String code = totp.generate(secret, s);
                    inputs.add(code);
                    // Near misses: the last digit off by one, and the digits of the code reversed.
                    char last = code.charAt(code.length() - 1);
                    inputs.add(code.substring(0, code.length() - 1) + (char) (last == '9' ? '0' : last + 1));
                    inputs.add(new StringBuilder(code).reverse().toString());
                }
                inputs.add("12345");
                inputs.add(null);
                inputs.add("12345a");
                for (String input : inputs) {
                    TotpMatch expected = totp.verifyAtStep(secret, input, step);
                    String what = length + "-byte key, input " + input;
                    assertThat(totp.verifyKeyAtStep(key, input, step)).as(what).isEqualTo(expected);
                    assertThat(atStep.verifyKey(key, input)).as(what).isEqualTo(expected);
                    assertThat(atStep.verifyBase32(secret.base32(), input)).as(what).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void wrongAndMalformedCodesAreToldApart() {
        byte[] key = seed(TotpAlgorithm.SHA1);
        Totp totp = Totp.builder().clock(Clock.fixed(Instant.ofEpochSecond(59), ZoneOffset.UTC)).build();
        String base32 = TotpSecret.ofBytes(key).base32();
        // RFC 6238 at 59 s, 6 digits: 287082.
        assertThat(totp.verifyKey(key, "287082")).isEqualTo(new TotpMatch.Matched(1, 0));
        assertThat(totp.verifyKey(key, "287083")).isEqualTo(TotpMatch.Mismatch.INSTANCE);
        assertThat(totp.verifyBase32(base32, "287083")).isEqualTo(TotpMatch.Mismatch.INSTANCE);
        for (String malformed : new String[] {null, "", "28708", "2870822", "+28708", "28708x", "２８７０８２"}) {
            assertThat(totp.verifyKey(key, malformed)).as(malformed).isEqualTo(TotpMatch.Malformed.INSTANCE);
            assertThat(totp.verifyBase32(base32, malformed)).as(malformed).isEqualTo(TotpMatch.Malformed.INSTANCE);
        }
        assertThat(totp.verifyBase32(base32, "287 082")).isEqualTo(new TotpMatch.Matched(1, 0));
    }

    @Test
    void theCallersKeyArrayIsNeitherChangedNorKept() {
        byte[] key = seed(TotpAlgorithm.SHA1);
        byte[] copy = key.clone();
        Totp totp = Totp.builder().clock(Clock.fixed(Instant.ofEpochSecond(59), ZoneOffset.UTC)).build();

        assertThat(totp.verifyKey(key, "287082").matched()).isTrue();
        assertThat(key).isEqualTo(copy);
        // Changing the array afterwards changes nothing that was kept: the next call uses the new key.
        key[0] ^= 1;
        assertThat(totp.verifyKey(key, "287082").matched()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ1",
        "GEZDGNBVGY3T=QOJQGEZDGNBVGY3TQOJQ", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQG", "GEZDGNBVGY3TQOJQ\u00e9"})
    void badBase32IsRefusedWithoutEchoingTheText(String text) {
        Totp totp = Totp.defaults();

        assertThatThrownBy(() -> totp.verifyBase32(text, "123456"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Base32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text).doesNotContain("GEZDGNBV"));
        // The thread's state is free again: the next call works.
        assertThat(totp.verifyBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "123456")).isNotNull();
    }

    @Test
    void keysOfTheWrongSizeAreRefusedAsTotpSecretRefusesThem() {
        Totp totp = Totp.defaults();
        String tooShort = TotpSecret.generate(new java.security.SecureRandom(), 128).base32().substring(0, 24);

        assertThatThrownBy(() -> totp.verifyKey(new byte[15], "123456")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too short: 120 bits, at least 128 are required");
        assertThatThrownBy(() -> totp.verifyKey(new byte[129], "123456")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too long: 1032 bits, at most 1024 are accepted");
        assertThatThrownBy(() -> totp.verifyBase32(tooShort, "123456")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too short: 120 bits, at least 128 are required");
        assertThatThrownBy(() -> totp.verifyBase32("A".repeat(208), "123456"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secret is too long: 1040 bits, at most 1024 are accepted");
        assertThatThrownBy(() -> totp.verifyBase32("", "123456")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> totp.verifyKey(null, "123456")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> totp.verifyBase32(null, "123456")).isInstanceOf(NullPointerException.class);
        // The largest key fits the scratch space.
        assertThat(totp.verifyBase32("A".repeat(205), "123456")).isNotNull();
    }

    @Test
    void threadsVerifyingDifferentKeysAtOnceEachGetTheirOwnAnswers() throws Exception {
        int threads = 4;
        int perThread = 3_000;
        Totp totp = Totp.defaults();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int wrongAnswers = 0;
                    for (int i = 0; i < perThread; i++) {
                        byte[] key = new byte[20 + random.nextInt(50)];
                        random.nextBytes(key);
                        TotpSecret secret = TotpSecret.ofBytes(key);
                        long step = 50_000_000L + random.nextInt(1000);
                        String good = totp.generate(secret, step + random.nextInt(3) - 1);
                        boolean viaText = random.nextBoolean();
                        TotpMatch match = viaText
                                ? totp.newBuilder().clock(Clock.fixed(Instant.ofEpochSecond(step * 30),
                                        ZoneOffset.UTC)).build().verifyBase32(secret.base32(), good)
                                : totp.verifyKeyAtStep(key, good, step);
                        if (!match.equals(totp.verifyAtStep(secret, good, step))) {
                            wrongAnswers++;
                        }
                    }
                    return wrongAnswers;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutMidstatesThePerCallPathsGiveTheSameAnswers() throws Exception {
        Random random = new Random(4226L);
        String previous = System.setProperty("dev.twofactor.midstates", "false");
        try (IsolatedCore core = IsolatedCore.load()) {
            assertThat(core.midstateHmac("SHA1")).isFalse();
            for (TotpAlgorithm algorithm : TotpAlgorithm.values()) {
                Totp here = Totp.builder().algorithm(algorithm).build();
                for (int round = 0; round < 20; round++) {
                    byte[] key = new byte[16 + random.nextInt(113)];
                    random.nextBytes(key);
                    TotpSecret secret = TotpSecret.ofBytes(key);
                    long step = 1 + random.nextInt(100_000_000);
                    String previousStep = here.generate(secret, step - 1);
                    String far = here.generate(secret, step + 5);
                    boolean farExpected = here.verifyAtStep(secret, far, step).matched();
                    assertThat(core.verifyKeyAtStep(algorithm.name(), key, previousStep, step)).isTrue();
                    assertThat(core.verifyKeyAtStep(algorithm.name(), key, far, step)).isEqualTo(farExpected);
                    Instant now = Instant.ofEpochSecond(step * 30 + 29);
                    assertThat(core.verifyBase32At(algorithm.name(), secret.base32(), previousStep, now)).isTrue();
                    assertThat(core.verifyBase32At(algorithm.name(), secret.base32(), far, now))
                            .isEqualTo(farExpected);
                }
            }
        } finally {
            if (previous == null) {
                System.clearProperty("dev.twofactor.midstates");
            } else {
                System.setProperty("dev.twofactor.midstates", previous);
            }
        }
    }
}
