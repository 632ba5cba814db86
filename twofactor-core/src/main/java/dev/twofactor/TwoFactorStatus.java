package dev.twofactor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one user's two-factor status.
 *
 * @param state the state
 * @param enabledAt when the active authenticator was confirmed; {@code null} unless an authenticator is active
 * @param pendingExpiresAt when the pending enrolment expires; {@code null} without one. An {@code ENABLED} user
 *                         changing their authenticator app has both.
 * @param awaitingAcknowledgement whether a code confirmed the pending secret and the service waits for the user to
 *                                acknowledge "I have saved my recovery codes"
 * @param remainingRecoveryCodes unused recovery codes (0 unless enabled)
 * @param locked whether the second factor is locked until an administrator resets it
 */
public record TwoFactorStatus(TwoFactorState state, Instant enabledAt, Instant pendingExpiresAt,
                              boolean awaitingAcknowledgement, int remainingRecoveryCodes, boolean locked) {

    /**
     * Validates.
     *
     * @param state the state
     * @param enabledAt when the active authenticator was confirmed; {@code null} unless an authenticator is active
     * @param pendingExpiresAt when the pending enrolment expires; {@code null} without one. An {@code ENABLED} user
     *                         changing their authenticator app has both.
     * @param awaitingAcknowledgement whether a code confirmed the pending secret and the service waits for the user to
     *                                acknowledge "I have saved my recovery codes"
     * @param remainingRecoveryCodes unused recovery codes (0 unless enabled)
     * @param locked whether the second factor is locked until an administrator resets it
     */

    public TwoFactorStatus {
        Objects.requireNonNull(state, "state");
    }

    /**
     * @return when the active authenticator was confirmed, if one is active
     */
    public Optional<Instant> enabledSince() {
        return Optional.ofNullable(enabledAt);
    }

    /**
     * @return whether a pending enrolment exists (a first enrolment, or a change of authenticator app)
     */
    public boolean hasPendingEnrolment() {
        return pendingExpiresAt != null;
    }
}
