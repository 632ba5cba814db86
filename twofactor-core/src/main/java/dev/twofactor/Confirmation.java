package dev.twofactor;

import java.time.Instant;
import java.util.Optional;

/**
 * A code confirmed a pending enrolment.
 *
 * @param state {@link TwoFactorState#ENABLED}, or {@link TwoFactorState#PENDING_CONFIRMATION} when the service
 *              requires the user to acknowledge their recovery codes first
 * @param recoveryCodes a fresh set, to be shown once, on a first enrolment; {@code null} when an enabled user changed
 *                      their authenticator app (their existing recovery codes keep working)
 * @param enabledAt when the state became {@code ENABLED}; {@code null} while awaiting acknowledgement
 */
public record Confirmation(TwoFactorState state, RecoveryCodes recoveryCodes, Instant enabledAt) {

    /**
     * @return the fresh recovery codes, if this confirmation issued any
     */
    public Optional<RecoveryCodes> newRecoveryCodes() {
        return Optional.ofNullable(recoveryCodes);
    }
}
