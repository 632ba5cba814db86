package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TotpWindow#reduce}, the reduction of a truncated HMAC to a code without a division: the remainder for every
 * value HOTP truncation can produce, checked around every multiple of the modulus (where a reciprocal that is off by
 * one shows), at both ends of the range and at a million random values.
 */
class TotpWindowTest {

    @ParameterizedTest
    @ValueSource(ints = {6, 7, 8})
    void reduceIsTheRemainderOfEveryThirtyOneBitValue(int digits) {
        int modulus = (int) Math.pow(10, digits);
        for (long multiple = 0; multiple <= Integer.MAX_VALUE; multiple += modulus) {
            for (long value = multiple - 2; value <= multiple + 2; value++) {
                if (value >= 0 && value <= Integer.MAX_VALUE) {
                    assertRemainder((int) value, digits, modulus);
                }
            }
        }
        for (int value = 0; value < 1_000; value++) {
            assertRemainder(value, digits, modulus);
            assertRemainder(Integer.MAX_VALUE - value, digits, modulus);
        }
        SplittableRandom random = new SplittableRandom(4226L);
        for (int i = 0; i < 1_000_000; i++) {
            assertRemainder(random.nextInt() & Integer.MAX_VALUE, digits, modulus);
        }
    }

    private static void assertRemainder(int value, int digits, int modulus) {
        int reduced = TotpWindow.reduce(value, digits);
        if (reduced != value % modulus) {
            // Only build the assertion (and its message) for a failure: a million values pass through here.
            assertThat(reduced).as("%d mod 10^%d", value, digits).isEqualTo(value % modulus);
        }
    }
}
