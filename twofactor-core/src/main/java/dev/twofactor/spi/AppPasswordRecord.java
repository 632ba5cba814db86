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
 * @param lookupTag a short tag derived from the code (3 hex digits, 12 of its 66 bits), unique among the user's app
 *                  passwords, that selects the one record to check, so that an attempt costs one slow hash however
 *                  many app passwords the user has; {@code null} for a record stored before tags existed (such a
 *                  record is checked on every attempt)
 */
public record AppPasswordRecord(String id, String userId, String name, Set<String> permissions, String hash,
                                Instant createdAt, Instant lastUsedAt, String lookupTag) {

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
     * @param lookupTag the lookup tag, or {@code null} for a record stored before tags existed
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
     * A record without a lookup tag (as stored before tags existed).
     *
     * @param id unique random id
     * @param userId the owner
     * @param name the name the user gave it
     * @param permissions the granted permission strings; empty means full access
     * @param hash the encoded hash
     * @param createdAt when it was created
     * @param lastUsedAt when it was last accepted, or {@code null} if never
     */
    public AppPasswordRecord(String id, String userId, String name, Set<String> permissions, String hash,
                             Instant createdAt, Instant lastUsedAt) {
        this(id, userId, name, permissions, hash, createdAt, lastUsedAt, null);
    }

    /**
     * @param usedAt when it was accepted
     * @return this record with its last use set to {@code usedAt}
     */
    public AppPasswordRecord withLastUsedAt(Instant usedAt) {
        return new AppPasswordRecord(id, userId, name, permissions, hash, createdAt, usedAt, lookupTag);
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
                + ", createdAt=" + createdAt + ", lastUsedAt=" + lastUsedAt + ", hash=redacted, lookupTag=redacted]";
    }
}
