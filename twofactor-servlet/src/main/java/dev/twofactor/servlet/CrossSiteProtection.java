package dev.twofactor.servlet;

import dev.twofactor.TwoFactorTexts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Refuses cross-site state-changing requests ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} and any other
 * method that is not {@code GET}, {@code HEAD}, {@code OPTIONS} or {@code TRACE}) to the paths the SDK owns, so that
 * another site cannot make a signed-in (or half-open) user's browser submit the challenge (counting failures toward a
 * lock-out), cancel a sign-in, step up, confirm an enrolment or unenrol a user. It follows OWASP's Cross-Site Request
 * Forgery cheat sheet, "Fetch Metadata" with the {@code Origin} header as fallback:
 *
 * <table>
 *   <caption>the decision for a state-changing request</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code Sec-Fetch-Site: same-origin} or {@code none} (typed, bookmarked)</td><td>allowed</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site: same-site} (a sibling subdomain)</td>
 *       <td>refused, unless {@link #allowingSameSite()}</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site: cross-site}, or any other value</td><td>refused</td></tr>
 *   <tr><td>no {@code Sec-Fetch-Site}, an {@code Origin} equal to the request's own
 *       {@code scheme://host:port} (as the container sees it) or to a {@linkplain #trustingOrigins trusted origin}</td>
 *       <td>allowed</td></tr>
 *   <tr><td>no {@code Sec-Fetch-Site}, any other {@code Origin}, {@code null} included</td><td>refused</td></tr>
 *   <tr><td>neither header</td><td>allowed: every current browser sends {@code Origin} on a cross-origin
 *       {@code POST} and {@code Sec-Fetch-Site} on every request, so such a request comes from a non-browser client
 *       (a script, {@code curl}, an API client), which cannot carry a victim's cookies</td></tr>
 * </table>
 *
 * Safe methods are never refused, so links and navigations from other sites keep working. Refused requests get 403:
 * API requests {@code {"error":"cross_site_request","message":...}}, browsers a short page; the request is not
 * looked at further (no code is checked, nothing counted).
 *
 * <p>The paths: the challenge screen and the paths beneath it, the cancel path, the step-up screen, the enrolment
 * screen and the paths beneath it, the step-up paths and the enrolment-start paths, plus the
 * {@link AdminUnenrolServlet} wherever it is mapped, and any paths added with {@link #alsoFor}. Behind a reverse proxy
 * the container must see the public scheme, host and port (Jetty's {@code ForwardedRequestCustomizer}, Tomcat's
 * {@code RemoteIpValve}), or list the public origin with {@link #trustingOrigins}.
 *
 * <p>It does not replace the host's own protection of its own forms (sign-in, sign-out, profile): keep synchronizer
 * tokens there, or add those paths with {@link #alsoFor}. Immutable and thread-safe.
 */
public final class CrossSiteProtection {

    /** On, same-site refused, no trusted origin, no extra path: the default. */
    public static final CrossSiteProtection DEFAULT =
            new CrossSiteProtection(true, false, Set.of(), RequestMatcher.NONE);
    /** Off: the filter accepts state-changing requests from anywhere (the host protects every path itself). */
    public static final CrossSiteProtection OFF = new CrossSiteProtection(false, false, Set.of(), RequestMatcher.NONE);

    /** The {@code error} of a refused request's JSON answer. */
    static final String REFUSED_ERROR = "cross_site_request";
    /** The text of a refused request's answer. */
    static final String REFUSED_MESSAGE = ServletTexts.text(TwoFactorTexts.Key.REQUEST_CROSS_SITE_REFUSED);

    private final boolean enabled;
    private final boolean sameSiteAllowed;
    private final Set<String> trustedOrigins;
    private final RequestMatcher extraPaths;

    private CrossSiteProtection(boolean enabled, boolean sameSiteAllowed, Set<String> trustedOrigins,
                                RequestMatcher extraPaths) {
        this.enabled = enabled;
        this.sameSiteAllowed = sameSiteAllowed;
        this.trustedOrigins = Set.copyOf(trustedOrigins);
        this.extraPaths = extraPaths;
    }

    /**
     * @return this protection, also accepting {@code Sec-Fetch-Site: same-site} (requests from other subdomains of
     *         the same registrable domain, which can then act for the user)
     */
    public CrossSiteProtection allowingSameSite() {
        return new CrossSiteProtection(enabled, true, trustedOrigins, extraPaths);
    }

    /**
     * @param origins further origins whose requests are accepted when only {@code Origin} is sent, each
     *                {@code scheme://host} or {@code scheme://host:port} (the public origin behind a proxy that
     *                the container does not see)
     * @return this protection, also trusting them
     * @throws IllegalArgumentException if one is not such an origin
     */
    public CrossSiteProtection trustingOrigins(String... origins) {
        Set<String> all = new LinkedHashSet<>(trustedOrigins);
        for (String origin : Objects.requireNonNull(origins, "origins")) {
            String normalised = normalise(Objects.requireNonNull(origin, "origin"));
            if (normalised == null) {
                throw new IllegalArgumentException("not an origin such as https://example.com: " + origin);
            }
            all.add(normalised);
        }
        return new CrossSiteProtection(enabled, sameSiteAllowed, all, extraPaths);
    }

    /**
     * @param paths further paths to protect the same way (the host's sign-in or sign-out form, its own settings)
     * @return this protection, also for them
     */
    public CrossSiteProtection alsoFor(RequestMatcher paths) {
        return new CrossSiteProtection(enabled, sameSiteAllowed, trustedOrigins,
                extraPaths.or(Objects.requireNonNull(paths, "paths")));
    }

    /** @return whether the protection is on */
    public boolean enabled() {
        return enabled;
    }

    /** @return whether {@code Sec-Fetch-Site: same-site} is accepted */
    public boolean sameSiteAllowed() {
        return sameSiteAllowed;
    }

    /** @return the origins trusted beside the request's own, normalised ({@code https://example.com:8443}) */
    public Set<String> trustedOrigins() {
        return trustedOrigins;
    }

    /** @return the paths protected beside the SDK's own */
    public RequestMatcher extraPaths() {
        return extraPaths;
    }

    /**
     * @param request a request
     * @return whether the request is state-changing and comes from another site, by the table above; always
     *         {@code false} when the protection is off
     */
    boolean refuses(HttpServletRequest request) {
        if (!enabled || isSafe(request.getMethod())) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return switch (site.trim().toLowerCase(Locale.ROOT)) {
                case "same-origin", "none" -> false;
                case "same-site" -> !sameSiteAllowed;
                default -> true;
            };
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String normalised = normalise(origin.trim());
        return normalised == null
                || !normalised.equals(ownOrigin(request)) && !trustedOrigins.contains(normalised);
    }

    /** The 403 of a refused request: JSON for API requests, a short page with a link home for browsers. */
    static void answerRefused(HttpServletRequest request, HttpServletResponse response,
                              boolean api, String homePath) throws IOException {
        if (api) {
            Responses.json(response, 403, Json.object().put("error", REFUSED_ERROR).put("message", REFUSED_MESSAGE));
        } else {
            Responses.html(request, response, 403, REFUSED_MESSAGE, homePath,
                    ServletTexts.text(TwoFactorTexts.Key.LINK_CONTINUE));
        }
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";   // an IPv6 literal, as an Origin header writes it
        }
        return scheme + "://" + host + ":" + port(scheme, request.getServerPort());
    }

    /** {@code scheme://host:port} in lower case with the port made explicit, or {@code null} if not an origin. */
    private static String normalise(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port(scheme, uri.getPort());
        } catch (URISyntaxException notAnOrigin) {
            return null;
        }
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equals(scheme) ? 443 : 80;
    }

    @Override
    public String toString() {
        return "CrossSiteProtection[enabled=" + enabled + ", sameSiteAllowed=" + sameSiteAllowed
                + ", trustedOrigins=" + trustedOrigins + "]";
    }
}
