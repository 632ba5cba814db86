package dev.twofactor.spi;

import java.util.Objects;

/**
 * One recovery code as stored: never the code, only its salted slow hash.
 *
 * @param id unique id of this code, random, never reused across sets (so that marking a code of a replaced set used
 *           affects nothing)
 * @param hash the encoded hash, including the algorithm and its parameters (see {@code SecretHasher})
 */
public record StoredRecoveryCode(String id, String hash) {

    /**
     * Validates.
     *
     * @param id unique id of this code, random, never reused across sets (so that marking a code of a replaced set used
     *           affects nothing)
     * @param hash the encoded hash, including the algorithm and its parameters (see {@code SecretHasher})
     */

    public StoredRecoveryCode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String toString() {
        return "StoredRecoveryCode[id=" + id + ", hash=redacted]";
    }
}
