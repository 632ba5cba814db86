package dev.twofactor.spring.security;

import dev.twofactor.CodeAccepted;
import dev.twofactor.NewTrustedDevice;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.TrustedDevices;
import dev.twofactor.TwoFactorService;
import dev.twofactor.internal.web.DeviceCookieRules;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Objects;

/**
 * The device cookie of "remember this device" ({@link TwoFactorConfigurer#trustedDevices(boolean)}), with the
 * servlet filter's rules ({@link DeviceCookieRules}): it holds only the device token, {@code HttpOnly},
 * {@code Secure} when the request is secure, {@code SameSite=Lax}, {@code Path} the context path ({@code /} for the
 * root context), {@code Max-Age} the service's {@link TrustedDevices#lifetime()}; cleared with {@code Max-Age=0}.
 * The token never appears in a log line, exception or session attribute. Immutable and thread-safe.
 */
final class DeviceCookie {

    private final String name;
    private final TrustedDevices devices;

    DeviceCookie(String name, TwoFactorService service) {
        this.name = DeviceCookieRules.checkName(name);
        this.devices = Objects.requireNonNull(service, "service").trustedDevices();
    }

    String name() {
        return name;
    }

    /** @return whether the service's trusted devices are on: the checkbox is shown and the cookie looked at */
    boolean offered() {
        return devices.enabled();
    }

    /** @return the days a remembered device is recognised, for the checkbox's label */
    long lifetimeDays() {
        return devices.lifetime().toDays();
    }

    /**
     * Remembers the device of the user who passed the challenge in this request and sets the cookie.
     *
     * @param proof what the passed code earned ({@link CodeAccepted} or {@link RecoveryCodeAccepted})
     * @return whether the device was remembered
     */
    boolean remember(HttpServletRequest request, HttpServletResponse response, String userId, Object proof) {
        if (!offered() || !(proof instanceof CodeAccepted || proof instanceof RecoveryCodeAccepted)) {
            return false;
        }
        Outcome<NewTrustedDevice> remembered = devices.remember(userId, Outcome.success(proof),
                request.getHeader("User-Agent"));
        if (!(remembered instanceof Outcome.Success<NewTrustedDevice> device)) {
            return false;
        }
        response.addCookie(cookie(request, device.value().token(), DeviceCookieRules.maxAge(devices.lifetime())));
        return true;
    }

    /**
     * @return whether one of the request's device cookies is a device of this user ({@link TrustedDevices#recognise}:
     *         never throws for the token, counts nothing toward the backoff)
     */
    boolean recognised(HttpServletRequest request, String userId) {
        for (String token : tokens(request)) {
            if (devices.recognise(userId, token).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the request carries a cookie of this name at all (of any value) */
    boolean present(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        return cookies != null && Arrays.stream(cookies).anyMatch(cookie -> name.equals(cookie.getName()));
    }

    /** Tells the browser to drop the cookie ({@code Max-Age=0}, the same name, path and flags). */
    void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addCookie(cookie(request, "", 0));
    }

    private String[] tokens(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return new String[0];
        }
        return Arrays.stream(cookies)
                .filter(cookie -> name.equals(cookie.getName()) && DeviceCookieRules.candidate(cookie.getValue()))
                .limit(DeviceCookieRules.MAX_CANDIDATES).map(Cookie::getValue).toArray(String[]::new);
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

    @Override
    public String toString() {
        return "DeviceCookie[" + name + "]";
    }
}
