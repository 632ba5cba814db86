package dev.twofactor;

import java.util.Locale;

/**
 * Why an operation was rejected. Each reason has a user-facing text the host may show as it is, from
 * {@link TwoFactorTexts} (key {@code reason.<NAME>}). The English texts are part of the API: they only change in a
 * major version.
 */
public enum Reason {
    /** The authenticator code matched no time step of the window (recovery codes: {@link #WRONG_RECOVERY_CODE}). */
    WRONG_CODE,
    /** The input was not a code of the expected form (wrong length, not digits); no check was made. */
    MALFORMED_CODE,
    /** The code matched but was already used; each code is accepted at most once. */
    CODE_ALREADY_USED,
    /** The recovery code did not match any unused recovery code. */
    WRONG_RECOVERY_CODE,
    /** There is no pending enrolment to confirm or cancel: it expired, was cancelled or never started. */
    NO_PENDING_ENROLMENT,
    /** The operation needs two-factor authentication to be enabled, and it is not. */
    NOT_ENABLED,
    /** The operation needs two-factor authentication to be off, and it is enabled. */
    ALREADY_ENABLED,
    /** The password given to disable two-factor authentication did not match. */
    WRONG_PASSWORD_DISABLE,
    /** The password given to unlock sensitive settings did not match. */
    WRONG_PASSWORD,
    /** Nothing is waiting for the user to acknowledge their recovery codes. */
    NOTHING_TO_ACKNOWLEDGE,
    /** Admin unenrol: the user does not exist. */
    UNKNOWN_USER,
    /** Admin unenrol: the user exists but has no enrolment. */
    NO_ENROLLMENT,
    /** Admin unenrol: administrators cannot unenrol themselves. */
    SELF_UNENROL,
    /** Admin operations need the administrator's own two-factor authentication to be enabled. */
    ADMIN_NOT_ENABLED,
    /** The app password's name is empty, longer than 100 characters or contains control characters. */
    APP_PASSWORD_NAME_INVALID,
    /** The app password does not exist (already revoked, or never created). */
    APP_PASSWORD_NOT_FOUND,
    /** The user already has as many app passwords as the service allows (default 20); revoke one first. */
    APP_PASSWORD_LIMIT_REACHED,
    /**
     * The app password did not match. Also the answer, alike, for a user without app passwords, an unknown or
     * malformed user id, and a user whose app-password backoff is running: none of them can be told apart.
     */
    WRONG_APP_PASSWORD,
    /** A limited app password must name at least one permission ({@link AppPasswordScope.Limited}). */
    APP_PASSWORD_NO_PERMISSIONS,
    /** A limited app password named a permission the application does not declare. */
    APP_PASSWORD_UNKNOWN_PERMISSION,
    /** The action needs a recent step-up ("Unlock settings"), and there is none. */
    STEP_UP_REQUIRED,
    /** The trusted device does not exist (already revoked, expired and gone, or never remembered). */
    TRUSTED_DEVICE_NOT_FOUND,
    /**
     * A device can be remembered only right after a passed challenge: the accepted code given as proof is too old
     * ({@link TrustedDevices#remember}).
     */
    TRUSTED_DEVICE_CHALLENGE_REQUIRED;

    /**
     * @return the user-facing text for this reason, in English ({@link TwoFactorTexts}, key {@code reason.<NAME>})
     */
    public String message() {
        return TwoFactorTexts.reason(this, Locale.ROOT);
    }

    /**
     * @param locale the reader's locale
     * @return the text in that locale's bundle, or else English
     */
    public String message(Locale locale) {
        return TwoFactorTexts.reason(this, locale);
    }
}
