package dev.twofactor;

import java.util.Objects;
import java.util.Set;

/**
 * What an app password may do (SPEC §10): {@link #FULL} access, or {@link Limited} to a non-empty set of
 * permissions from the catalogue the host declares ({@link TwoFactorService.Builder#appPasswordPermissions}). There
 * is no third shape: an empty permission set never silently means full access.
 */
public sealed interface AppPasswordScope permits AppPasswordScope.Full, AppPasswordScope.Limited {

    /** Full access: the app password stands in for the password everywhere the host accepts it. */
    AppPasswordScope FULL = new Full();

    /**
     * @param permissions the permissions, at least one, each in the host's catalogue (checked on creation)
     * @return a limited scope
     */
    static AppPasswordScope limited(Set<String> permissions) {
        return new Limited(permissions);
    }

    /**
     * @param permission a permission the host checks
     * @return whether this scope grants it
     */
    boolean allows(String permission);

    /**
     * @return the granted permissions; empty for {@link #FULL}
     */
    Set<String> permissions();

    /** Full access; use {@link AppPasswordScope#FULL}. */
    record Full() implements AppPasswordScope {
        @Override
        public boolean allows(String permission) {
            return true;
        }

        @Override
        public Set<String> permissions() {
            return Set.of();
        }
    }

    /**
     * Limited to some permissions. An empty set can be built but not used: creating an app password with it is
     * rejected with {@link Reason#APP_PASSWORD_NO_PERMISSIONS}.
     *
     * @param permissions the permissions granted
     */
    record Limited(Set<String> permissions) implements AppPasswordScope {
        /**
         * Copies.
         *
         * @param permissions the permissions granted
         */
        public Limited {
            permissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
        }

        @Override
        public boolean allows(String permission) {
            return permissions.contains(permission);
        }
    }
}
