package dev.twofactor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An app password as the user's list shows it: never the code.
 *
 * @param id its id, used to revoke it
 * @param name the name the user gave it
 * @param permissions the granted permissions; empty means full access
 * @param createdAt when it was created
 * @param lastUsedAt when it was last accepted, or {@code null} if never
 */
public record AppPassword(String id, String name, Set<String> permissions, Instant createdAt, Instant lastUsedAt) {

    /**
     * Validates and copies.
     *
     * @param id its id, used to revoke it
     * @param name the name the user gave it
     * @param permissions the granted permissions; empty means full access
     * @param createdAt when it was created
     * @param lastUsedAt when it was last accepted, or {@code null} if never
     */

    public AppPassword {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        permissions = Set.copyOf(permissions);
    }

    /**
     * @return whether it grants full access
     */
    public boolean fullAccess() {
        return permissions.isEmpty();
    }

    /**
     * @return when it was last used, if ever
     */
    public Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsedAt);
    }
}
