package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Outcome.RateLimited}: the value, the seconds and the text agree, rounded up to whole seconds. */
class OutcomeRateLimitedTest {

    @ParameterizedTest(name = "{0} ms -> {1} s")
    @CsvSource({"1, 1", "999, 1", "1000, 1", "1001, 2", "1500, 2", "3600000, 3600", "0, 1", "-5, 1"})
    void retryAfterIsRoundedUpToWholeSecondsAndAtLeastOne(long millis, long seconds) {
        Outcome.RateLimited<Object> limited = new Outcome.RateLimited<>(Duration.ofMillis(millis));

        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(limited.retryAfterSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest(name = "{0} s")
    @CsvSource({"1, 'Too many failed attempts. Try again in 1 second.'",
            "2, 'Too many failed attempts. Try again in 2 seconds.'"})
    void messageSaysSecondInTheSingular(long seconds, String message) {
        assertThat(new Outcome.RateLimited<>(Duration.ofSeconds(seconds)).message()).isEqualTo(message);
    }
}
