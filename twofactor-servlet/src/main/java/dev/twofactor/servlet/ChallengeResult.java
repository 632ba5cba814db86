package dev.twofactor.servlet;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.TwoFactorTexts;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of a challenge submission ({@link TwoFactorSignIn#verifyChallenge}). Each variant says how to answer
 * it over HTTP ({@link #httpStatus()}), a stable machine-readable {@link #error()} code (the {@code error} field of
 * JSON answers and the {@code error} query parameter of redirects) and the user-facing {@link #message()}.
 *
 * <p>The error codes, as {@link TwoFactorSignIn#handleChallengeSubmission} (and so the filter) answers them; the
 * {@code ?error=} of a redirect is turned back into the message by {@link TwoFactorSessions#errorMessage}:
 * <table>
 *   <caption>challenge results</caption>
 *   <tr><th>result</th><th>{@link #error()}</th><th>API status</th><th>browser</th><th>{@link #message()}</th></tr>
 *   <tr><td>{@link Passed}</td><td>{@code ""}</td><td>200 {@code {"status":"signed_in",...}}</td>
 *       <td>302 to the page first asked for</td><td>{@code ""}</td></tr>
 *   <tr><td>{@link Rejected} {@link Reason#WRONG_CODE}</td><td>{@code wrong_code}</td><td>401</td>
 *       <td rowspan="5">302 to the challenge screen with {@code ?error=} the code</td>
 *       <td>"That code did not match"</td></tr>
 *   <tr><td>{@link Rejected} {@link Reason#MALFORMED_CODE}</td><td>{@code malformed_code}</td><td>401</td>
 *       <td>"That code did not match"</td></tr>
 *   <tr><td>{@link Rejected} {@link Reason#CODE_ALREADY_USED}</td><td>{@code code_already_used}</td><td>401</td>
 *       <td>"That code was already used. Wait for the next code from your authenticator app."</td></tr>
 *   <tr><td>{@link Rejected} {@link Reason#WRONG_RECOVERY_CODE}</td><td>{@code wrong_recovery_code}</td>
 *       <td>401</td><td>"That recovery code did not match"</td></tr>
 *   <tr><td>{@link Rejected} {@link Reason#NOT_ENABLED} (unenrolled while the challenge was open)</td>
 *       <td>{@code not_enabled}</td><td>401</td><td>"Two-factor authentication is not enabled."</td></tr>
 *   <tr><td>{@link RateLimited}</td><td>{@code rate_limited}</td><td>429, {@code Retry-After}</td>
 *       <td>429 page, {@code Retry-After}</td><td>the backoff text with the seconds left</td></tr>
 *   <tr><td>{@link Locked}</td><td>{@code locked}</td><td>403</td><td>403 page</td>
 *       <td>the lock text</td></tr>
 *   <tr><td>{@link Expired}</td><td>{@code challenge_expired}</td><td>401</td>
 *       <td>302 to the sign-in screen with {@code ?error=challenge_expired}</td>
 *       <td>"Your sign-in took too long. Sign in again."</td></tr>
 *   <tr><td>{@link NotPending}</td><td>{@code no_challenge}</td><td>401</td><td>302 to the sign-in screen</td>
 *       <td>"There is no sign-in waiting for a code. Sign in first."</td></tr>
 * </table>
 * A {@link Rejected} code is always the {@link Reason}'s name in lower case ({@link OutcomeResponses#error(Reason)}).
 */
public sealed interface ChallengeResult permits ChallengeResult.Passed, ChallengeResult.Rejected,
        ChallengeResult.RateLimited, ChallengeResult.Locked, ChallengeResult.Expired, ChallengeResult.NotPending {

    /**
     * @return whether the challenge passed
     */
    default boolean passed() {
        return this instanceof Passed;
    }

    /**
     * @return the HTTP status to answer an API client with
     */
    int httpStatus();

    /**
     * @return a stable lower-case code for clients ({@code wrong_code}, {@code rate_limited}, ...); {@code ""} when
     *         passed
     */
    String error();

    /**
     * @return the user-facing text; {@code ""} when passed
     */
    String message();

    /**
     * The challenge passed: the session is signed in, its id was changed, and the verification time recorded for
     * step-up.
     *
     * @param userId the signed-in user
     * @param returnPath where to continue, a local path within the application (the page first asked for, or the
     *                   configured home path)
     * @param recoveryCode the redeemed recovery code's result ({@link RecoveryCodeAccepted#remaining()} to warn when
     *                     few are left; a replacement set to show once), or {@code null} when an authenticator code
     *                     was used
     */
    record Passed(String userId, String returnPath, RecoveryCodeAccepted recoveryCode) implements ChallengeResult {
        /**
         * Validates.
         *
         * @param userId the signed-in user
         * @param returnPath where to continue
         * @param recoveryCode the redeemed recovery code's result, or {@code null}
         */
        public Passed {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(returnPath, "returnPath");
        }

        /**
         * @return how many unused recovery codes are left, when a recovery code was used
         */
        public OptionalInt remainingRecoveryCodes() {
            return recoveryCode == null ? OptionalInt.empty() : OptionalInt.of(recoveryCode.remaining());
        }

        /**
         * @return the replacement recovery codes to show once, when the recovery policy rotates on use
         */
        public Optional<RecoveryCodes> replacementRecoveryCodes() {
            return recoveryCode == null ? Optional.empty() : recoveryCode.replacementCodes();
        }

        @Override
        public int httpStatus() {
            return 200;
        }

        @Override
        public String error() {
            return "";
        }

        @Override
        public String message() {
            return "";
        }
    }

    /**
     * The code did not pass; the session stays half-open.
     *
     * @param reason why ({@link Reason#WRONG_CODE}, {@link Reason#MALFORMED_CODE}, {@link Reason#CODE_ALREADY_USED},
     *               {@link Reason#WRONG_RECOVERY_CODE}, ...)
     */
    record Rejected(Reason reason) implements ChallengeResult {
        /**
         * Validates.
         *
         * @param reason why
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int httpStatus() {
            return 401;
        }

        @Override
        public String error() {
            return OutcomeResponses.error(reason);
        }

        @Override
        public String message() {
            return reason.message();
        }
    }

    /**
     * The user is in a brute-force backoff: the code was not checked. HTTP: 429 with {@code Retry-After}.
     *
     * @param outcome the service's answer, with the time left in the backoff
     */
    record RateLimited(Outcome.RateLimited<?> outcome) implements ChallengeResult {
        /**
         * Validates.
         *
         * @param outcome the service's answer
         */
        public RateLimited {
            Objects.requireNonNull(outcome, "outcome");
        }

        /**
         * @return whole seconds until the next attempt is considered, at least 1 (the {@code Retry-After} value)
         */
        public long retryAfterSeconds() {
            return outcome.retryAfterSeconds();
        }

        @Override
        public int httpStatus() {
            return 429;
        }

        @Override
        public String error() {
            return "rate_limited";
        }

        @Override
        public String message() {
            return outcome.message();
        }
    }

    /** The user's second factor is locked until an administrator resets it: the code was not checked. */
    record Locked() implements ChallengeResult {
        private static final Outcome.Locked<Void> LOCKED = new Outcome.Locked<>();

        @Override
        public int httpStatus() {
            return 403;
        }

        @Override
        public String error() {
            return "locked";
        }

        @Override
        public String message() {
            return LOCKED.message();
        }
    }

    /** The challenge was open longer than its time to live: the session was ended, the user must sign in again. */
    record Expired() implements ChallengeResult {
        /** The text, in English ({@link TwoFactorTexts.Key#CHALLENGE_EXPIRED}). */
        public static final String MESSAGE = ServletTexts.text(TwoFactorTexts.Key.CHALLENGE_EXPIRED);

        @Override
        public int httpStatus() {
            return 401;
        }

        @Override
        public String error() {
            return "challenge_expired";
        }

        @Override
        public String message() {
            return MESSAGE;
        }
    }

    /** This session has no sign-in waiting for a second factor (never signed in, cancelled, or already passed). */
    record NotPending() implements ChallengeResult {
        /** The text, in English ({@link TwoFactorTexts.Key#CHALLENGE_NOT_PENDING}). */
        public static final String MESSAGE = ServletTexts.text(TwoFactorTexts.Key.CHALLENGE_NOT_PENDING);

        @Override
        public int httpStatus() {
            return 401;
        }

        @Override
        public String error() {
            return "no_challenge";
        }

        @Override
        public String message() {
            return MESSAGE;
        }
    }
}
