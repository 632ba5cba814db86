package dev.twofactor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trusted ("remembered") device as the user sees it in their list: never its token or the token's hash.
 *
 * @param id the device's id (to revoke it with {@link TrustedDevices#revoke})
 * @param name the display name derived from the browser's user agent when it was remembered ("Chrome on Linux"),
 *             at most 100 characters, no control characters
 * @param createdAt when it was remembered
 * @param lastUsedAt when it was last recognised, or {@code null} if never; recorded at most once an hour, so it may
 *                   be up to an hour behind
 * @param expiresAt from when it is no longer recognised
 */
public record TrustedDevice(String id, String name, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {

    /**
     * Validates.
     *
     * @param id the device's id
     * @param name the display name
     * @param createdAt when it was remembered
     * @param lastUsedAt when it was last recognised, or {@code null}
     * @param expiresAt from when it is no longer recognised
     */
    public TrustedDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * @return when it was last recognised, if ever
     */
    public Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsedAt);
    }
}
