package dev.twofactor.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One user's brute-force backoff: consecutive failures of any second-factor check, until when checks are refused,
 * and whether the second factor is locked until an administrator resets it.
 *
 * @param failures consecutive failures since the last success or reset; 0 or more
 * @param blockedUntil checks are refused before this instant; {@link Instant#EPOCH} when not blocked
 * @param locked whether the second factor is locked until an administrator resets it
 */
public record BackoffState(int failures, Instant blockedUntil, boolean locked) {

    /** The state of a user with no failures; also what a store returns for a user it has no record of. */
    public static final BackoffState NONE = new BackoffState(0, Instant.EPOCH, false);

    /**
     * Validates.
     *
     * @param failures consecutive failures since the last success or reset; 0 or more
     * @param blockedUntil checks are refused before this instant; {@link Instant#EPOCH} when not blocked
     * @param locked whether the second factor is locked until an administrator resets it
     */

    public BackoffState {
        Objects.requireNonNull(blockedUntil, "blockedUntil");
        if (failures < 0) {
            throw new IllegalArgumentException("failures must not be negative");
        }
    }
}
