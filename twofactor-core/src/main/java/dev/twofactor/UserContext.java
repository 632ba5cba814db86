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

    /** The longest user id twofactor accepts, in characters: {@value} (what every store's user id column holds). */
    public static final int MAX_USER_ID_LENGTH = 255;

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

    /**
     * The one rule for a user id that comes from outside (a form field, an HTTP Basic header): not {@code null}, not
     * blank, at most {@value #MAX_USER_ID_LENGTH} characters, no control character (NUL included) and no unpaired
     * surrogate (a store that writes UTF-8 would turn each into {@code ?}, so two such ids would share a row). Every
     * entry point of {@link TwoFactorService} checks its user ids with this before any store work and refuses others
     * with {@link IllegalArgumentException} ({@link TwoFactorService#verifyAppPassword} answers a rejection
     * instead). An adapter can check an id first to answer a malformed credential without calling the service.
     *
     * @param userId a user id, possibly {@code null}
     * @return whether twofactor accepts it
     */
    public static boolean isValidUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH || userId.isBlank()) {
            return false;
        }
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < userId.length()
                        && Character.isLowSurrogate(userId.charAt(i + 1));
                if (!paired) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
