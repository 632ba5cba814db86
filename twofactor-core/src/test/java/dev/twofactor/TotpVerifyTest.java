package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.twofactor.internal.Hotp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpVerifyTest {

    private static final TotpSecret SECRET =
            TotpSecret.ofBytes("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    // RFC 6238 Appendix B, T = 1111111111 s: step 37037037, 6-digit SHA-1 code 050471.
    private static final Instant NOW = Instant.ofEpochSecond(1111111111L);
    private static final long STEP = 37037037L;
    private static final Totp TOTP = Totp.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private static String codeAt(long step) {
        return TOTP.generate(SECRET, step);
    }

    @Test
    void verifyWhenCurrentCodeThenMatchedWithZeroDrift() {
        assertThat(codeAt(STEP)).isEqualTo("050471");

        assertThat(TOTP.verify(SECRET, "050471")).isEqualTo(new TotpMatch.Matched(STEP, 0));
    }

    @Test
    void verifyWhenPreviousOrNextCodeThenMatchedWithItsDrift() {
        assertThat(TOTP.verify(SECRET, codeAt(STEP - 1))).isEqualTo(new TotpMatch.Matched(STEP - 1, -1));
        assertThat(TOTP.verify(SECRET, codeAt(STEP + 1))).isEqualTo(new TotpMatch.Matched(STEP + 1, 1));
    }

    @Test
    void verifyWhenCodeIsTwoStepsAwayWithWindowOneThenMismatch() {
        assertThat(TOTP.verify(SECRET, codeAt(STEP - 2))).isSameAs(TotpMatch.Mismatch.INSTANCE);
        assertThat(TOTP.verify(SECRET, codeAt(STEP + 2))).isSameAs(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyWhenWindowZeroThenOnlyTheCurrentStepMatches() {
        Totp strict = TOTP.newBuilder().window(0).build();

        assertThat(strict.verify(SECRET, codeAt(STEP))).isEqualTo(new TotpMatch.Matched(STEP, 0));
        assertThat(strict.verify(SECRET, codeAt(STEP - 1))).isEqualTo(TotpMatch.Mismatch.INSTANCE);
        assertThat(strict.verify(SECRET, codeAt(STEP + 1))).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyWhenWindowTwoThenTwoStepsEitherSideMatch() {
        Totp lenient = TOTP.newBuilder().window(2).build();

        assertThat(lenient.verify(SECRET, codeAt(STEP - 2))).isEqualTo(new TotpMatch.Matched(STEP - 2, -2));
        assertThat(lenient.verify(SECRET, codeAt(STEP + 2))).isEqualTo(new TotpMatch.Matched(STEP + 2, 2));
        assertThat(lenient.verify(SECRET, codeAt(STEP + 3))).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyWhenWrongCodeThenMismatch() {
        TotpMatch match = TOTP.verify(SECRET, "000000");

        assertThat(match).isSameAs(TotpMatch.Mismatch.INSTANCE);
        assertThat(match.matched()).isFalse();
    }

    @Test
    void verifyWithInstantUsesThatInstantNotTheClock() {
        Instant later = NOW.plusSeconds(3_600);
        String code = TOTP.generateAt(SECRET, later);

        assertThat(TOTP.verify(SECRET, code, later)).isEqualTo(new TotpMatch.Matched(TOTP.timeStep(later), 0));
        assertThat(TOTP.verify(SECRET, code)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyReadsTheInjectedClockOnEveryCall() {
        MutableClock clock = new MutableClock(NOW);
        Totp totp = TOTP.newBuilder().clock(clock).build();
        String code = codeAt(STEP);

        assertThat(totp.verify(SECRET, code)).isEqualTo(new TotpMatch.Matched(STEP, 0));
        clock.set(NOW.plusSeconds(30));
        assertThat(totp.verify(SECRET, code)).isEqualTo(new TotpMatch.Matched(STEP, -1));
        clock.set(NOW.plusSeconds(60));
        assertThat(totp.verify(SECRET, code)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyWhenCodeHasSpacesThenTheyAreIgnored() {
        assertThat(TOTP.verify(SECRET, "050 471")).isEqualTo(new TotpMatch.Matched(STEP, 0));
        assertThat(TOTP.verify(SECRET, " 05 04 71 ")).isEqualTo(new TotpMatch.Matched(STEP, 0));
    }

    @Test
    void verifyAcceptsAnyCharSequence() {
        assertThat(TOTP.verify(SECRET, new StringBuilder("050471"))).isEqualTo(new TotpMatch.Matched(STEP, 0));
    }

    @Test
    void verifyWhenCodeHasLeadingPlusThenMalformed() {
        assertThat(TOTP.verify(SECRET, "+50471")).isSameAs(TotpMatch.Malformed.INSTANCE);
        assertThat(TOTP.verify(SECRET, "+050471")).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @Test
    void verifyWhenCodeHasMinusSignThenMalformed() {
        assertThat(TOTP.verify(SECRET, "-12345")).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @Test
    void verifyWhenCodeUsesArabicIndicDigitsThenMalformed() {
        // U+0660..U+0669, which Integer.parseInt accepts as 050471.
        String arabicIndic = "\u0660\u0665\u0660\u0664\u0667\u0661";
        assertThat(Integer.parseInt(arabicIndic)).isEqualTo(50471);

        assertThat(TOTP.verify(SECRET, arabicIndic)).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @Test
    void verifyWhenCodeUsesFullwidthDigitsThenMalformed() {
        String fullwidth = "\uFF10\uFF15\uFF10\uFF14\uFF17\uFF11";
        assertThat(Integer.parseInt(fullwidth)).isEqualTo(50471);

        assertThat(TOTP.verify(SECRET, fullwidth)).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"05047", "0504711", "5047", "050471050471", "1", "05047a", "abcdef", "05O471", "050,471",
            "050\t471", "050\u00a0471", "0x1234", "5e+005", " ", "      ", "050471\n"})
    void verifyWhenCodeIsNotExactlySixAsciiDigitsThenMalformed(String code) {
        assertThat(TOTP.verify(SECRET, code)).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void verifyWhenCodeIsNullOrEmptyThenMalformed(String code) {
        assertThat(TOTP.verify(SECRET, code)).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @Test
    void verifyWhenCodeIsOverlongThenMalformed() {
        assertThat(TOTP.verify(SECRET, "1".repeat(1000))).isSameAs(TotpMatch.Malformed.INSTANCE);
        // Even when only spaces pad a valid code past the limit: the length check comes before any loop.
        String padded = "050471" + " ".repeat(Totp.MAX_CODE_INPUT_LENGTH - 6 + 1);
        assertThat(TOTP.verify(SECRET, padded)).isSameAs(TotpMatch.Malformed.INSTANCE);
        String atLimit = "050471" + " ".repeat(Totp.MAX_CODE_INPUT_LENGTH - 6);
        assertThat(TOTP.verify(SECRET, atLimit)).isEqualTo(new TotpMatch.Matched(STEP, 0));
    }

    @Test
    void verifyWhenCodeIsOverlongThenItsCharactersAreNotRead() {
        CharSequence huge = new CharSequence() {
            @Override
            public int length() {
                return Integer.MAX_VALUE;
            }

            @Override
            public char charAt(int index) {
                throw new AssertionError("read character " + index);
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new AssertionError("subSequence");
            }
        };

        assertThat(TOTP.verify(SECRET, huge)).isSameAs(TotpMatch.Malformed.INSTANCE);
    }

    @Test
    void verifyWhenCodeIsMalformedThenNoHmacIsComputed() {
        // Holding this thread's HMAC state makes any HMAC attempt fail loudly.
        Hotp held = Hotp.begin(Hotp.Key.derive(Hotp.Hash.SHA1, new byte[20]));
        try {
            assertThat(TOTP.verify(SECRET, "+12345")).isSameAs(TotpMatch.Malformed.INSTANCE);
            assertThat(TOTP.verify(SECRET, "1".repeat(1000))).isSameAs(TotpMatch.Malformed.INSTANCE);
            assertThatThrownBy(() -> TOTP.verify(SECRET, "123456")).isInstanceOf(IllegalStateException.class);
        } finally {
            held.close();
        }
    }

    @Test
    void verifyWhenEightDigitEngineThenSixDigitsAreMalformed() {
        Totp eight = TOTP.newBuilder().digits(8).build();

        assertThat(eight.verify(SECRET, "050471")).isSameAs(TotpMatch.Malformed.INSTANCE);
        assertThat(eight.verify(SECRET, "14050471")).isEqualTo(new TotpMatch.Matched(STEP, 0));
    }

    @Test
    void verifyWhenSeveralStepsMatchThenTheClosestIsReported() {
        // Found by search: with this secret, steps 910737 and 910738 both have code 911617.
        assertThat(codeAt(910737)).isEqualTo("911617").isEqualTo(codeAt(910738));
        Totp wide = TOTP.newBuilder().window(2).build();

        assertThat(wide.verifyAtStep(SECRET, "911617", 910738)).isEqualTo(new TotpMatch.Matched(910738, 0));
        assertThat(wide.verifyAtStep(SECRET, "911617", 910737)).isEqualTo(new TotpMatch.Matched(910737, 0));
        assertThat(wide.verifyAtStep(SECRET, "911617", 910739)).isEqualTo(new TotpMatch.Matched(910738, -1));
        assertThat(wide.verifyAtStep(SECRET, "911617", 910736)).isEqualTo(new TotpMatch.Matched(910737, 1));
        assertThat(wide.verifyAtStep(SECRET, "911617", 910740)).isEqualTo(new TotpMatch.Matched(910738, -2));
    }

    @Test
    void verifyWhenPreviousAndNextStepBothMatchThenThePreviousIsReported() {
        // Found by search: steps 153567 and 153569 both have code 468457.
        assertThat(codeAt(153567)).isEqualTo("468457").isEqualTo(codeAt(153569));
        assertThat(codeAt(153568)).isNotEqualTo("468457");

        assertThat(TOTP.verifyAtStep(SECRET, "468457", 153568)).isEqualTo(new TotpMatch.Matched(153567, -1));
    }

    @Test
    void verifyAtStepZeroDoesNotConsiderNegativeSteps() {
        assertThat(TOTP.verifyAtStep(SECRET, codeAt(0), 0)).isEqualTo(new TotpMatch.Matched(0, 0));
        assertThat(TOTP.verifyAtStep(SECRET, codeAt(1), 0)).isEqualTo(new TotpMatch.Matched(1, 1));
        assertThat(TOTP.verifyAtStep(SECRET, codeAt(0), 1)).isEqualTo(new TotpMatch.Matched(0, -1));
    }

    @Test
    void verifyBeforeTheEpochThenMismatchWithoutError() {
        Instant before = Instant.parse("1969-12-31T23:59:59Z");

        assertThat(TOTP.timeStep(before)).isEqualTo(-1);
        // Step -1 with window 1: only step 0 is a candidate.
        assertThat(TOTP.verify(SECRET, codeAt(0), before)).isEqualTo(new TotpMatch.Matched(0, 1));
        assertThat(TOTP.verify(SECRET, codeAt(0), Instant.parse("1969-12-31T23:58:59Z")))
                .isEqualTo(TotpMatch.Mismatch.INSTANCE);
        assertThat(TOTP.verify(SECRET, "123456", Instant.MIN)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
        assertThat(TOTP.verifyAtStep(SECRET, "123456", Long.MIN_VALUE)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyNearLongMaxDoesNotOverflowTheWindow() {
        long max = Long.MAX_VALUE;

        assertThat(TOTP.verifyAtStep(SECRET, codeAt(max), max)).isEqualTo(new TotpMatch.Matched(max, 0));
        assertThat(TOTP.verifyAtStep(SECRET, codeAt(max - 1), max)).isEqualTo(new TotpMatch.Matched(max - 1, -1));
        assertThat(TOTP.verifyAtStep(SECRET, codeAt(max), max - 1)).isEqualTo(new TotpMatch.Matched(max, 1));
    }

    @Test
    void verifyNearLongMinDoesNotWrapAroundToLongMax() {
        // Long.MIN_VALUE - 1 wraps to Long.MAX_VALUE, a valid step; it must not become a candidate.
        String codeAtMax = codeAt(Long.MAX_VALUE);

        assertThat(TOTP.verifyAtStep(SECRET, codeAtMax, Long.MIN_VALUE)).isEqualTo(TotpMatch.Mismatch.INSTANCE);
    }

    @Test
    void verifyAtTheLatestInstantWorks() {
        Totp totp = TOTP.newBuilder().clock(Clock.fixed(Instant.MAX, ZoneOffset.UTC)).build();
        long step = totp.timeStep(Instant.MAX);

        assertThat(totp.currentTimeStep()).isEqualTo(step);
        assertThat(totp.verify(SECRET, totp.generate(SECRET, step))).isEqualTo(new TotpMatch.Matched(step, 0));
    }

    @Test
    void verifyRejectsNullSecret() {
        assertThatThrownBy(() -> TOTP.verify(null, "123456")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void verifyWithOtherPeriodUsesItsSteps() {
        Totp minute = TOTP.newBuilder().period(Duration.ofSeconds(60)).build();
        String code = minute.generateAt(SECRET, NOW);

        assertThat(minute.verify(SECRET, code, NOW.plusSeconds(60)))
                .isEqualTo(new TotpMatch.Matched(1111111111L / 60, -1));
    }
}
