package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compares with java-otp, an independent implementation, on random secrets (128 to 1024 bits, so both shorter and
 * longer than the HMAC block), times, digit counts and periods. Seeded, so a failure reproduces.
 */
class JavaOtpCrossCheckTest {

    private static final int CASES = 3_000;

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void generateAtAgreesWithJavaOtpOnRandomSecretsAndTimes(TotpAlgorithm algorithm) throws InvalidKeyException {
        Random random = new Random(6238L + algorithm.ordinal());
        for (int i = 0; i < CASES; i++) {
            TotpSecret secret = TotpSecret.generate(seeded(random), 8 * (16 + random.nextInt(113)));
            int digits = 6 + random.nextInt(3);
            Duration period = Duration.ofSeconds(randomPeriod(random));
            // Up to about 2^40 s (year 36812): well past 2038 and the 32-bit counter boundary.
            Instant instant = Instant.ofEpochSecond(random.nextLong() >>> 24);
            Totp totp = Totp.builder().algorithm(algorithm).digits(digits).period(period).build();
            TimeBasedOneTimePasswordGenerator reference =
                    new TimeBasedOneTimePasswordGenerator(period, digits, algorithm.macName());

            int expected = reference.generateOneTimePassword(
                    new SecretKeySpec(secret.bytes(), algorithm.macName()), instant);

            String actual = totp.generateAt(secret, instant);
            assertThat(actual).as("case %d", i).hasSize(digits).isEqualTo(zeroPadded(expected, digits));
        }
    }

    @ParameterizedTest
    @EnumSource(TotpAlgorithm.class)
    void verifyAcceptsJavaOtpCodesWithinTheWindowAndReportsTheirDrift(TotpAlgorithm algorithm)
            throws InvalidKeyException {
        Random random = new Random(4226L + algorithm.ordinal());
        for (int i = 0; i < CASES / 10; i++) {
            TotpSecret secret = TotpSecret.generate(seeded(random), 160);
            Totp totp = Totp.builder().algorithm(algorithm).window(2).build();
            TimeBasedOneTimePasswordGenerator reference =
                    new TimeBasedOneTimePasswordGenerator(totp.period(), 6, algorithm.macName());
            Instant now = Instant.ofEpochSecond(1_000_000_000L + (random.nextLong() >>> 34));
            int drift = random.nextInt(5) - 2;

            int code = reference.generateOneTimePassword(new SecretKeySpec(secret.bytes(), algorithm.macName()),
                    now.plus(totp.period().multipliedBy(drift)));

            TotpMatch match = totp.verify(secret, zeroPadded(code, 6), now);
            // A random code can also match a closer step by chance (1 in 10^6 per step); the seed avoids that.
            assertThat(match).as("case %d", i).isEqualTo(new TotpMatch.Matched(totp.timeStep(now) + drift, drift));
        }
    }

    private static int randomPeriod(Random random) {
        int[] common = {30, 30, 30, 60, 15};
        return random.nextBoolean() ? common[random.nextInt(common.length)] : 1 + random.nextInt(3_600);
    }

    private static SecureRandom seeded(Random random) {
        // A SecureRandom facade over the seeded Random, so that failures reproduce.
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                random.nextBytes(bytes);
            }
        };
    }

    private static String zeroPadded(int code, int digits) {
        return String.format("%0" + digits + "d", code);
    }
}
