package dev.twofactor;

/**
 * What happened, in a {@link TwoFactorEvent}.
 */
public enum TwoFactorEventType {
    /** A user started enrolment (a secret was minted). */
    ENROLMENT_STARTED,
    /** A user cancelled their pending enrolment. */
    ENROLMENT_CANCELLED,
    /** A user confirmed their first authenticator: two-factor authentication is now enabled. */
    ENABLED,
    /** An enabled user confirmed a new authenticator app, which replaced the old one. */
    AUTHENTICATOR_CHANGED,
    /** A user disabled two-factor authentication. */
    DISABLED,
    /** An authenticator code was accepted (sign-in or step-up). */
    VERIFIED,
    /** A recovery code was used. */
    RECOVERY_CODE_USED,
    /** The recovery codes were regenerated. */
    RECOVERY_CODES_REGENERATED,
    /** A check of a second factor or password failed. */
    VERIFICATION_FAILED,
    /** A failure started a backoff. */
    BACKOFF_STARTED,
    /** Too many consecutive failures locked the second factor until an administrator resets it. */
    LOCKED,
    /** An administrator removed a user's enrolment or reset their lock. */
    ADMIN_RESET,
    /** An administrator changed the organisation policy. */
    POLICY_CHANGED,
    /**
     * The organisation policy applies to a user who has not enrolled, seen for the first time (at most once per
     * user, on any node): the host may e-mail them. Details: {@code enforced}, and {@code deadline} (the end of the
     * grace period) if there is one.
     */
    ENROLMENT_REQUIRED,
    /** A sensitive-settings unlock (step-up) succeeded. */
    STEP_UP,
    /** An app password was created. */
    APP_PASSWORD_CREATED,
    /** An app password was used. */
    APP_PASSWORD_USED,
    /** An app password was revoked. */
    APP_PASSWORD_REVOKED,
    /**
     * A device was remembered after a passed challenge ({@link TrustedDevices#remember}). Details: {@code deviceId},
     * {@code device} (its name), {@code expiresAt}; never the token.
     */
    DEVICE_TRUSTED,
    /** A trusted device was recognised at sign-in instead of a challenge. Details: {@code deviceId}. */
    TRUSTED_DEVICE_USED,
    /**
     * A trusted device was revoked, one event per device. Details: {@code deviceId}, {@code device} (its name) and
     * {@code cause}: {@code USER}, {@code ALL_BY_USER}, {@code DISABLED}, {@code AUTHENTICATOR_CHANGED},
     * {@code RECOVERY_CODES_REGENERATED}, {@code ADMIN_UNENROL} or {@code PASSWORD_CHANGED}.
     */
    TRUSTED_DEVICE_REVOKED
}
