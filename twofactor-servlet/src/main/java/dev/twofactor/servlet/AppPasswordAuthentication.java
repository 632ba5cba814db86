package dev.twofactor.servlet;

import dev.twofactor.AppPasswordGrant;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.spi.StorageException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's HTTP Basic capability: an app password on the app-password paths (SPEC §10). A credential that
 * cannot be right ({@link BasicCredentials}) is answered 401 at once, with no service or store call; a service that
 * throws {@link IllegalArgumentException} or {@link StorageException} for an id it cannot handle is answered 401
 * too, never 500. Each refusal writes at most one log line, which never contains the input.
 */
final class AppPasswordAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(AppPasswordAuthentication.class);

    private final TwoFactorWebConfig config;

    AppPasswordAuthentication(TwoFactorWebConfig config) {
        this.config = config;
    }

    /**
     * Checks the Basic credential of {@code authorization} as an app password and answers or continues the chain.
     */
    void authenticate(String authorization, HttpServletRequest request, HttpServletResponse response,
                      FilterChain chain) throws IOException, ServletException {
        BasicCredentials.Parsed parsed = BasicCredentials.parse(authorization);
        if (parsed.credentials() == null) {
            LOG.debug("Refused a malformed HTTP Basic credential unchecked ({})", parsed.malformed());
            unauthorized(response);
            return;
        }
        authenticate(parsed.credentials(), request, response, chain);
    }

    /** Checks a well-formed credential as an app password and answers or continues the chain; wipes it. */
    void authenticate(BasicCredentials credentials, HttpServletRequest request, HttpServletResponse response,
                      FilterChain chain) throws IOException, ServletException {
        Outcome<AppPasswordGrant> outcome;
        try {
            outcome = config.service().verifyAppPassword(credentials.userId(), credentials.secret());
        } catch (IllegalArgumentException | StorageException refused) {
            // The class name only: a message might quote the user id.
            LOG.warn("An app-password check failed with {}; answered 401", refused.getClass().getName());
            unauthorized(response);
            return;
        } finally {
            credentials.wipe();
        }
        if (outcome instanceof Outcome.Success<AppPasswordGrant> success) {
            request.setAttribute(TwoFactorSessions.APP_PASSWORD_GRANT_ATTRIBUTE, success.value());
            chain.doFilter(AuthenticatedRequest.appPassword(request, success.value().userId()), response);
        } else if (outcome instanceof Outcome.Rejected<AppPasswordGrant>) {
            unauthorized(response);
        } else {
            OutcomeResponses.write(response, outcome);
        }
    }

    /** 401 with the Basic challenge and {@code {"error":"invalid_app_password",...}}. */
    void unauthorized(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + config.basicRealm() + "\", charset=\"UTF-8\"");
        Responses.json(response, 401, Json.object().put("error", "invalid_app_password")
                .put("message", Reason.WRONG_APP_PASSWORD.message()));
    }
}
