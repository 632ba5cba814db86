package dev.twofactor;

/** What was checked, for events and the audit log (the {@code check} detail of an event). */
enum Check {
    TOTP, RECOVERY_CODE, CONFIRMATION, DISABLE_PASSWORD, STEP_UP_PASSWORD, STEP_UP_CODE,
    STEP_UP_RECOVERY_CODE, ADMIN_CODE, APP_PASSWORD
}
