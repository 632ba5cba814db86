package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

    @Test
    void defaultsAreSha1SixDigitsThirtySecondsWindowOneSystemUtc() {
        Totp totp = Totp.defaults();

        assertThat(totp.algorithm()).isEqualTo(TotpAlgorithm.SHA1).isEqualTo(Totp.DEFAULT_ALGORITHM);
        assertThat(totp.digits()).isEqualTo(6).isEqualTo(Totp.DEFAULT_DIGITS);
        assertThat(totp.period()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(Totp.DEFAULT_PERIOD);
        assertThat(totp.window()).isEqualTo(1).isEqualTo(Totp.DEFAULT_WINDOW);
        assertThat(totp.clock()).isEqualTo(Clock.systemUTC());
        assertThat(Totp.builder().build()).isEqualTo(totp);
        assertThat(Totp.MAX_CODE_INPUT_LENGTH).isEqualTo(64);
    }

    @Test
    void builderSetsEverySetting() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

        Totp totp = Totp.builder().algorithm(TotpAlgorithm.SHA512).digits(8).period(Duration.ofMinutes(1))
                .window(3).clock(clock).build();

        assertThat(totp.algorithm()).isEqualTo(TotpAlgorithm.SHA512);
        assertThat(totp.digits()).isEqualTo(8);
        assertThat(totp.period()).isEqualTo(Duration.ofSeconds(60));
        assertThat(totp.window()).isEqualTo(3);
        assertThat(totp.clock()).isSameAs(clock);
    }

    @Test
    void newBuilderStartsFromTheEngineAndLeavesItUnchanged() {
        Totp original = Totp.builder().algorithm(TotpAlgorithm.SHA256).digits(7).window(2).build();

        Totp derived = original.newBuilder().digits(8).build();

        assertThat(derived.algorithm()).isEqualTo(TotpAlgorithm.SHA256);
        assertThat(derived.window()).isEqualTo(2);
        assertThat(derived.digits()).isEqualTo(8);
        assertThat(original.digits()).isEqualTo(7);
        assertThat(original.newBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 5, 9, 10})
    void buildWhenDigitsOutOfRangeThenIllegalArgument(int digits) {
        Totp.Builder builder = Totp.builder().digits(digits);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Digits must be from 6 to 8, got " + digits);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 11, 100})
    void buildWhenWindowOutOfRangeThenIllegalArgument(int window) {
        Totp.Builder builder = Totp.builder().window(window);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Window must be from 0 to 10, got " + window);
    }

    @Test
    void buildWhenPeriodNotWholePositiveSecondsThenIllegalArgument() {
        assertThatThrownBy(() -> Totp.builder().period(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> Totp.builder().period(Duration.ofSeconds(-30)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> Totp.builder().period(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> Totp.builder().period(Duration.ofMillis(1500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> Totp.builder().period(Duration.ofSeconds(1L << 31)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void builderRejectsNullsAtOnce() {
        assertThatThrownBy(() -> Totp.builder().algorithm(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Totp.builder().period(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Totp.builder().clock(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void buildAcceptsTheBoundaries() {
        assertThat(Totp.builder().digits(6).window(0).period(Duration.ofSeconds(1)).build().window()).isZero();
        assertThat(Totp.builder().digits(8).window(10).period(Duration.ofSeconds(Integer.MAX_VALUE)).build()
                .digits()).isEqualTo(8);
    }

    @Test
    void timeStepIsFloorOfEpochSecondsOverPeriod() {
        Totp totp = Totp.defaults();

        assertThat(totp.timeStep(Instant.EPOCH)).isZero();
        assertThat(totp.timeStep(Instant.ofEpochSecond(29, 999_999_999))).isZero();
        assertThat(totp.timeStep(Instant.ofEpochSecond(30))).isEqualTo(1);
        assertThat(totp.timeStep(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(totp.timeStep(Instant.ofEpochSecond(-1))).isEqualTo(-1);
        assertThat(totp.timeStep(Instant.ofEpochSecond(-30))).isEqualTo(-1);
        assertThat(totp.timeStep(Instant.ofEpochSecond(-31))).isEqualTo(-2);
        assertThat(totp.timeStep(Instant.MAX)).isEqualTo(Instant.MAX.getEpochSecond() / 30);
    }

    @Test
    void currentTimeStepReadsTheClock() {
        Totp totp = Totp.builder().clock(Clock.fixed(Instant.ofEpochSecond(1234567890L), ZoneOffset.UTC)).build();

        assertThat(totp.currentTimeStep()).isEqualTo(41152263L);
    }

    @Test
    void generateZeroPadsToDigits() {
        // RFC 6238 Appendix B: the 8-digit SHA-1 code at 1111111109 s is 07081804.
        TotpSecret rfc = TotpSecret.ofBytes("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        Totp totp = Totp.builder().digits(8).build();

        assertThat(totp.generateAt(rfc, Instant.ofEpochSecond(1111111109L))).isEqualTo("07081804");
        assertThat(Totp.builder().digits(7).build().generateAt(rfc, Instant.ofEpochSecond(1111111109L)))
                .isEqualTo("7081804");
    }

    @Test
    void generateWhenTimeStepNegativeThenIllegalArgument() {
        assertThatThrownBy(() -> Totp.defaults().generate(SECRET, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Totp.defaults().generateAt(SECRET, Instant.ofEpochSecond(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generateAtLongMaxStepUsesAllSixtyFourCounterBits() {
        String atMax = Totp.defaults().generate(SECRET, Long.MAX_VALUE);

        assertThat(atMax).hasSize(6).containsOnlyDigits();
    }

    @Test
    void engineIsSafeToShareBetweenThreads() throws InterruptedException {
        Totp totp = Totp.defaults();
        String[] expected = new String[500];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = totp.generate(SECRET, i);
        }
        boolean[] failed = new boolean[1];
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < expected.length; i++) {
                    if (!totp.verifyAtStep(SECRET, expected[i], i).matched() || !totp.generate(SECRET, i)
                            .equals(expected[i])) {
                        failed[0] = true;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failed[0]).isFalse();
    }

    @Test
    void toStringShowsSettings() {
        assertThat(Totp.defaults()).hasToString("Totp[SHA1, 6 digits, period 30s, window 1, SystemClock[Z]]");
    }
}
