package dev.twofactor.spring.boot;

import dev.twofactor.KeyRing;
import java.util.Arrays;
import java.util.Base64;

/** Parses {@code twofactor.keys}: comma-separated {@code id:base64} pairs, the first the primary key. */
final class KeyRingProperty {

    static final String HOW_TO = "Set twofactor.keys (environment variable TWOFACTOR_KEYS) to id:base64 pairs of 32"
            + " random bytes, the first the primary key, e.g. TWOFACTOR_KEYS=2026-01:$(openssl rand -base64 32);"
            + " or twofactor.plaintext-secrets=true for development only";

    private KeyRingProperty() {
    }

    /**
     * @throws IllegalStateException if the value is malformed; the message names key ids and positions only
     */
    static KeyRing parse(String value) {
        KeyRing.Builder builder = KeyRing.builder();
        String[] entries = value.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalStateException("twofactor.keys entry " + (i + 1) + " is not id:base64. " + HOW_TO);
            }
            String id = entry.substring(0, colon).trim();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalStateException("twofactor.keys entry '" + id + "' is not valid base64. " + HOW_TO);
            }
            try {
                if (i == 0) {
                    builder.primaryKey(id, key);
                } else {
                    builder.decryptionKey(id, key);
                }
            } catch (IllegalArgumentException invalid) {
                throw new IllegalStateException("twofactor.keys: " + invalid.getMessage() + ". " + HOW_TO);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return builder.build();
    }
}
