package dev.twofactor.spring.security;

import dev.twofactor.Reason;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Answers a failed challenge or step-up: 429 with {@code Retry-After} during a backoff (SPEC §7), 429 when locked;
 * an expired challenge ends the session and goes back to sign-in; a wrong code goes back to its screen with
 * {@code ?error}, the reason's text in the session under {@link WebAttributes#AUTHENTICATION_EXCEPTION} (API clients:
 * 401 JSON).
 */
final class TwoFactorFailureHandler implements AuthenticationFailureHandler {

    private final String challengePath;
    private final String stepUpPath;
    private final RequestMatcher stepUp;
    private final String loginPath;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    TwoFactorFailureHandler(String challengePath, String stepUpPath, RequestMatcher stepUp, String loginPath) {
        this.challengePath = challengePath;
        this.stepUpPath = stepUpPath;
        this.stepUp = stepUp;
        this.loginPath = loginPath;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException {
        boolean json = HttpAnswers.wantsJson(request);
        if (failure instanceof TwoFactorRateLimitedException limited) {
            HttpAnswers.rateLimited(request, response, limited);
            return;
        }
        if (failure instanceof TwoFactorLockedException) {
            HttpAnswers.locked(request, response, failure.getMessage());
            return;
        }
        if (failure instanceof TwoFactorChallengeExpiredException) {
            SecurityContextHolder.getContextHolderStrategy().clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            if (json) {
                HttpAnswers.json(response, 401, "challenge_expired", failure.getMessage());
            } else {
                redirects.sendRedirect(request, response, loginPath + "?expired");
            }
            return;
        }
        String message = failure instanceof TwoFactorCodeRejectedException ? failure.getMessage()
                : Reason.WRONG_CODE.message();
        if (json) {
            HttpAnswers.json(response, 401, "wrong_code", message);
            return;
        }
        request.getSession().setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, failure);
        redirects.sendRedirect(request, response, (stepUp.matches(request) ? stepUpPath : challengePath) + "?error");
    }
}
