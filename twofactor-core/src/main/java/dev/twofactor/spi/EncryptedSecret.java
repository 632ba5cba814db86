package dev.twofactor.spi;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TOTP secret as it rests in the store: the id of the key that sealed it and the sealed bytes (for AES-256-GCM:
 * nonce, ciphertext and tag). The store keeps both columns verbatim and never interprets them.
 *
 * <p>Immutable; arrays are copied in and out. {@link #toString()} never shows the bytes.
 *
 * @param keyId id of the sealing key in the {@code KeyRing}, or {@code "plain"} for the explicit plaintext mode;
 *              1 to 64 characters
 * @param sealed the sealed bytes; not empty
 */
public record EncryptedSecret(String keyId, byte[] sealed) {

    /** Key id that marks a secret stored without encryption (plaintext mode, which must be asked for). */
    public static final String PLAINTEXT_KEY_ID = "plain";

    /**
     * Validates and copies.
     *
     * @param keyId id of the sealing key in the {@code KeyRing}, or {@code "plain"} for the explicit plaintext mode; 1
     *              to 64 characters
     * @param sealed the sealed bytes; not empty
     */

    public EncryptedSecret {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sealed, "sealed");
        if (keyId.isEmpty() || keyId.length() > 64) {
            throw new IllegalArgumentException("keyId must have 1 to 64 characters");
        }
        if (sealed.length == 0) {
            throw new IllegalArgumentException("sealed bytes must not be empty");
        }
        sealed = sealed.clone();
    }

    /**
     * @return a copy of the sealed bytes
     */
    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedSecret other
                && keyId.equals(other.keyId)
                && MessageDigest.isEqual(sealed, other.sealed);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "EncryptedSecret[keyId=" + keyId + ", " + sealed.length + " bytes]";
    }
}
