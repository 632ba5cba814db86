package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The window check computes its steps' HMACs several at a time (side by side on the midstate path): every step of
 * every window size is still computed, each with its own counter, each compared with the input, and the one reported
 * is the closest match, on the held secret, the raw key and the Base32 text alike. Expected answers come from
 * {@code javax.crypto.Mac}, independently of twofactor's HMAC, so a batch that computed a wrong step, skipped one,
 * mixed two steps' results or compared a step that is not a candidate fails here.
 */
class TotpWindowStepsTest {

    private static final long PERIOD = 30;

    /** The code of a 64-bit counter by {@code javax.crypto.Mac}: RFC 4226 dynamic truncation, then the remainder. */
    private static int referenceCode(TotpAlgorithm algorithm, byte[] key, long counter, int digits)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.macName());
        mac.init(new SecretKeySpec(key, algorithm.macName()));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
        return binary % (int) Math.pow(10, digits);
    }

    private static String text(int code, int digits) {
        return String.format("%0" + digits + "d", code);
    }

    /**
     * The reference answer: the first candidate, in the order 0, -1, +1, -2, +2, ..., whose code is the input;
     * steps below zero and past {@link Long#MAX_VALUE} are no candidates.
     */
    private static TotpMatch expected(TotpAlgorithm algorithm, byte[] key, int code, long currentStep, int window,
                                      int digits) throws GeneralSecurityException {
        for (int i = 0; i < 2 * window + 1; i++) {
            int drift = (i & 1) == 0 ? i >> 1 : -((i + 1) >> 1);
            long step = currentStep + drift;
            boolean overflowed = drift > 0 && step < currentStep;
            if (!overflowed && step >= 0 && referenceCode(algorithm, key, step, digits) == code) {
                return new TotpMatch.Matched(step, drift);
            }
        }
        return TotpMatch.Mismatch.INSTANCE;
    }

    private static Totp engine(TotpAlgorithm algorithm, int window, int digits, long currentStep) {
        Instant now = Instant.ofEpochSecond(currentStep * PERIOD + 7);
        return Totp.builder().algorithm(algorithm).window(window).digits(digits).period(Duration.ofSeconds(PERIOD))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void everyDriftOfEveryWindowMatchesAtItsOwnStepOnEveryPath(TotpAlgorithm algorithm)
            throws GeneralSecurityException {
        Random random = new Random(6238L + algorithm.ordinal());
        byte[] key = new byte[20];
        random.nextBytes(key);
        // A step whose 23 codes around it (the widest window and one step past either end) are all distinct, so that
        // each code matches at its own drift and nowhere else.
        long currentStep = 55_000_000L;
        int[] codes = new int[2 * Totp.MAX_WINDOW + 3];
        while (true) {
            Set<Integer> seen = new HashSet<>();
            for (int d = -Totp.MAX_WINDOW - 1; d <= Totp.MAX_WINDOW + 1; d++) {
                codes[d + Totp.MAX_WINDOW + 1] = referenceCode(algorithm, key, currentStep + d, 6);
                seen.add(codes[d + Totp.MAX_WINDOW + 1]);
            }
            if (seen.size() == codes.length) {
                break;
            }
            currentStep++;
        }
        TotpSecret secret = TotpSecret.ofBytes(key);
        for (int window = 0; window <= Totp.MAX_WINDOW; window++) {
            Totp totp = engine(algorithm, window, 6, currentStep);
            for (int drift = -window - 1; drift <= window + 1; drift++) {
                String code = text(codes[drift + Totp.MAX_WINDOW + 1], 6);
                TotpMatch want = Math.abs(drift) <= window ? new TotpMatch.Matched(currentStep + drift, drift)
                        : TotpMatch.Mismatch.INSTANCE;
                String as = "window " + window + ", drift " + drift;
                assertThat(totp.verifyAtStep(secret, code, currentStep)).as("held secret, " + as).isEqualTo(want);
                assertThat(totp.verifyKeyAtStep(key, code, currentStep)).as("raw key, " + as).isEqualTo(want);
                assertThat(totp.verifyBase32(secret.base32(), code)).as("Base32, " + as).isEqualTo(want);
                assertThat(totp.verify(TotpSecret.ofBytes(key), code)).as("secret per call, " + as).isEqualTo(want);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void randomKeysStepsWindowsAndDigitsGiveTheReferenceAnswer(TotpAlgorithm algorithm)
            throws GeneralSecurityException {
        Random random = new Random(4226L + algorithm.ordinal());
        for (int round = 0; round < 300; round++) {
            byte[] key = new byte[16 + random.nextInt(113)];
            random.nextBytes(key);
            int window = random.nextInt(Totp.MAX_WINDOW + 1);
            int digits = Totp.MIN_DIGITS + random.nextInt(Totp.MAX_DIGITS - Totp.MIN_DIGITS + 1);
            long currentStep = switch (round % 5) {
                case 0 -> random.nextInt(window + 2);  // steps below zero in the window
                case 1 -> Long.MAX_VALUE - random.nextInt(window + 2);  // steps past Long.MAX_VALUE in the window
                default -> 1 + random.nextInt(100_000_000);
            };
            // A code of a step in the window or just outside it (computed as a 64-bit counter, wrapped or negative
            // if it must be), or a random one.
            int drift = random.nextInt(2 * window + 3) - window - 1;
            int code = round % 7 == 0 ? random.nextInt((int) Math.pow(10, digits))
                    : referenceCode(algorithm, key, currentStep + drift, digits);
            String as = "round " + round + ", window " + window + ", digits " + digits + ", step " + currentStep
                    + ", drift " + drift;
            TotpMatch want = expected(algorithm, key, code, currentStep, window, digits);
            Totp totp = engine(algorithm, window, digits, 1);
            assertThat(totp.verifyKeyAtStep(key, text(code, digits), currentStep)).as("raw key, " + as)
                    .isEqualTo(want);
            assertThat(totp.verifyAtStep(TotpSecret.ofBytes(key), text(code, digits), currentStep))
                    .as("held secret, " + as).isEqualTo(want);
            if (currentStep < 1L << 40) {
                Totp atStep = engine(algorithm, window, digits, currentStep);
                assertThat(atStep.verifyBase32(TotpSecret.ofBytes(key).base32(), text(code, digits)))
                        .as("Base32, " + as).isEqualTo(want);
            }
        }
    }

    @Test
    void codesOfStepsBelowZeroAndPastTheLastAreComputedNeverAccepted() throws GeneralSecurityException {
        TotpAlgorithm algorithm = TotpAlgorithm.SHA1;
        Random random = new Random(2104L);
        int window = 3;
        int checked = 0;
        while (checked < 20) {
            byte[] key = new byte[20];
            random.nextBytes(key);
            Totp totp = engine(algorithm, window, 6, 1);
            // Step 1: -1 and -2 lie in the window, as the 64-bit counters 2^64 - 1 and 2^64 - 2.
            int below = referenceCode(algorithm, key, -2L, 6);
            // Step Long.MAX_VALUE - 1: +2 and +3 wrap to Long.MIN_VALUE and Long.MIN_VALUE + 1.
            int past = referenceCode(algorithm, key, Long.MIN_VALUE + 1, 6);
            if (expected(algorithm, key, below, 1, window, 6).matched()
                    || expected(algorithm, key, past, Long.MAX_VALUE - 1, window, 6).matched()) {
                continue;  // the code is also that of a candidate: no evidence either way
            }
            assertThat(totp.verifyKeyAtStep(key, text(below, 6), 1)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
            assertThat(totp.verifyKeyAtStep(key, text(past, 6), Long.MAX_VALUE - 1))
                    .isEqualTo(TotpMatch.Mismatch.INSTANCE);
            // While the candidates next to them still match, at their own steps.
            assertThat(totp.verifyKeyAtStep(key, text(referenceCode(algorithm, key, 0, 6), 6), 1))
                    .isEqualTo(expected(algorithm, key, referenceCode(algorithm, key, 0, 6), 1, window, 6));
            int last = referenceCode(algorithm, key, Long.MAX_VALUE, 6);
            assertThat(totp.verifyKeyAtStep(key, text(last, 6), Long.MAX_VALUE - 1))
                    .isEqualTo(expected(algorithm, key, last, Long.MAX_VALUE - 1, window, 6))
                    .matches(TotpMatch::matched);
            checked++;
        }
    }
}
