package dev.twofactor.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A secret that was minted and shown to the user but not yet confirmed with a code. It does not protect the account.
 *
 * @param id random id of this enrolment attempt; a later attempt has a different id, so a confirmation that raced
 *           with a restart cannot activate the wrong secret
 * @param secret the sealed secret
 * @param createdAt when it was minted
 * @param expiresAt after this instant it is treated as absent
 * @param confirmedStep the time step of the code that confirmed it while the service waits for the user to
 *                      acknowledge their recovery codes, or {@link #UNCONFIRMED}
 */
public record PendingEnrolment(String id, EncryptedSecret secret, Instant createdAt, Instant expiresAt,
                               long confirmedStep) {

    /** {@link #confirmedStep} of a pending enrolment that no code has confirmed yet. */
    public static final long UNCONFIRMED = -1L;

    /**
     * Validates.
     *
     * @param id random id of this enrolment attempt; a later attempt has a different id, so a confirmation that raced
     *           with a restart cannot activate the wrong secret
     * @param secret the sealed secret
     * @param createdAt when it was minted
     * @param expiresAt after this instant it is treated as absent
     * @param confirmedStep the time step of the code that confirmed it while the service waits for the user to
     *                      acknowledge their recovery codes, or {@link #UNCONFIRMED}
     */

    public PendingEnrolment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (confirmedStep < UNCONFIRMED) {
            throw new IllegalArgumentException("confirmedStep must be UNCONFIRMED or a time step >= 0");
        }
    }

    /**
     * @return whether a code already confirmed this secret (only in the "acknowledge recovery codes" mode)
     */
    public boolean confirmed() {
        return confirmedStep != UNCONFIRMED;
    }

    /**
     * @param now the current instant
     * @return whether this pending enrolment is no longer usable at {@code now}
     */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
