package dev.twofactor;

import dev.twofactor.spi.EncryptedSecret;

/**
 * Seals TOTP secrets before they reach the store and opens them when a code is checked.
 *
 * <p>The default, {@link #aesGcm(KeyRing)}, uses AES-256-GCM with a fresh 96-bit nonce per seal and the user id as
 * associated data, so a sealed secret copied onto another user's record does not open. Each sealed secret names its
 * key id, so the {@link KeyRing} can hold older keys for decryption while new secrets use the primary key, and
 * {@link TwoFactorService#reencryptSecrets(int)} moves old records to the primary key.
 *
 * <p>Implementations are thread-safe.
 */
public interface SecretCipher {

    /**
     * @param keyRing the keys; secrets are sealed with its primary key
     * @return an AES-256-GCM cipher
     */
    static SecretCipher aesGcm(KeyRing keyRing) {
        return new AesGcmSecretCipher(keyRing);
    }

    /**
     * Stores secrets unencrypted (key id {@value EncryptedSecret#PLAINTEXT_KEY_ID}). Only for development and tests:
     * each call logs a warning (logger {@code dev.twofactor.SecretCipher}). After a switch to
     * {@link #aesGcm(KeyRing)}, the AES-GCM cipher still opens secrets of that form, and
     * {@link TwoFactorService#reencryptSecrets(int)} then seals them. Such a record is not authenticated (anyone who
     * can write to the store can plant one), so the AES-GCM cipher logs a warning each time it opens one: run
     * {@code reencryptSecrets} right after the switch.
     *
     * @return a cipher that does not encrypt
     */
    static SecretCipher plaintext() {
        return new PlaintextSecretCipher();
    }

    /**
     * @param userId the owner, bound to the result (AES-GCM associated data)
     * @param secret the raw secret bytes; not kept
     * @return the sealed form
     */
    EncryptedSecret seal(String userId, byte[] secret);

    /**
     * @param userId the owner the secret was sealed for
     * @param sealed the sealed form
     * @return the raw secret bytes; the caller wipes them after use
     * @throws IllegalStateException if the key id is unknown or the sealed bytes do not authenticate (tampered, or
     *                               sealed for another user); the message names the key id, never the bytes
     */
    byte[] open(String userId, EncryptedSecret sealed);

    /**
     * @param sealed a sealed secret
     * @return whether it is sealed the way this cipher seals today (with the primary key); if not,
     *         {@link TwoFactorService#reencryptSecrets(int)} re-seals it
     */
    boolean isCurrent(EncryptedSecret sealed);

    /**
     * The key id this cipher seals new secrets with: the {@link KeyRing#primaryKeyId()}, or
     * {@value EncryptedSecret#PLAINTEXT_KEY_ID} in plaintext mode. {@link TwoFactorService#reencryptSecrets(int)}
     * asks the store for records sealed with any other key.
     *
     * @return the current key id
     */
    String currentKeyId();

    /**
     * For the startup check of the key ring ({@link TwoFactorService#checkKeyRing()}).
     *
     * @param keyId the key id stored with a sealed secret
     * @return whether this cipher holds that key (a record in plaintext counts as openable only in plaintext
     *         mode); by default, whether it is the {@link #currentKeyId()}
     */
    default boolean hasKey(String keyId) {
        return currentKeyId().equals(keyId);
    }
}
