package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.TwoFactorService;
import dev.twofactor.servlet.RequestMatcher;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SDK gap: "Unlock settings" with a recovery code (Atlassian rate-limits recovery codes during session elevation). The
 * SDK's step-up takes a password or an authenticator code and records the time in its own session state, which a host
 * cannot set; so this class redeems the recovery code through the service (counted by the backoff, consumed once),
 * records the time in a session attribute of its own, and its {@link Gate} asks the service whether a step-up is due
 * from the later of both times. When the SDK gains step-up with a recovery code, the gate gives way to the filter's
 * {@code stepUpPaths} and this class goes.
 */
public final class RecoveryCodeStepUp {

    private static final String ATTRIBUTE = RecoveryCodeStepUp.class.getName();

    /** What the session keeps: whose step-up, and when; never the code. */
    private record Marker(String userId, Instant at) implements Serializable {
    }

    private RecoveryCodeStepUp() {
    }

    /**
     * Unlocks sensitive settings for the signed-in user with a recovery code; on success the session id changes.
     *
     * @param request a signed-in request
     * @param service the service
     * @param clock the service's clock
     * @param recoveryCode the code as typed
     * @return the service's outcome (a rotate-on-use policy's replacement key is in it, to show once)
     */
    public static Outcome<RecoveryCodeAccepted> stepUp(HttpServletRequest request, TwoFactorService service,
                                                       Clock clock, String recoveryCode) {
        String userId = TwoFactorSessions.signedInUser(request).orElseThrow(
                () -> new IllegalStateException("Step-up needs a signed-in session"));
        Outcome<RecoveryCodeAccepted> outcome = service.redeemRecoveryCode(userId, recoveryCode);
        if (outcome.succeeded()) {
            request.changeSessionId();
            request.getSession().setAttribute(ATTRIBUTE, new Marker(userId, clock.instant()));
        }
        return outcome;
    }

    /**
     * @param request a request
     * @return when the signed-in user last unlocked settings in this session, by any means
     */
    public static Optional<Instant> lastVerifiedAt(HttpServletRequest request) {
        Optional<String> user = TwoFactorSessions.signedInUser(request);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> sdk = TwoFactorSessions.lastVerifiedAt(request);
        HttpSession session = request.getSession(false);
        Instant own = session != null && session.getAttribute(ATTRIBUTE) instanceof Marker marker
                && marker.userId().equals(user.get()) ? marker.at() : null;
        if (own == null) {
            return sdk;
        }
        return Optional.of(sdk.filter(at -> at.isAfter(own)).orElse(own));
    }

    /**
     * @param request a signed-in request
     * @param service the service
     * @return whether a sensitive action needs "Unlock settings" first
     */
    public static boolean required(HttpServletRequest request, TwoFactorService service) {
        return service.stepUpRequired(lastVerifiedAt(request).orElse(null));
    }

    /**
     * Sends a signed-in request to a sensitive path to the unlock screen when a step-up is due: a {@code GET} returns
     * to itself afterwards, anything else to {@code returnPath} (a form cannot be re-sent by a redirect).
     */
    public static final class Gate implements Filter {

        private final Supplier<TwoFactorService> service;
        private final RequestMatcher sensitive;
        private final String unlockPath;
        private final String returnPath;

        /**
         * @param service the current service
         * @param sensitive the sensitive paths
         * @param unlockPath the unlock screen
         * @param returnPath where a non-{@code GET} request returns after unlocking
         */
        public Gate(Supplier<TwoFactorService> service, RequestMatcher sensitive, String unlockPath,
                    String returnPath) {
            this.service = service;
            this.sensitive = sensitive;
            this.unlockPath = unlockPath;
            this.returnPath = returnPath;
        }

        @Override
        public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) servletRequest;
            HttpServletResponse response = (HttpServletResponse) servletResponse;
            if (TwoFactorSessions.signedInUser(request).isPresent() && sensitive.matches(request)
                    && required(request, service.get())) {
                String back = "GET".equals(request.getMethod()) ? request.getServletPath()
                        + (request.getPathInfo() == null ? "" : request.getPathInfo()) : returnPath;
                response.sendRedirect(request.getContextPath() + unlockPath + "?returnTo="
                        + URLEncoder.encode(back, StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
