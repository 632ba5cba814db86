package dev.twofactor;

import java.time.Instant;
import java.util.Objects;

/**
 * What the host tells twofactor about a signed-in user when asking what they must do ({@link
 * TwoFactorService#requirementFor(UserContext)}).
 *
 * @param userId the user
 * @param administrator whether they hold an administrator role, as the host defines it
 * @param policyAppliesSince when the organisation policy started to apply to this user if later than the policy
 *                           itself (an account created, or an administrator role granted, after the policy was set);
 *                           {@code null} to count the grace period from the policy's {@code effectiveFrom}
 */
public record UserContext(String userId, boolean administrator, Instant policyAppliesSince) {

    /**

     * Validates.

     *

     * @param userId the user

     * @param administrator whether they hold an administrator role, as the host defines it

     * @param policyAppliesSince when the organisation policy started to apply to this user if later than the policy
     *                           itself (an account created, or an administrator role granted, after the policy was
     *                           set); {@code null} to count the grace period from the policy's {@code effectiveFrom}

     */

    public UserContext {
        Objects.requireNonNull(userId, "userId");
    }

    /**
     * @param userId the user
     * @param administrator whether they hold an administrator role
     * @return a context counting any grace period from the policy's start
     */
    public static UserContext of(String userId, boolean administrator) {
        return new UserContext(userId, administrator, null);
    }
}
