package dev.twofactor;

import dev.twofactor.spi.EncryptedSecret;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal TOTP secrets at rest: one primary key that seals, and any number of older keys kept to
 * open records sealed before a rotation. Immutable and thread-safe; {@link #toString()} shows key ids only.
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.builder()
 *         .primaryKey("2026-11", keyBytesFromYourVault)      // 32 bytes
 *         .decryptionKey("2025-01", previousKeyBytes)
 *         .build();
 * }</pre>
 */
public final class KeyRing {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int KEY_BYTES = 32;

    private final String primaryKeyId;
    private final Map<String, SecretKeySpec> keys;

    private KeyRing(String primaryKeyId, Map<String, SecretKeySpec> keys) {
        this.primaryKeyId = primaryKeyId;
        this.keys = keys;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the id of the key that seals new secrets
     */
    public String primaryKeyId() {
        return primaryKeyId;
    }

    SecretKeySpec primaryKey() {
        return keys.get(primaryKeyId);
    }

    /** The key with that id, or {@code null}. */
    SecretKeySpec key(String keyId) {
        return keys.get(keyId);
    }

    /**
     * @return the key ids, primary first; never the keys
     */
    @Override
    public String toString() {
        return "KeyRing[primary=" + primaryKeyId + ", all=" + keys.keySet() + "]";
    }

    /**
     * Builds a {@link KeyRing}. Key ids are 1 to 64 characters of {@code [A-Za-z0-9._-]}, not {@code "plain"};
     * keys are exactly 32 bytes (AES-256) and are copied. Not thread-safe.
     */
    public static final class Builder {
        private String primaryKeyId;
        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        private String duplicate;

        private Builder() {
        }

        /**
         * @param keyId the id stored with every secret this key seals
         * @param key 32 bytes
         * @return this builder
         * @throws IllegalArgumentException if the id or the key length is invalid
         * @throws IllegalStateException if a primary key was already given
         */
        public Builder primaryKey(String keyId, byte[] key) {
            if (primaryKeyId != null) {
                throw new IllegalStateException("A key ring has one primary key; it is already set to " + primaryKeyId);
            }
            add(keyId, key);
            primaryKeyId = keyId;
            return this;
        }

        /**
         * @param keyId the id of an older key
         * @param key 32 bytes
         * @return this builder
         * @throws IllegalArgumentException if the id or the key length is invalid
         */
        public Builder decryptionKey(String keyId, byte[] key) {
            add(keyId, key);
            return this;
        }

        private void add(String keyId, byte[] key) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(key, "key");
            if (!KEY_ID.matcher(keyId).matches() || EncryptedSecret.PLAINTEXT_KEY_ID.equals(keyId)) {
                throw new IllegalArgumentException(
                        "Key id must be 1 to 64 characters of A-Z a-z 0-9 . _ - and not \"plain\"");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(
                        "Key '" + keyId + "' must be 32 bytes (AES-256), got " + key.length);
            }
            byte[] copy = key.clone();
            SecretKeySpec spec = new SecretKeySpec(copy, "AES");
            Arrays.fill(copy, (byte) 0);
            if (keys.putIfAbsent(keyId, spec) != null && duplicate == null) {
                duplicate = keyId;
            }
        }

        /**
         * @return the key ring
         * @throws IllegalStateException without a primary key, or with a duplicate key id
         */
        public KeyRing build() {
            if (primaryKeyId == null) {
                throw new IllegalStateException("A key ring needs a primary key");
            }
            if (duplicate != null) {
                throw new IllegalStateException("Duplicate key id in key ring: " + duplicate);
            }
            Map<String, SecretKeySpec> ordered = new LinkedHashMap<>();
            ordered.put(primaryKeyId, keys.get(primaryKeyId));
            ordered.putAll(keys);
            return new KeyRing(primaryKeyId, Collections.unmodifiableMap(ordered));
        }
    }
}
