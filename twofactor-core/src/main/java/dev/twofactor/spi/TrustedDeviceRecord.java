package dev.twofactor.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One trusted ("remembered") device as stored: its metadata and the SHA-256 hash of its secret, never the secret or
 * the token.
 *
 * @param id unique random id, also the first part of the device token, so that a verification is one lookup by
 *           primary key
 * @param userId the user the device is trusted for
 * @param name the display name derived from the browser's user agent ("Chrome on Linux"), 1 to 100 characters, no
 *             control characters
 * @param tokenHash the SHA-256 hash of the token's secret part, as unpadded base64url (43 characters)
 * @param createdAt when the device was remembered
 * @param lastUsedAt when it was last recognised, or {@code null} if never; coarse (see
 *                   {@link TrustedDeviceStore#recordTrustedDeviceUse})
 * @param expiresAt from when it is no longer recognised
 */
public record TrustedDeviceRecord(String id, String userId, String name, String tokenHash, Instant createdAt,
                                  Instant lastUsedAt, Instant expiresAt) {

    /**
     * Validates.
     *
     * @param id unique random id
     * @param userId the user
     * @param name the display name
     * @param tokenHash the hash of the token's secret
     * @param createdAt when it was remembered
     * @param lastUsedAt when it was last recognised, or {@code null}
     * @param expiresAt from when it is no longer recognised
     */
    public TrustedDeviceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * @param now the time of a check
     * @return whether the device is no longer recognised at {@code now} ({@code now} at or after the expiry)
     */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * @param usedAt when it was recognised
     * @return this record with its last use set to {@code usedAt}
     */
    public TrustedDeviceRecord withLastUsedAt(Instant usedAt) {
        return new TrustedDeviceRecord(id, userId, name, tokenHash, createdAt, usedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "TrustedDeviceRecord[id=" + id + ", userId=" + userId + ", name=" + name + ", createdAt=" + createdAt
                + ", lastUsedAt=" + lastUsedAt + ", expiresAt=" + expiresAt + ", tokenHash=redacted]";
    }
}
