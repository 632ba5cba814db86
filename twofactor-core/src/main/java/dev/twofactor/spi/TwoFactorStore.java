package dev.twofactor.spi;

/**
 * All the storage twofactor needs, in one object: what {@code InMemoryTwoFactorStore} and the JDBC store implement.
 * An integrator may instead give the service builder each store separately.
 *
 * <p>Implementations are thread-safe, and every duty of the five interfaces applies.
 */
public interface TwoFactorStore
        extends CredentialStore, RecoveryCodeStore, BackoffStore, AppPasswordStore, PolicyStore {

    /**
     * Reads a user's credential and backoff state for a sign-in check. The default makes two calls; a store that can
     * read both in one round trip (a SQL join) should override it, since this is the hot path of every sign-in.
     * The two parts need not be one consistent snapshot: the service relies only on the atomic duties for safety.
     *
     * @param userId the user
     * @return the credential (if any) and the backoff state
     */
    default CredentialWithBackoff findCredentialWithBackoff(String userId) {
        return new CredentialWithBackoff(findCredential(userId).orElse(null), findBackoff(userId));
    }
}
