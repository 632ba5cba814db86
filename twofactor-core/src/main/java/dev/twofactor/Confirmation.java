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
 * @param acknowledgementToken while awaiting acknowledgement: the one-shot token that
 *                             {@link TwoFactorService#acknowledgeRecoveryCodes} needs, to be sent with the codes (a
 *                             hidden field of the page that shows them) and nowhere else, so that the
 *                             acknowledgement can only come from a screen that received the codes; {@code null}
 *                             otherwise. Never in {@link #toString()}
 */
public record Confirmation(TwoFactorState state, RecoveryCodes recoveryCodes, Instant enabledAt,
                           String acknowledgementToken) {

    /**
     * A confirmation that needs no acknowledgement.
     *
     * @param state the new state
     * @param recoveryCodes the fresh codes, or {@code null}
     * @param enabledAt when it became enabled
     */
    public Confirmation(TwoFactorState state, RecoveryCodes recoveryCodes, Instant enabledAt) {
        this(state, recoveryCodes, enabledAt, null);
    }

    /**
     * @return the fresh recovery codes, if this confirmation issued any
     */
    public Optional<RecoveryCodes> newRecoveryCodes() {
        return Optional.ofNullable(recoveryCodes);
    }

    @Override
    public String toString() {
        return "Confirmation[state=" + state + ", recoveryCodes=" + (recoveryCodes == null ? "none" : "redacted")
                + ", enabledAt=" + enabledAt + ", acknowledgementToken="
                + (acknowledgementToken == null ? "none" : "redacted") + "]";
    }
}
