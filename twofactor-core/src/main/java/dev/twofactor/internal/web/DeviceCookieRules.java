package dev.twofactor.internal.web;

import dev.twofactor.TrustedDevices;
import java.time.Duration;
import java.util.Objects;

/**
 * What the web integrations (the servlet filter's {@code TrustedDeviceCookie}, the Spring Security integration's
 * trusted devices) share about the device cookie of "remember this device" and its checkbox, so that both write and
 * read the same cookie and form field: the default name and the rule for a name, the {@code SameSite} value, the
 * checkbox's field and what it sends, which cookie values are worth a look, and the {@code Max-Age} of a lifetime.
 * Writing the cookie itself needs the servlet API, which this module does not have: each integration writes it, with
 * these values, {@code HttpOnly}, {@code Secure} when the request is secure and {@code Path} the context path.
 */
public final class DeviceCookieRules {

    /** The default name of the device cookie. */
    public static final String DEFAULT_NAME = "twofactor_device";

    /** Form field of the "Remember this device" checkbox on the challenge screen. */
    public static final String REMEMBER_PARAMETER = "rememberDevice";

    /** The device cookie's {@code SameSite} attribute. */
    public static final String SAME_SITE = "Lax";

    /** The most cookies of the device cookie's name one request is looked at for (a stale one beside a fresh one). */
    public static final int MAX_CANDIDATES = 2;

    private DeviceCookieRules() {
    }

    /**
     * @param name a cookie name
     * @return the name
     * @throws IllegalArgumentException unless it is 1 to 64 characters of an HTTP token (letters, digits,
     *                                  {@code !#$&'*+-.^_`|~}), not starting with {@code __Host-} or
     *                                  {@code __Secure-} (the browser would drop such a cookie written over plain
     *                                  HTTP or under a context path)
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        boolean valid = !name.isEmpty() && name.length() <= 64
                && name.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                        || "!#$&'*+-.^_`|~".indexOf(c) >= 0)
                && !name.regionMatches(true, 0, "__Host-", 0, 7) && !name.regionMatches(true, 0, "__Secure-", 0, 9);
        if (!valid) {
            throw new IllegalArgumentException("The device cookie's name must be 1 to 64 characters of an HTTP token,"
                    + " without a __Host- or __Secure- prefix");
        }
        return name;
    }

    /**
     * @param value the {@value #REMEMBER_PARAMETER} field's value, or {@code null}
     * @return whether it asks to remember the device: {@code on} or {@code true}, what a checkbox sends
     */
    public static boolean asked(String value) {
        return "on".equals(value) || "true".equals(value);
    }

    /**
     * @param value a device cookie's value, or {@code null}
     * @return whether it has a device token's length; anything else cannot be one and is not even looked at
     */
    public static boolean candidate(String value) {
        return value != null && value.length() == TrustedDevices.TOKEN_LENGTH;
    }

    /**
     * @param lifetime the service's {@link TrustedDevices#lifetime()}
     * @return the cookie's {@code Max-Age} in seconds
     */
    public static int maxAge(Duration lifetime) {
        return (int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds());
    }
}
