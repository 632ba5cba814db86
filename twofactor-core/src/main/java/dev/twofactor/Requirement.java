package dev.twofactor;

import java.time.Instant;
import java.util.Optional;

/**
 * What a signed-in user must do about two-factor authentication now: the one question framework adapters ask
 * ({@link TwoFactorService#requirementFor(UserContext)}).
 */
public sealed interface Requirement permits Requirement.Nothing, Requirement.Enrol, Requirement.Challenge {

    /** The user need not do anything. */
    record Nothing() implements Requirement {
        /** The single instance. */
        public static final Nothing INSTANCE = new Nothing();
    }

    /**
     * The organisation policy requires the user to enrol and they have not.
     *
     * @param message {@link OrganisationPolicy#ENROLMENT_REQUIRED_MESSAGE}
     * @param deadline end of the grace period, or {@code null} without one
     * @param enforced {@code true} once the grace period is over (or there is none): send the user to the enrolment
     *                 screen from every page; {@code false} during the grace period: remind them
     */
    record Enrol(String message, Instant deadline, boolean enforced) implements Requirement {
        /**
         * @return the end of the grace period, if there is one
         */
        public Optional<Instant> graceDeadline() {
            return Optional.ofNullable(deadline);
        }
    }

    /**
     * The user has two-factor authentication enabled: after their password, sign-in needs the challenge
     * (an authenticator or recovery code).
     */
    record Challenge() implements Requirement {
        /** The single instance. */
        public static final Challenge INSTANCE = new Challenge();
    }
}
