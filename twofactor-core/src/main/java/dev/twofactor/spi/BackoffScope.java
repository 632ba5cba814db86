package dev.twofactor.spi;

/**
 * Which counter of a user a {@link BackoffState} belongs to. Each user has one per scope, and the scopes are
 * independent: failures in one never delay, lock or reset the other.
 */
public enum BackoffScope {
    /**
     * Every check of the second factor or of the password that guards it: sign-in codes, recovery codes, enrolment
     * confirmation, step-up, the disable password and an administrator's own code.
     */
    SECOND_FACTOR,
    /**
     * App passwords, which are checked without the user's password: counted apart, so that anyone who knows a user
     * id cannot slow down or lock that user's sign-in by guessing app passwords.
     */
    APP_PASSWORD
}
