package dev.twofactor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The organisation-wide enforcement setting.
 *
 * @param level who must use two-factor authentication
 * @param gracePeriod how long a user the policy applies to may still work without enrolling, counted from when the
 *                    policy started to apply to them; {@link Duration#ZERO} for none
 * @param effectiveFrom when the administrator set this level (the start of the grace period for users who were
 *                      already there)
 */
public record OrganisationPolicy(EnforcementLevel level, Duration gracePeriod, Instant effectiveFrom) {

    /** No enforcement. */
    public static final OrganisationPolicy NONE =
            new OrganisationPolicy(EnforcementLevel.NONE, Duration.ZERO, Instant.EPOCH);

    /**
     * The message shown to a user who must enrol before continuing, in English: "Two-factor authentication is
     * required by your organisation. Set it up to continue." ({@link TwoFactorTexts.Key#ENROLMENT_REQUIRED}).
     */
    public static final String ENROLMENT_REQUIRED_MESSAGE =
            TwoFactorTexts.get(TwoFactorTexts.Key.ENROLMENT_REQUIRED, java.util.Locale.ROOT);

    /**
     * Validates.
     *
     * @param level who must use two-factor authentication
     * @param gracePeriod how long a user the policy applies to may still work without enrolling, counted from when the
     *                    policy started to apply to them; {@link Duration#ZERO} for none
     * @param effectiveFrom when the administrator set this level (the start of the grace period for users who were
     *                      already there)
     */

    public OrganisationPolicy {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative");
        }
    }

    /**
     * @param administrator whether the user holds an administrator role
     * @return whether this policy requires that user to use two-factor authentication
     */
    public boolean appliesTo(boolean administrator) {
        return switch (level) {
            case NONE -> false;
            case ADMINS -> administrator;
            case EVERYONE -> true;
        };
    }
}
