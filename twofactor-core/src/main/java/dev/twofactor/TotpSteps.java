package dev.twofactor;

import java.time.Clock;

/**
 * The current time step of a {@link Totp}'s clock, {@code floor(epochSeconds / period)}, without a division on every
 * call: the period is not a constant the JIT can turn into a multiplication, and a 64-bit division takes tens of
 * cycles, which showed in a check from a key given per call. The step last computed and the span of milliseconds it
 * covers are kept, and a call inside that span compares instead of divides. The span holds only a time, nothing
 * derived from a key or a code.
 *
 * <p>Shared by every thread that uses the engine: the span is an immutable object in a plain field, so a thread sees
 * no span, the latest, or an older one (its fields are final, so never a half-written one); a span that does not
 * contain the clock's reading is replaced, never trusted.
 */
final class TotpSteps {

    private final Clock clock;
    private final long periodSeconds;
    private final long periodMillis;
    private Span last;

    /** The milliseconds {@code first} to {@code last} (both included) since the epoch, all of them in {@code step}. */
    private record Span(long first, long last, long step) {
    }

    /**
     * @param clock         the engine's clock
     * @param periodSeconds the period, 1 to {@link Integer#MAX_VALUE} seconds
     */
    TotpSteps(Clock clock, long periodSeconds) {
        this.clock = clock;
        this.periodSeconds = periodSeconds;
        this.periodMillis = periodSeconds * 1000L;
    }

    /**
     * Returns the time step of the clock's current instant: {@code floorDiv(floorDiv(millis, 1000), period)}, which
     * is {@code floorDiv(millis, 1000 * period)}.
     *
     * @return the step
     */
    long current() {
        long millis;
        try {
            // Clock.millis() allocates nothing for the system clock, unlike Clock.instant().
            millis = clock.millis();
        } catch (ArithmeticException e) {
            // Only a clock set beyond about 292 million years from 1970 cannot express itself in milliseconds.
            return Math.floorDiv(clock.instant().getEpochSecond(), periodSeconds);
        }
        Span span = last;
        if (span != null && millis >= span.first && millis <= span.last) {
            return span.step;
        }
        return compute(millis);
    }

    private long compute(long millis) {
        long step = Math.floorDiv(millis, periodMillis);
        long first = millis - Math.floorMod(millis, periodMillis);
        // Kept only where the span's ends are longs (not within a period of Long.MIN_VALUE); the end saturates.
        if (first <= millis) {
            long end = first > Long.MAX_VALUE - (periodMillis - 1) ? Long.MAX_VALUE : first + (periodMillis - 1);
            last = new Span(first, end, step);
        }
        return step;
    }
}
