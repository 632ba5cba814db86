package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Totp#currentTimeStep()} keeps the last step and its span ({@link TotpSteps}): whatever order the clock is
 * read in, each answer must be the two floor divisions of the clock's reading, as computed without any kept state.
 */
class TotpStepsTest {

    /** A clock that shows whatever millisecond it was set to, any long. */
    private static final class SetClock extends Clock {
        private long millis;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static long expected(long millis, long periodSeconds) {
        return Math.floorDiv(Math.floorDiv(millis, 1000L), periodSeconds);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 30, 60, 86_400, Integer.MAX_VALUE})
    void everyReadingGivesTheStepOfItsOwnMillisecond(long periodSeconds) {
        SetClock clock = new SetClock();
        Totp totp = Totp.builder().period(Duration.ofSeconds(periodSeconds)).clock(clock).build();
        long periodMillis = periodSeconds * 1000L;
        SplittableRandom random = new SplittableRandom(periodSeconds);
        long[] anchors = {0, 1_700_000_000_000L, -1_700_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE - periodMillis, Long.MIN_VALUE + periodMillis,
            Math.floorDiv(Long.MAX_VALUE, periodMillis) * periodMillis,
            Math.floorDiv(Long.MIN_VALUE, periodMillis) * periodMillis + periodMillis};
        for (int round = 0; round < 20_000; round++) {
            long millis;
            switch (round % 4) {
                // Around a period boundary near an anchor: the last millisecond of a step, then the first of the next.
                case 0 -> {
                    long anchor = anchors[random.nextInt(anchors.length)];
                    long boundary = anchor - Math.floorMod(anchor, periodMillis);
                    millis = boundary + random.nextInt(5) - 2;
                }
                // Anywhere, including jumps back and forth across the whole range.
                case 1 -> millis = random.nextLong();
                // Near the last reading, within a period or two either way.
                case 2 -> millis = clock.millis + random.nextLong(-2 * periodMillis, 2 * periodMillis + 1);
                // The same reading again.
                default -> millis = clock.millis;
            }
            clock.millis = millis;
            assertThat(totp.currentTimeStep()).as("millis %d, period %d s", millis, periodSeconds)
                    .isEqualTo(expected(millis, periodSeconds));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 29_999, 30_000, Long.MAX_VALUE - 1,
        Long.MAX_VALUE})
    void theExtremesAgreeReadTwice(long millis) {
        SetClock clock = new SetClock();
        Totp totp = Totp.builder().clock(clock).build();
        clock.millis = millis;

        assertThat(totp.currentTimeStep()).isEqualTo(expected(millis, 30));
        assertThat(totp.currentTimeStep()).isEqualTo(expected(millis, 30));
        clock.millis = millis == Long.MIN_VALUE ? Long.MAX_VALUE : millis - 1;
        assertThat(totp.currentTimeStep()).isEqualTo(expected(clock.millis, 30));
    }
}
