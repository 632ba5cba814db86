package dev.twofactor.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that each thread sets for itself, so that one shared {@link dev.twofactor.TwoFactorService} can serve
 * several benchmark threads that each walk their own users through time steps at their own pace. Reading it costs a
 * {@link ThreadLocal} lookup.
 */
final class ThreadClock extends Clock {

    private final ThreadLocal<long[]> millis;

    ThreadClock(long initialMillis) {
        this.millis = ThreadLocal.withInitial(() -> new long[] {initialMillis});
    }

    void set(long epochMillis) {
        millis.get()[0] = epochMillis;
    }

    @Override
    public long millis() {
        return millis.get()[0];
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A benchmark clock has one zone");
    }
}
