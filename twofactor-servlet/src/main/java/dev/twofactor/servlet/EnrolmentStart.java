package dev.twofactor.servlet;

import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorTexts;
import java.util.Objects;

/**
 * What became of {@link TwoFactorSignIn#startEnrolment} or {@link TwoFactorSignIn#changeAuthenticator}: started (show
 * the secret and QR code), refused for want of a recent verification (send the user to the step-up screen), or
 * refused by the service.
 */
public sealed interface EnrolmentStart permits EnrolmentStart.Started, EnrolmentStart.StepUpRequired,
        EnrolmentStart.Refused {

    /**
     * @return whether a pending enrolment was started
     */
    default boolean started() {
        return this instanceof Started;
    }

    /**
     * A pending enrolment was started (or, sent again from the session that started it, the same one again): show
     * its secret and QR code, then ask for a code from the new app.
     *
     * @param enrolment the pending enrolment (its secret is shown once and never stored in the session)
     */
    record Started(Enrolment enrolment) implements EnrolmentStart {
        /**
         * Validates.
         *
         * @param enrolment the pending enrolment
         */
        public Started {
            Objects.requireNonNull(enrolment, "enrolment");
        }
    }

    /**
     * The session's last verification (the password at sign-in, the challenge or a step-up) is older than the
     * service's step-up window: nothing was started. Send the user to the step-up screen
     * ({@link TwoFactorWebConfig#stepUpPath()}, with a {@code returnTo} back to the enrolment screen) and let them
     * start again. HTTP: 403 {@code step_up_required}.
     */
    record StepUpRequired() implements EnrolmentStart {
        /**
         * The text to show, in English: "Confirm your password or an authenticator code to continue."
         * ({@link TwoFactorTexts.Key#STEP_UP_REQUIRED}).
         */
        public static final String MESSAGE = ServletTexts.text(TwoFactorTexts.Key.STEP_UP_REQUIRED);

        /**
         * @return {@link #MESSAGE}
         */
        public String message() {
            return MESSAGE;
        }
    }

    /**
     * The service refused: {@link Reason#ALREADY_ENABLED} (use {@link TwoFactorSignIn#changeAuthenticator}),
     * {@link Reason#NOT_ENABLED} (use {@link TwoFactorSignIn#startEnrolment}), or whatever else it answers; write it
     * with {@link OutcomeResponses#write}.
     *
     * @param outcome the service's answer, not a success
     */
    record Refused(Outcome<Enrolment> outcome) implements EnrolmentStart {
        /**
         * Validates.
         *
         * @param outcome the service's answer, not a success
         */
        public Refused {
            Objects.requireNonNull(outcome, "outcome");
            if (outcome.succeeded()) {
                throw new IllegalArgumentException("a success is not a refusal");
            }
        }

        /**
         * @return the user-facing text
         */
        public String message() {
            return outcome.message();
        }
    }
}
