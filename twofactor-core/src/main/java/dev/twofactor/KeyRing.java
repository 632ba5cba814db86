package dev.twofactor;

/**
 * The AES-256 keys that seal TOTP secrets at rest: one primary key that seals, and any number of older keys kept to
 * open records sealed before a rotation. Immutable; {@link #toString()} shows key ids only.
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.builder()
 *         .primaryKey("2026-11", keyBytesFromYourVault)      // 32 bytes
 *         .decryptionKey("2025-01", previousKeyBytes)
 *         .build();
 * }</pre>
 */
public final class KeyRing {

    private KeyRing() {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * @return the id of the key that seals new secrets
     */
    public String primaryKeyId() {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Builds a {@link KeyRing}. Key ids are 1 to 64 characters of {@code [A-Za-z0-9._-]}, not {@code "plain"};
     * keys are exactly 32 bytes (AES-256) and are copied.
     */
    public static final class Builder {
        private Builder() {
        }

        /**
         * @param keyId the id stored with every secret this key seals
         * @param key 32 bytes
         * @return this builder
         */
        public Builder primaryKey(String keyId, byte[] key) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param keyId the id of an older key
         * @param key 32 bytes
         * @return this builder
         */
        public Builder decryptionKey(String keyId, byte[] key) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @return the key ring
         * @throws IllegalStateException without a primary key, or with a duplicate key id
         */
        public KeyRing build() {
            throw new UnsupportedOperationException("TODO issue 3");
        }
    }
}
