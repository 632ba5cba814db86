package dev.twofactor.servlet;

import dev.twofactor.TwoFactorTexts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The filter's answer to a request of a half-open session (SPEC §6): a challenge past its time to live ends the
 * session; a remembered device cookie signs the session in ({@link TrustedDeviceSignIn}); the challenge, its cancel
 * and sign-out pass with nobody signed in; everything else is refused, and a page navigation is remembered as the
 * page to continue at once the challenge passes. Stateless and thread-safe: one instance serves the filter.
 */
final class HalfOpenRequests {

    private final TwoFactorWebConfig config;
    private final TwoFactorSignIn signIn;
    private final TrustedDeviceSignIn devices;

    HalfOpenRequests(TwoFactorWebConfig config, TwoFactorSignIn signIn, TrustedDeviceSignIn devices) {
        this.config = config;
        this.signIn = signIn;
        this.devices = devices;
    }

    /**
     * Answers a request of the half-open session {@code state}, unless a remembered device signs it in.
     *
     * @param path the request's path within the application
     * @return whether to decide again: a remembered device signed the session in (nothing answered yet)
     */
    boolean answer(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path,
                   SessionState.Slot slot, SessionState state, boolean api, Instant now)
            throws IOException, ServletException {
        if (signIn.challengeExpired(state, now)) {
            SessionState.endSession(request);
            ChallengeResult expired = new ChallengeResult.Expired();
            if (api) {
                Responses.json(response, 401, Json.object().put("error", expired.error())
                        .put("message", expired.message())
                        .put("location", request.getContextPath() + config.loginPath()));
            } else {
                Responses.redirect(request, response, config.loginPath(), TwoFactorSessions.ERROR_PARAMETER,
                        expired.error());
            }
            return false;
        }
        if (devices.signInWithCookie(request, response, slot, state)) {
            if (!api && under(path, config.challengePath()) && !slot.get().halfOpen()) {
                Responses.redirect(request, response, state.returnPath() != null ? state.returnPath()
                        : config.homePath());   // no challenge screen for a session that needs none
                return false;
            }
            return true;
        }
        if (under(path, config.challengePath()) || path.equals(config.challengeCancelPath())
                || path.equals(config.signOutPath())) {
            chain.doFilter(AuthenticatedRequest.nobody(request), response);
            return false;
        }
        if (!api && "GET".equals(request.getMethod()) && acceptsHtml(request) && !path.equals(config.loginPath())) {
            // Remember the page the user asked for, to continue there once the challenge passes. Best effort:
            // if another request changed the state meanwhile, its choice stands.
            localTarget(request).filter(target -> !target.equals(state.returnPath()))
                    .ifPresent(target -> SessionState.update(request, slot, state, state.withReturnPath(target)));
        }
        Responses.refuse(request, response, api, 401, "two_factor_required",
                ServletTexts.text(TwoFactorTexts.Key.CHALLENGE_ENTER_CODE), config.challengePath());
        return false;
    }

    /** Whether {@code path} is {@code base} or beneath it. */
    static boolean under(String path, String base) {
        return path.equals(base) || path.startsWith(base) && path.charAt(base.length()) == '/';
    }

    /** The request's own path and query within the application, if it is a safe return path. */
    static Optional<String> localTarget(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (uri == null || !uri.startsWith(contextPath)) {
            return Optional.empty();
        }
        String local = uri.substring(contextPath.length());
        int parameters = local.indexOf(';');
        if (parameters >= 0) {
            local = local.substring(0, parameters);   // never carry ;jsessionid= into a stored URL
        }
        String query = request.getQueryString();
        return TwoFactorSessions.safeReturnPath(query == null ? local : local + '?' + query);
    }

    private static boolean acceptsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        // Navigations ask for HTML; images, scripts and styles loaded by the challenge page must not become the
        // page to return to.
        return accept == null || accept.contains("text/html");
    }
}
