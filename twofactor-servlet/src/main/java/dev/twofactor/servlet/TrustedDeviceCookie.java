package dev.twofactor.servlet;

import dev.twofactor.TrustedDevices;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Objects;

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
    public static final String DEFAULT_NAME = "twofactor_device";

    /** The device cookie with the default name, {@value #DEFAULT_NAME}. */
    public static final TrustedDeviceCookie DEFAULT = new TrustedDeviceCookie(DEFAULT_NAME);

    /**
     * Validates.
     *
     * @param name the cookie's name
     * @throws IllegalArgumentException if it is no valid cookie name as described above
     */
    public TrustedDeviceCookie {
        Objects.requireNonNull(name, "name");
        boolean valid = !name.isEmpty() && name.length() <= 64
                && name.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                        || "!#$&'*+-.^_`|~".indexOf(c) >= 0)
                && !name.regionMatches(true, 0, "__Host-", 0, 7) && !name.regionMatches(true, 0, "__Secure-", 0, 9);
        if (!valid) {
            throw new IllegalArgumentException("The device cookie's name must be 1 to 64 characters of an HTTP token,"
                    + " without a __Host- or __Secure- prefix");
        }
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
        String[] found = new String[2];
        int count = 0;
        for (Cookie cookie : cookies) {
            String value = cookie.getValue();
            if (count < found.length && name.equals(cookie.getName()) && value != null
                    && value.length() == TrustedDevices.TOKEN_LENGTH) {
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
        response.addCookie(cookie(request, token, (int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds())));
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
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }
}
