package dev.twofactor;

/**
 * Why an operation was rejected. Each reason carries the user-facing text the host may show as it is.
 * The texts are part of the API: they only change in a major version.
 */
public enum Reason {
    /** The authenticator code matched no time step of the window (recovery codes: {@link #WRONG_RECOVERY_CODE}). */
    WRONG_CODE("That code did not match"),
    /** The input was not a code of the expected form (wrong length, not digits); no check was made. */
    MALFORMED_CODE("That code did not match"),
    /** The code matched but was already used; each code is accepted at most once. */
    CODE_ALREADY_USED("That code was already used. Wait for the next code from your authenticator app."),
    /** The recovery code did not match any unused recovery code. */
    WRONG_RECOVERY_CODE("That recovery code did not match"),
    /** There is no pending enrolment to confirm or cancel: it expired, was cancelled or never started. */
    NO_PENDING_ENROLMENT("No pending enrollment. Click \"Enable\" to start over"),
    /** The operation needs two-factor authentication to be enabled, and it is not. */
    NOT_ENABLED("Two-factor authentication is not enabled."),
    /** The operation needs two-factor authentication to be off, and it is enabled. */
    ALREADY_ENABLED("Two-factor authentication is already enabled."),
    /** The password given to disable two-factor authentication did not match. */
    WRONG_PASSWORD_DISABLE("Password did not match. Two-factor remains enabled."),
    /** The password given to unlock sensitive settings did not match. */
    WRONG_PASSWORD("Password did not match."),
    /** Nothing is waiting for the user to acknowledge their recovery codes. */
    NOTHING_TO_ACKNOWLEDGE("There are no new recovery codes to acknowledge."),
    /** Admin unenrol: the user does not exist. */
    UNKNOWN_USER("No such user."),
    /** Admin unenrol: the user exists but has no enrolment. */
    NO_ENROLLMENT("No enrollment found for this user."),
    /** Admin unenrol: administrators cannot unenrol themselves. */
    SELF_UNENROL("You cannot remove two-factor authentication from your own account this way."),
    /** Admin operations need the administrator's own two-factor authentication to be enabled. */
    ADMIN_NOT_ENABLED("Enable two-factor authentication on your own account first."),
    /** The app password's name is empty, longer than 100 characters or contains control characters. */
    APP_PASSWORD_NAME_INVALID("Give the app password a name of 1 to 100 characters."),
    /** The app password does not exist (already revoked, or never created). */
    APP_PASSWORD_NOT_FOUND("No such app password."),
    /** The user already has as many app passwords as the service allows (default 20); revoke one first. */
    APP_PASSWORD_LIMIT_REACHED("You have as many app passwords as allowed. Revoke one to create another."),
    /**
     * The app password did not match. Also the answer, alike, for a user without app passwords, an unknown or
     * malformed user id, and a user whose app-password backoff is running: none of them can be told apart.
     */
    WRONG_APP_PASSWORD("That app password did not match.");

    private final String message;

    Reason(String message) {
        this.message = message;
    }

    /**
     * @return the user-facing text for this reason
     */
    public String message() {
        return message;
    }
}
