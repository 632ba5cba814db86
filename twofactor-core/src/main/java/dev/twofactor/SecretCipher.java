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
     * AES-256-GCM (NIST SP 800-38D): a sealed secret is a fresh 12-byte random nonce, the ciphertext and a 128-bit
     * tag, with the user id in UTF-8 as associated data. Sealing uses {@code Cipher "AES/GCM/NoPadding"}. Opening,
     * on every sign-in, uses the same {@code Cipher}, or, where the JVM opens {@code com.sun.crypto.provider} to
     * twofactor ({@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} on the class path,
     * {@code =dev.twofactor} on the module path), the JDK's own AES and GHASH with the expanded key and the GHASH
     * subkey kept per thread and key: the same standard AES-GCM, about 2.6 times as fast, the tag checked in
     * constant time before any plaintext is produced. That is done only where {@code Cipher} would get the
     * {@code SunJCE} provider for the key (a FIPS or other provider configured first is used as configured) and a
     * known-answer check against {@code Cipher} passed; {@code -Ddev.twofactor.jdkGcm=false} turns it off, and each
     * reason it is off is logged once at INFO under the logger {@code dev.twofactor.jdkGcm}. Both accept and refuse
     * exactly the same records.
     *
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
