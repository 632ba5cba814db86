package dev.twofactor;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that changed or failed, for e-mails to the user and audit logs. Never contains a secret, code or
 * password.
 *
 * @param type what happened
 * @param userId the user it happened to
 * @param actorId who did it when not the user themselves (an administrator), else {@code null}
 * @param at when
 * @param details non-secret details, e.g. {@code remaining=3}, {@code retryAfterSeconds=4}, {@code check=TOTP},
 *                {@code appPassword=Thunderbird}
 */
public record TwoFactorEvent(TwoFactorEventType type, String userId, String actorId, Instant at,
                             Map<String, String> details) {

    /**
     * Validates and copies.
     *
     * @param type what happened
     * @param userId the user it happened to
     * @param actorId who did it when not the user themselves (an administrator), else {@code null}
     * @param at when
     * @param details non-secret details, e.g. {@code remaining=3}, {@code retryAfterSeconds=4}, {@code check=TOTP},
     *                {@code appPassword=Thunderbird}
     */

    public TwoFactorEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        details = Map.copyOf(details);
    }
}
