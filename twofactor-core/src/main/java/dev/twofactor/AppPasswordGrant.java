package dev.twofactor;

import java.util.Objects;
import java.util.Set;

/**
 * An app password was accepted: what it grants.
 *
 * @param userId the owner
 * @param appPasswordId the id of the app password used
 * @param name its name
 * @param permissions the granted permissions; empty means full access
 */
public record AppPasswordGrant(String userId, String appPasswordId, String name, Set<String> permissions) {

    /**
     * Validates and copies.
     *
     * @param userId the owner
     * @param appPasswordId the id of the app password used
     * @param name its name
     * @param permissions the granted permissions; empty means full access
     */

    public AppPasswordGrant {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(appPasswordId, "appPasswordId");
        Objects.requireNonNull(name, "name");
        permissions = Set.copyOf(permissions);
    }

    /**
     * @return the scope: {@link AppPasswordScope#FULL}, or limited to {@link #permissions()}
     */
    public AppPasswordScope scope() {
        return permissions.isEmpty() ? AppPasswordScope.FULL : AppPasswordScope.limited(permissions);
    }

    /**
     * @return whether it grants full access
     */
    public boolean fullAccess() {
        return permissions.isEmpty();
    }

    /**
     * @param permission a permission string
     * @return whether the app password grants it (full access grants everything)
     */
    public boolean allows(String permission) {
        return permissions.isEmpty() || permissions.contains(permission);
    }
}
