package dev.twofactor.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a failed app-password authentication on an API path: 401 with {@code WWW-Authenticate: Basic} and the
 * reason's text as JSON (a closed app-password backoff gate included, which the service answers like a wrong app
 * password); 429 only for a rate-limited or locked outcome, which today's service never reports for app passwords.
 */
final class AppPasswordEntryPoint implements AuthenticationEntryPoint {

    private final String realm;

    AppPasswordEntryPoint(String realm) {
        this.realm = realm.replace("\"", "");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof TwoFactorRateLimitedException limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
            HttpAnswers.json(response, 429, "rate_limited", limited.getMessage());
            return;
        }
        if (failure instanceof TwoFactorLockedException) {
            HttpAnswers.json(response, 429, "locked", failure.getMessage());
            return;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        String message = failure instanceof TwoFactorCodeRejectedException ? failure.getMessage()
                : "Sign in with your user name and an app password.";
        HttpAnswers.json(response, 401, "unauthorized", message);
    }
}
