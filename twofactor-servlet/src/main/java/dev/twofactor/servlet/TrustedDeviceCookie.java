package dev.twofactor.servlet;

import dev.twofactor.TrustedDevices;
import dev.twofactor.internal.web.DeviceCookieRules;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;

/**
 * The device cookie of "remember this device" ({@link TrustedDeviceSignIn}): its name, and how it is written. Turn
 * the feature on for the filter with {@link TwoFactorWebConfig.Builder#trustedDevices(TrustedDeviceCookie)} (and on
 * the service with {@code TwoFactorService.Builder#trustedDevices(true)}: both are needed).
 *
 * <p>The cookie holds only the device token ({@link dev.twofactor.NewTrustedDevice#token()}) and is written
 * {@code HttpOnly} (no script reads it), {@code Secure} when the request that sets it is secure
 * ({@link HttpServletRequest#isSecure()}: behind a TLS-terminating proxy, configure the container to trust its
 * forwarded headers), {@code SameSite=Lax}, with {@code Path} the application's context path ({@code /} for the root
 * context) and {@code Max-Age} the service's {@link TrustedDevices#lifetime()}. It is cleared ({@code Max-Age=0}) when
 * it is not recognised and when the device it names is revoked through {@link TrustedDeviceSignIn}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the cookie's name: 1 to 64 characters of an HTTP token (letters, digits, {@code !#$&'*+-.^_`|~}),
 *             not starting with {@code __Host-} or {@code __Secure-} (the browser would drop such a cookie written
 *             over plain HTTP or under a context path)
 */
public record TrustedDeviceCookie(String name) {

    /** The default name of the device cookie. */
    public static final String DEFAULT_NAME = DeviceCookieRules.DEFAULT_NAME;

    /** The device cookie with the default name, {@value #DEFAULT_NAME}. */
    public static final TrustedDeviceCookie DEFAULT = new TrustedDeviceCookie(DEFAULT_NAME);

    /**
     * Validates.
     *
     * @param name the cookie's name
     * @throws IllegalArgumentException if it is no valid cookie name as described above
     */
    public TrustedDeviceCookie {
        DeviceCookieRules.checkName(name);
    }

    /**
     * @param name the cookie's name
     * @return the device cookie with that name
     * @throws IllegalArgumentException if it is no valid cookie name
     */
    public static TrustedDeviceCookie named(String name) {
        return new TrustedDeviceCookie(name);
    }

    /**
     * The request's device token candidates: the values of the cookies of this name that have a device token's
     * length (anything else cannot be one and is not even looked at), at most two.
     */
    String[] tokens(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return new String[0];
        }
        String[] found = new String[DeviceCookieRules.MAX_CANDIDATES];
        int count = 0;
        for (Cookie cookie : cookies) {
            String value = cookie.getValue();
            if (count < found.length && name.equals(cookie.getName()) && DeviceCookieRules.candidate(value)) {
                found[count++] = value;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /** @return whether the request carries a cookie of this name at all (of any value) */
    boolean present(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (name.equals(cookie.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes the cookie with the device token, for the device's lifetime. */
    void write(HttpServletRequest request, HttpServletResponse response, String token, Duration lifetime) {
        response.addCookie(cookie(request, token, DeviceCookieRules.maxAge(lifetime)));
    }

    /** Tells the browser to drop the cookie ({@code Max-Age=0}, the same name, path and flags). */
    void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addCookie(cookie(request, "", 0));
    }

    private Cookie cookie(HttpServletRequest request, String value, int maxAge) {
        Cookie cookie = new Cookie(name, value);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        String contextPath = request.getContextPath();
        cookie.setPath(contextPath == null || contextPath.isEmpty() ? "/" : contextPath);
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", DeviceCookieRules.SAME_SITE);
        return cookie;
    }
}
