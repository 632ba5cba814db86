package dev.twofactor.spi;

/**
 * All the storage twofactor needs, in one object: what {@code InMemoryTwoFactorStore} and the JDBC store implement.
 * An integrator may instead give the service builder each store separately.
 */
public interface TwoFactorStore
        extends CredentialStore, RecoveryCodeStore, BackoffStore, AppPasswordStore, PolicyStore {
}
