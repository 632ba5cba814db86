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
 * KeyRing fromText = KeyRing.fromSpec("2026-11:q3v...=,2025-01:Zx0...=");   // the primary first
 * KeyRing fromEnv = KeyRing.fromEnvironment("TWOFACTOR_KEYS");              // the same text, from a variable
 * }</pre>
 *
 * <p>A new key: {@code java -cp twofactor-core.jar dev.twofactor.KeyRing generate 2026-11} prints
 * {@code 2026-11:<32 random bytes in base64>} (or {@code openssl rand -base64 32} for the key alone). Keep the ring
 * with the database backup: a secret sealed with a lost key cannot be opened again
 * ({@link TwoFactorService#checkKeyRing()} tells at startup).
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
     * A ring of one key, given as base64 text (standard alphabet, padding optional).
     *
     * @param keyId the key's id
     * @param base64 32 bytes in base64
     * @return the ring, with that key as primary
     * @throws IllegalArgumentException if the text is not base64 of 32 bytes (the message never shows the text)
     */
    public static KeyRing fromBase64(String keyId, String base64) {
        return builder().primaryKey(keyId, decode(keyId, base64)).build();
    }

    /**
     * A ring from text: {@code id:base64} entries separated by commas (spaces around them ignored), the primary key
     * first, older keys after it, as {@code "2026-11:q3v...=,2025-01:Zx0...="}.
     *
     * @param spec the text
     * @return the ring
     * @throws IllegalArgumentException if an entry is malformed (the message names the entry's position or id, never
     *                                  key material)
     * @throws IllegalStateException with a duplicate key id
     */
    public static KeyRing fromSpec(String spec) {
        Objects.requireNonNull(spec, "spec");
        Builder builder = builder();
        String[] entries = spec.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Key ring entry " + (i + 1) + " is not id:base64");
            }
            String keyId = entry.substring(0, colon).strip();
            byte[] key = decode(keyId, entry.substring(colon + 1).strip());
            try {
                if (i == 0) {
                    builder.primaryKey(keyId, key);
                } else {
                    builder.decryptionKey(keyId, key);
                }
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return builder.build();
    }

    /**
     * {@link #fromSpec} of an environment variable's value.
     *
     * @param variable the variable's name, for example {@code TWOFACTOR_KEYS}
     * @return the ring
     * @throws IllegalStateException if the variable is not set or blank (the message names it)
     * @throws IllegalArgumentException if its value is malformed
     */
    public static KeyRing fromEnvironment(String variable) {
        return fromEnvironment(variable, System::getenv);
    }

    static KeyRing fromEnvironment(String variable, java.util.function.UnaryOperator<String> environment) {
        Objects.requireNonNull(variable, "variable");
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The environment variable " + variable + " holding the key ring is not"
                    + " set: give it id:base64 entries, the primary key first, or restore the key ring from backup");
        }
        return fromSpec(value);
    }

    /**
     * The key generator: {@code generate [keyId]} prints {@code keyId:base64} of 32 bytes from {@code SecureRandom}
     * (the id defaults to the current year and month, as {@code 2026-11}), ready for {@link #fromSpec}.
     *
     * @param args {@code generate} and an optional key id
     */
    public static void main(String[] args) {
        if (args.length < 1 || !"generate".equals(args[0]) || args.length > 2) {
            System.err.println("usage: java -cp twofactor-core.jar dev.twofactor.KeyRing generate [keyId]");
            System.exit(2);
            return;
        }
        String keyId = args.length == 2 ? args[1]
                : java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        System.out.println(generate(keyId));
    }

    /** A new key entry {@code keyId:base64}; validates the id. */
    static String generate(String keyId) {
        byte[] key = new byte[KEY_BYTES];
        new java.security.SecureRandom().nextBytes(key);
        try {
            builder().primaryKey(keyId, key); // the id's rule
            return keyId + ":" + java.util.Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] decode(String keyId, String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key '" + keyId + "' is not valid base64"); // never the text
        }
        if (key.length != KEY_BYTES) {
            int length = key.length;
            Arrays.fill(key, (byte) 0);
            throw new IllegalArgumentException("Key '" + keyId + "' must be 32 bytes (AES-256), got " + length);
        }
        return key;
    }

    /**
     * @return the ids of every key in the ring, primary first
     */
    public java.util.List<String> keyIds() {
        return java.util.List.copyOf(keys.keySet());
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
