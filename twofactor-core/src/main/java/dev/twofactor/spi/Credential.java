package dev.twofactor.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the store keeps about one user's authenticator: the active (confirmed) secret, if any, and a pending
 * one, if any. Both can exist at once while an {@code ENABLED} user changes their authenticator app: the old secret
 * keeps working until the new one is confirmed.
 *
 * @param userId the host's id of the user
 * @param secret the active secret, or {@code null} if two-factor authentication is not enabled
 * @param lastUsedStep the time step of the last accepted code for the active secret (replay protection), or
 *                     {@link #NO_STEP}
 * @param enabledAt when the active secret was confirmed, or {@code null} with no active secret
 * @param pending the pending enrolment, or {@code null}
 */
public record Credential(String userId, EncryptedSecret secret, long lastUsedStep, Instant enabledAt,
                         PendingEnrolment pending) {

    /** {@link #lastUsedStep} when no code was accepted yet. */
    public static final long NO_STEP = -1L;

    /**
     * Validates.
     *
     * @param userId the host's id of the user
     * @param secret the active secret, or {@code null} if two-factor authentication is not enabled
     * @param lastUsedStep the time step of the last accepted code for the active secret (replay protection), or {@link
     *                     #NO_STEP}
     * @param enabledAt when the active secret was confirmed, or {@code null} with no active secret
     * @param pending the pending enrolment, or {@code null}
     */

    public Credential {
        Objects.requireNonNull(userId, "userId");
        if ((secret == null) != (enabledAt == null)) {
            throw new IllegalArgumentException("secret and enabledAt are both present or both absent");
        }
    }

    /**
     * @return whether a confirmed secret protects the account
     */
    public boolean enabled() {
        return secret != null;
    }

    /**
     * @return the pending enrolment, if any (expired ones included; check {@link PendingEnrolment#isExpired})
     */
    public Optional<PendingEnrolment> pendingEnrolment() {
        return Optional.ofNullable(pending);
    }
}
