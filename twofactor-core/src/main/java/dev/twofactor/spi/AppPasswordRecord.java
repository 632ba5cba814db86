package dev.twofactor.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One app password as stored: its metadata and the salted slow hash of the code, never the code.
 *
 * @param id unique random id
 * @param userId the owner
 * @param name the name the user gave it ("Thunderbird on laptop"), 1 to 100 characters
 * @param permissions the granted permission strings; empty means full access
 * @param hash the encoded hash (see {@code SecretHasher})
 * @param createdAt when it was created
 * @param lastUsedAt when it was last accepted, or {@code null} if never
 */
public record AppPasswordRecord(String id, String userId, String name, Set<String> permissions, String hash,
                                Instant createdAt, Instant lastUsedAt) {

    /**

     * Validates and copies.

     *

     * @param id unique random id

     * @param userId the owner

     * @param name the name the user gave it ("Thunderbird on laptop"), 1 to 100 characters

     * @param permissions the granted permission strings; empty means full access

     * @param hash the encoded hash (see {@code SecretHasher})

     * @param createdAt when it was created

     * @param lastUsedAt when it was last accepted, or {@code null} if never

     */

    public AppPasswordRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(createdAt, "createdAt");
        permissions = Set.copyOf(permissions);
    }

    /**
     * @return whether this app password grants full access
     */
    public boolean fullAccess() {
        return permissions.isEmpty();
    }

    @Override
    public String toString() {
        return "AppPasswordRecord[id=" + id + ", userId=" + userId + ", name=" + name + ", permissions=" + permissions
                + ", createdAt=" + createdAt + ", lastUsedAt=" + lastUsedAt + ", hash=redacted]";
    }
}
