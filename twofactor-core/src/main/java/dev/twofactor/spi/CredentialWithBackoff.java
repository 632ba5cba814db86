package dev.twofactor.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What one sign-in check needs to read, in one piece: the user's credential and their backoff state.
 *
 * @param credential the credential, or {@code null} if the user has none
 * @param backoff the backoff state, {@link BackoffState#NONE} if the store has none
 */
public record CredentialWithBackoff(Credential credential, BackoffState backoff) {

    /**
     * Validates.
     *
     * @param credential the credential, or {@code null} if the user has none
     * @param backoff the backoff state, {@link BackoffState#NONE} if the store has none
     */

    public CredentialWithBackoff {
        Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * @return the credential, if the user has one
     */
    public Optional<Credential> findCredential() {
        return Optional.ofNullable(credential);
    }
}
