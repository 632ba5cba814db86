package dev.twofactor;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The brute-force gate every check passes through (SPEC §7): the refusal during a backoff or a lock, the failure
 * count with its compare-and-set loop, the reset after a success, and the events that report them, naming which check
 * it was.
 */
final class BackoffGate {

    private final BackoffStore store;
    private final BackoffPolicy policy;
    private final Events events;

    BackoffGate(BackoffStore store, BackoffPolicy policy, Events events) {
        this.store = store;
        this.policy = policy;
        this.events = events;
    }

    /** {@code null} if the user may be checked now; otherwise the refusal, decided without looking at any input. */
    static <T> Outcome<T> refusal(BackoffState backoff, Instant now) {
        if (backoff.locked()) {
            return new Outcome.Locked<>();
        }
        if (now.isBefore(backoff.blockedUntil())) {
            return new Outcome.RateLimited<>(Duration.between(now, backoff.blockedUntil()));
        }
        return null;
    }

    /** Counts a failed check of the user's second factor and returns the rejection. */
    <T> Outcome<T> fail(String userId, BackoffState observed, Instant now, Check check, Reason reason) {
        return fail(userId, userId, observed, now, check, reason);
    }

    /** Counts a failure under {@code backoffKey} (the user id, or a derived key), reporting it for {@code userId}. */
    <T> Outcome<T> fail(String backoffKey, String userId, BackoffState observed, Instant now, Check check,
                        Reason reason) {
        BackoffState current = observed;
        BackoffState next;
        Duration delay;
        while (true) {
            int failures = current.failures() == Integer.MAX_VALUE ? Integer.MAX_VALUE : current.failures() + 1;
            delay = policy.delayAfter(failures);
            Instant blockedUntil = delay.isZero() ? current.blockedUntil() : now.plus(delay);
            if (blockedUntil.isBefore(current.blockedUntil())) {
                blockedUntil = current.blockedUntil(); // never shorten a backoff another node started
            }
            next = new BackoffState(failures, blockedUntil, current.locked() || policy.locksAt(failures));
            if (store.compareAndSet(backoffKey, current, next)) {
                break;
            }
            current = store.findBackoff(backoffKey); // another failure or a reset came first: count on top of it
        }
        reportFailure(userId, now, check, reason, current, next, delay);
        return Outcome.rejected(reason);
    }

    private void reportFailure(String userId, Instant now, Check check, Reason reason, BackoffState before,
                               BackoffState after, Duration delay) {
        String failures = Integer.toString(after.failures());
        events.emit(TwoFactorEventType.VERIFICATION_FAILED, userId, now,
                Map.of("check", check.name(), "reason", reason.name(), "failures", failures));
        if (!delay.isZero()) {
            long seconds = new Outcome.RateLimited<>(delay).retryAfterSeconds();
            events.emit(TwoFactorEventType.BACKOFF_STARTED, userId, now,
                    Map.of("check", check.name(), "failures", failures, "retryAfterSeconds", Long.toString(seconds)));
        }
        if (after.locked() && !before.locked()) {
            events.emit(TwoFactorEventType.LOCKED, userId, now, Map.of("check", check.name(), "failures", failures));
        }
    }

    /**
     * A check passed: the backoff returns to its start (no write when there is nothing to reset). A compare-and-set,
     * not a blind reset: a lock that concurrent failures set after this check read the state stands until an
     * administrator resets it.
     */
    void succeeded(String backoffKey, BackoffState observed) {
        BackoffState current = observed;
        while (!current.equals(BackoffState.NONE) && !current.locked()) {
            if (store.compareAndSet(backoffKey, current, BackoffState.NONE)) {
                return;
            }
            current = store.findBackoff(backoffKey); // a failure or a reset came first
        }
    }
}
