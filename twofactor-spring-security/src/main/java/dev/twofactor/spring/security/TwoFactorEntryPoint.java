package dev.twofactor.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * The entry point for a missing or expired {@link TwoFactorAuthorities#FACTOR_TOTP} factor, registered with
 * {@code exceptionHandling().defaultDeniedHandlerForMissingAuthority(entryPoint, FACTOR_TOTP)}: browsers are
 * redirected to the challenge screen (or, for a {@link TwoFactorAuthorizationManager.StepUpRequired} denial, to the
 * step-up screen), API clients get 401 {@code {"error":"two_factor_required"}} (403
 * {@code {"error":"step_up_required"}} for a step-up). The request is saved first, so that passing the challenge
 * continues where the user was going. Thread-safe.
 */
public final class TwoFactorEntryPoint implements AuthenticationEntryPoint {

    /** The API message for a missing factor. */
    public static final String CHALLENGE_MESSAGE = "Enter the code from your authenticator app to continue.";
    /** The API message for a step-up. */
    public static final String STEP_UP_MESSAGE = "Confirm your password or an authenticator code to continue.";

    private final String challengePath;
    private final String stepUpPath;
    private final RequestCache requestCache;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    /**
     * @param challengePath the challenge screen, e.g. {@code /login/two-factor}
     * @param stepUpPath the step-up screen
     * @param requestCache where the request is saved; {@code null} for an {@link HttpSessionRequestCache}
     */
    public TwoFactorEntryPoint(String challengePath, String stepUpPath, RequestCache requestCache) {
        this.challengePath = Objects.requireNonNull(challengePath, "challengePath");
        this.stepUpPath = Objects.requireNonNull(stepUpPath, "stepUpPath");
        this.requestCache = requestCache != null ? requestCache : new HttpSessionRequestCache();
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        boolean stepUp = deniedResult(authException) instanceof TwoFactorAuthorizationManager.StepUpRequired;
        if (HttpAnswers.wantsJson(request)) {
            if (stepUp) {
                HttpAnswers.json(response, 403, "step_up_required", STEP_UP_MESSAGE);
            } else {
                HttpAnswers.json(response, 401, "two_factor_required", CHALLENGE_MESSAGE);
            }
            return;
        }
        requestCache.saveRequest(request, response);
        response.setHeader("Cache-Control", "no-store");
        redirects.sendRedirect(request, response, stepUp ? stepUpPath : challengePath);
    }

    /** The authorization result of the denial somewhere in the cause chain, or {@code null}. */
    static AuthorizationResult deniedResult(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationDeniedException denied) {
                return denied.getAuthorizationResult();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

}
