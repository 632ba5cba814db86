package dev.twofactor.servlet;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.RecoveryCodes;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of a challenge submission ({@link TwoFactorSignIn#verifyChallenge}). Each variant says how to answer
 * it over HTTP ({@link #httpStatus()}), a stable machine-readable {@link #error()} code (the {@code error} field of
 * JSON answers and the {@code error} query parameter of redirects) and the user-facing {@link #message()}.
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
        /** Validates. */
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
        /** Validates. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int httpStatus() {
            return 401;
        }

        @Override
        public String error() {
            return reason.name().toLowerCase(Locale.ROOT);
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
        /** Validates. */
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
            return "Your sign-in took too long. Sign in again.";
        }
    }

    /** This session has no sign-in waiting for a second factor (never signed in, cancelled, or already passed). */
    record NotPending() implements ChallengeResult {
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
            return "There is no sign-in waiting for a code. Sign in first.";
        }
    }
}
