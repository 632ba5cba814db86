package dev.twofactor.spi;

import java.util.Objects;

/**
 * What one verification of a device token reads, in one round trip: the device record and the state of the user's
 * second factor that decides whether the device may stand in for it (a trusted device never bypasses a lock, a
 * running backoff, or a disabled second factor).
 *
 * @param device the device record (any expiry; the service compares the expiry and the hash)
 * @param secondFactorEnabled whether the user's two-factor authentication is enabled now (an active credential;
 *                            a pending enrolment alone does not count)
 * @param backoff the user's {@link BackoffScope#SECOND_FACTOR} backoff state now ({@link BackoffState#NONE} when
 *                there is no record)
 */
public record TrustedDeviceCheck(TrustedDeviceRecord device, boolean secondFactorEnabled, BackoffState backoff) {

    /**
     * Validates.
     *
     * @param device the device record
     * @param secondFactorEnabled whether two-factor authentication is enabled
     * @param backoff the second-factor backoff state
     */
    public TrustedDeviceCheck {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(backoff, "backoff");
    }
}
