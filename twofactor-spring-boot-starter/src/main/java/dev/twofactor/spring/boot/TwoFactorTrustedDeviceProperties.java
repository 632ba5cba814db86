package dev.twofactor.spring.boot;

import dev.twofactor.spring.security.TwoFactorConfigurer;
import java.time.Duration;

/**
 * The {@code twofactor.trusted-devices.*} properties: "remember this device" ({@link dev.twofactor.TrustedDevices}),
 * turned on for the service ({@code TwoFactorService.Builder#trustedDevices}) and for the Spring Security
 * integration ({@link dev.twofactor.spring.security.TwoFactorConfigurer#trustedDevices(boolean)}) at once.
 */
public class TwoFactorTrustedDeviceProperties {

    /**
     * Offer "Remember this device" on the challenge: a remembered browser then needs only the password until the
     * device expires or is revoked. Whoever holds the device cookie and the password signs in without the second
     * factor.
     */
    private boolean enabled;

    /** How long a remembered device is recognised: 1 minute to 400 days. */
    private Duration lifetime = Duration.ofDays(30);

    /** The device cookie's name (an HTTP token, no __Host- or __Secure- prefix). */
    private String cookieName = TwoFactorConfigurer.DEFAULT_TRUSTED_DEVICE_COOKIE;

    /**
     * @return Offer "Remember this device" on the challenge: a remembered browser then needs only the password until
     *         the device expires or is revoked. Whoever holds the device cookie and the password signs in without the
     *         second factor.
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled Offer "Remember this device" on the challenge: a remembered browser then needs only the password
     *     until the device expires or is revoked. Whoever holds the device cookie and the password signs in without
     *     the second factor.
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return How long a remembered device is recognised: 1 minute to 400 days.
     */
    public Duration getLifetime() {
        return lifetime;
    }

    /**
     * @param lifetime How long a remembered device is recognised: 1 minute to 400 days.
     */
    public void setLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /**
     * @return The device cookie's name (an HTTP token, no __Host- or __Secure- prefix).
     */
    public String getCookieName() {
        return cookieName;
    }

    /**
     * @param cookieName The device cookie's name (an HTTP token, no __Host- or __Secure- prefix).
     */
    public void setCookieName(String cookieName) {
        this.cookieName = cookieName;
    }
}
