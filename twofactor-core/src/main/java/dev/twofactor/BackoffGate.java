package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The brute-force gate every check passes through (SPEC §7): the refusal during a backoff or a lock, the failure
 * count with its compare-and-set loop, the accepting step under the gate, the reset after a success, and the events
 * that report them, naming which check it was.
 *
 * <p>A check's outcome is decided atomically with the backoff state {@code S} it read before looking at the input:
 * <ul>
 *   <li>a wrong input is answered as wrong only if the compare-and-set {@code S → S+1} succeeds; on a conflict the
 *       state is read again, and if it is now closed (a backoff running, or locked) the answer is that refusal, as
 *       for a request that came a moment later; otherwise the failure is counted on top of the new state. So of any
 *       burst at most {@code toleratedFailures + 1} are answered as wrong, and the count stops at the lock;</li>
 *   <li>a right input is accepted only by a store statement conditional on the state still being {@code S}
 *       ({@link Accept}); if it is not, and the state is now closed, the answer is the refusal a wrong input gets.</li>
 * </ul>
 */
final class BackoffGate {

    /** The accepting step of a check, under the gate: {@code true} if it happened with the state still {@code gate}. */
    @FunctionalInterface
    interface Accept {
        boolean run(BackoffState gate);
    }

    private final BackoffStore store;
    private final BackoffPolicy policy;
    private final Events events;

    BackoffGate(BackoffStore store, BackoffPolicy policy, Events events) {
        this.store = store;
        this.policy = policy;
        this.events = events;
    }

    static BackoffScope scopeOf(Check check) {
        return check == Check.APP_PASSWORD ? BackoffScope.APP_PASSWORD : BackoffScope.SECOND_FACTOR;
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

    /**
     * {@link #refusal(BackoffState, Instant)} at {@code Instant.ofEpochMilli(nowMillis)}, building no instant while
     * the gate is open (every accepted sign-in).
     */
    static <T> Outcome<T> refusal(BackoffState backoff, long nowMillis) {
        Instant until = backoff.blockedUntil();
        long second = Math.floorDiv(nowMillis, 1000L);
        boolean before = second < until.getEpochSecond()
                || second == until.getEpochSecond() && Math.floorMod(nowMillis, 1000L) * 1_000_000L < until.getNano();
        return backoff.locked() || before ? refusal(backoff, Instant.ofEpochMilli(nowMillis)) : null;
    }

    /**
     * Counts a failed check and returns the rejection, or, if the gate closed since {@code observed} was read, the
     * refusal instead (nothing counted).
     */
    <T> Outcome<T> fail(String userId, BackoffState observed, Instant now, Check check, Reason reason) {
        BackoffScope scope = scopeOf(check);
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
            if (store.compareAndSet(userId, scope, current, next)) {
                break;
            }
            current = store.findBackoff(userId, scope); // another failure or a reset came first
            Outcome<T> refused = refusal(current, now);
            if (refused != null) {
                return refused; // the gate closed while this input was checked: it is not answered as checked
            }
        }
        reportFailure(userId, now, check, reason, current, next, delay);
        return Outcome.rejected(reason);
    }

    /**
     * Runs the accepting step of a checked input under the gate, retrying it if the state moved but the gate is
     * still open. Returns {@code null} if it was accepted (and the backoff reset); otherwise the answer: the refusal
     * if the gate closed, or {@code notAccepted} (counted as a failure if {@code count}) if the step's own condition
     * failed (a replayed step, a used code, a revoked app password, a pending enrolment another request confirmed).
     */
    <T> Outcome<T> admit(String userId, BackoffState observed, Instant now, Check check, Accept accept,
                         Reason notAccepted, boolean count) {
        if (accept.run(observed)) {
            accepted(userId, check, observed);
            return null;
        }
        return notAccepted(userId, observed, now, check, accept, notAccepted, count);
    }

    /**
     * {@link #admit} after its first run of the accepting step, with the state still {@code observed}, returned
     * {@code false}: for a check that ran that first step itself (without building an {@link Accept} for it).
     */
    <T> Outcome<T> notAccepted(String userId, BackoffState observed, Instant now, Check check, Accept accept,
                               Reason notAccepted, boolean count) {
        BackoffScope scope = scopeOf(check);
        BackoffState gate = observed;
        do {
            BackoffState current = store.findBackoff(userId, scope);
            if (current.equals(gate)) {
                return count ? fail(userId, gate, now, check, notAccepted) : Outcome.rejected(notAccepted);
            }
            Outcome<T> refused = refusal(current, now);
            if (refused != null) {
                return refused;
            }
            gate = current;
        } while (!accept.run(gate));
        succeeded(userId, scope, gate);
        return null;
    }

    /** The accepting step of a check ran with the state still {@code gate}: the rest of {@link #admit}'s success. */
    void accepted(String userId, Check check, BackoffState gate) {
        succeeded(userId, scopeOf(check), gate);
    }

    /**
     * A check passed: the backoff returns to its start (no write when there is nothing to reset). A compare-and-set,
     * not a blind reset: a lock that concurrent failures set after this check read the state stands until an
     * administrator resets it.
     */
    private void succeeded(String userId, BackoffScope scope, BackoffState observed) {
        BackoffState current = observed;
        while (current != BackoffState.NONE && !current.equals(BackoffState.NONE) && !current.locked()) {
            if (store.compareAndSet(userId, scope, current, BackoffState.NONE)) {
                return;
            }
            current = store.findBackoff(userId, scope); // a failure or a reset came first
        }
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
}
