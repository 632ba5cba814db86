package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BackoffPolicy#delayAfter} against the schedule its javadoc states, computed without overflow: zero up to the
 * tolerated failures, then the initial delay doubling per failure, capped at the maximum. Every failure count up to
 * 300 (past the 62 doublings where a {@code long} shift would wrap) and the largest ones, for odd and even initial
 * delays, so that neither an off-by-one at the tolerated count nor a wrapped shift can give a wrong or negative delay.
 */
class BackoffScheduleTest {

    static Stream<Arguments> policies() {
        long[] initials = {1, 3, 999, 1_000, 1_001, (1L << 40) + 1};
        long[] maxima = {3_600_000, 1L << 50};
        int[] tolerated = {0, 1, 5};
        Stream.Builder<Arguments> all = Stream.builder();
        for (long initial : initials) {
            for (long max : maxima) {
                for (int t : tolerated) {
                    if (max >= initial) {
                        all.add(Arguments.of(initial, max, t));
                    }
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "initial {0} ms, max {1} ms, tolerated {2}")
    @MethodSource("policies")
    void everyFailureCountGetsTheDocumentedDelay(long initialMillis, long maxMillis, int tolerated) {
        BackoffPolicy policy = BackoffPolicy.builder()
                .toleratedFailures(tolerated)
                .initialDelay(Duration.ofMillis(initialMillis))
                .maxDelay(Duration.ofMillis(maxMillis))
                .lockAfter(Integer.MAX_VALUE)
                .build();
        Duration previous = Duration.ZERO;
        for (int failures = 0; failures <= 300; failures++) {
            Duration delay = policy.delayAfter(failures);
            assertThat(delay).as("%d failures", failures).isEqualTo(expected(initialMillis, maxMillis, tolerated,
                    failures));
            assertThat(delay).as("never shorter than after one failure less").isGreaterThanOrEqualTo(previous);
            previous = delay;
        }
        for (int failures : new int[] {1_000, 1 << 20, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
            assertThat(policy.delayAfter(failures)).as("%d failures", failures).isEqualTo(Duration.ofMillis(maxMillis));
        }
    }

    private static Duration expected(long initialMillis, long maxMillis, int tolerated, int failures) {
        if (failures <= tolerated) {
            return Duration.ZERO;
        }
        BigInteger doubled = BigInteger.valueOf(initialMillis).shiftLeft(failures - tolerated - 1);
        return Duration.ofMillis(doubled.min(BigInteger.valueOf(maxMillis)).longValueExact());
    }
}
