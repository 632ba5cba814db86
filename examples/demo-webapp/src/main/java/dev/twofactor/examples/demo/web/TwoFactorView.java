package dev.twofactor.examples.demo.web;

import dev.twofactor.Enrolment;
import dev.twofactor.TrustedDevice;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.TwoFactorTexts;
import dev.twofactor.examples.demo.SecurityActivity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Everything the two-factor screen shows.
 *
 * @param status the user's status
 * @param enrolment the pending enrolment to show (QR, secret), or {@code null}
 * @param changingApp whether the pending enrolment replaces an enabled app
 * @param codes recovery codes to show once, or {@code null}
 * @param acknowledgementToken while "I have saved my recovery codes" must be ticked before Done: the token of the
 *                             confirmation that showed the codes, for the form's hidden field; else {@code null}
 * @param success the green message, or {@code null}
 * @param error the red message, or {@code null}
 * @param unlocked whether sensitive settings are unlocked (a recent verification)
 * @param emergencyKey whether the organisation uses one emergency recovery key instead of 8 codes
 * @param appPasswords how many application passwords the user has
 * @param activity recent security activity
 * @param trustedDevices the user's remembered devices ("remember this device"), or {@code null} when the feature is off
 * @param thisBrowser the id of the device this browser's cookie names, or {@code null}
 */
public record TwoFactorView(TwoFactorStatus status, Enrolment enrolment, boolean changingApp, List<String> codes,
                            String acknowledgementToken, String success, String error, boolean unlocked,
                            boolean emergencyKey, int appPasswords, List<SecurityActivity.Entry> activity,
                            List<TrustedDevice> trustedDevices, String thisBrowser) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** @return the badge's text, the SDK's ({@link TwoFactorTexts}) */
    public String badge() {
        return TwoFactorTexts.get(switch (badgeState()) {
            case NOT_CONFIGURED -> TwoFactorTexts.Key.STATE_NOT_CONFIGURED;
            case PENDING_CONFIRMATION -> TwoFactorTexts.Key.STATE_PENDING_CONFIRMATION;
            case ENABLED -> TwoFactorTexts.Key.STATE_ENABLED;
        }, Locale.ENGLISH);
    }

    /** @return the badge's colour class */
    public String badgeClass() {
        return switch (badgeState()) {
            case ENABLED -> "badge-enabled";
            case PENDING_CONFIRMATION -> "badge-pending";
            case NOT_CONFIGURED -> "badge-off";
        };
    }

    /** The state the badge shows: a first enrolment on screen is pending even before the store says so. */
    private TwoFactorState badgeState() {
        return enrolment != null && !changingApp ? TwoFactorState.PENDING_CONFIRMATION : status.state();
    }

    /** @return whether two-factor authentication is enabled */
    public boolean enabled() {
        return status.state() == TwoFactorState.ENABLED;
    }

    /** @return the confirmation date, e.g. "1 December 2026" */
    public String enabledOn() {
        return status.enabledAt() == null ? "" : DATE.format(status.enabledAt());
    }

    /** @return the label of the recovery fact on the enabled card */
    public String recoveryLabel() {
        return emergencyKey && status.remainingRecoveryCodes() <= 1 ? "Emergency recovery key" : "Recovery codes left";
    }

    /** @return the recovery fact: codes left of 8, or whether the emergency key is active */
    public String recoveryValue() {
        int left = status.remainingRecoveryCodes();
        if (emergencyKey && left <= 1) {
            return left == 1 ? "Active" : "None — create a new one";
        }
        return left + " of 8";
    }

    /** @return whether "I have saved my recovery codes" must be ticked before Done */
    public boolean acknowledge() {
        return acknowledgementToken != null;
    }

    /** @return whether the recovery codes shown wait for "I have saved my recovery codes" */
    public boolean awaitingAcknowledgement() {
        return codes != null && acknowledge();
    }

    /** Without the recovery codes, the secret and the acknowledgement token. */
    @Override
    public String toString() {
        return "TwoFactorView[state=" + status.state() + ", pendingEnrolment=" + (enrolment != null) + ", codes="
                + (codes == null ? "none" : "redacted") + ", acknowledge=" + acknowledge() + "]";
    }

    /** @return the pending secret's expiry time */
    public String pendingUntil() {
        return enrolment == null ? "" : TIME.format(enrolment.expiresAt());
    }

    /** @return whether the "Trusted devices" card is shown: the feature is on and two-factor is enabled */
    public boolean showsTrustedDevices() {
        return trustedDevices != null && enabled();
    }

    /**
     * @param device a remembered device
     * @return when it was last used, or "Not yet"
     */
    public static String lastUsed(TrustedDevice device) {
        return device.lastUsed().map(TIME::format).orElse("Not yet");
    }

    /**
     * @param device a remembered device
     * @return whether it is this browser
     */
    public boolean isThisBrowser(TrustedDevice device) {
        return device.id().equals(thisBrowser);
    }

    /**
     * @param at an instant
     * @return it as shown in the activity list
     */
    public static String time(Instant at) {
        return TIME.format(at);
    }
}
