package dev.twofactor;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of an operation whose failure a caller must handle: it succeeded with a value, or was rejected with a
 * {@link Reason}, or was refused because the user is in a brute-force backoff ({@link RateLimited}), or because their
 * second factor is locked until an administrator resets it ({@link Locked}).
 *
 * <p>Exceptions are kept for misuse (null arguments, missing configuration) and for storage failures.
 *
 * <pre>{@code
 * Outcome<CodeAccepted> outcome = twoFactor.verifyCode(userId, code);
 * if (outcome instanceof Outcome.Success<CodeAccepted> ok) {
 *     signIn(userId);
 * } else if (outcome instanceof Outcome.RateLimited<CodeAccepted> limited) {
 *     respond429(limited.retryAfter());
 * } else {
 *     showError(outcome.message());
 * }
 * }</pre>
 *
 * @param <T> the value on success
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Rejected, Outcome.RateLimited, Outcome.Locked {

    /**
     * @return whether this is a {@link Success}
     */
    default boolean succeeded() {
        return this instanceof Success;
    }

    /**
     * @return the user-facing text of a failure, or {@code ""} for a success
     */
    String message();

    /**
     * @param value the value
     * @param <T> its type
     * @return a success
     */
    static <T> Outcome<T> success(T value) {
        return new Success<>(value);
    }

    /**
     * @param reason why
     * @param <T> the success type
     * @return a rejection
     */
    static <T> Outcome<T> rejected(Reason reason) {
        return new Rejected<>(reason);
    }

    /**
     * The operation succeeded.
     *
     * @param value what it produced
     * @param <T> its type
     */
    record Success<T>(T value) implements Outcome<T> {
        /**
         * Validates.
         *
         * @param value what it produced
         */
        public Success {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String message() {
            return "";
        }
    }

    /**
     * The operation was refused; nothing changed except, for a failed check, the backoff count.
     *
     * @param reason why
     * @param <T> the success type of the operation
     */
    record Rejected<T>(Reason reason) implements Outcome<T> {
        /**
         * Validates.
         *
         * @param reason why
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String message() {
            return reason.message();
        }
    }

    /**
     * The user is in a brute-force backoff: the input was not checked (or, in a burst, the gate closed while it was
     * checked). Retry after {@link #retryAfter()} (HTTP: 429 with {@code Retry-After}).
     *
     * @param retryAfter the time left in the backoff, in whole seconds: rounded up, and at least one second
     * @param <T> the success type of the operation
     */
    record RateLimited<T>(Duration retryAfter) implements Outcome<T> {
        /**
         * Rounds the time left up to whole seconds, at least one: {@code 1.2 s} becomes {@code 2 s}, {@code 0} and
         * anything negative become {@code 1 s}, so that {@link #retryAfter()} and {@link #retryAfterSeconds()} agree.
         *
         * @param retryAfter the time left in the backoff
         */
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            retryAfter = Duration.ofSeconds(Math.max(1, seconds));
        }

        /**
         * @return {@link #retryAfter()} in seconds (the {@code Retry-After} value), at least 1
         */
        public long retryAfterSeconds() {
            return retryAfter.getSeconds();
        }

        /**
         * @return "Too many failed attempts. Try again in N seconds." ("1 second" for one)
         */
        @Override
        public String message() {
            long seconds = retryAfterSeconds();
            return TwoFactorTexts.waitText(seconds, Locale.ROOT);
        }
    }

    /**
     * The user's second factor is locked after too many consecutive failures until an administrator resets it;
     * the input was not checked.
     *
     * @param <T> the success type of the operation
     */
    record Locked<T>() implements Outcome<T> {
        @Override
        public String message() {
            return TwoFactorTexts.get(TwoFactorTexts.Key.BACKOFF_LOCKED, Locale.ROOT);
        }
    }
}
