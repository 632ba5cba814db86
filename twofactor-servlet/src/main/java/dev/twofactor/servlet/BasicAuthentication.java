package dev.twofactor.servlet;

import dev.twofactor.AppPasswordGrant;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorTexts;
import dev.twofactor.spi.StorageException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's HTTP Basic capability. On the app-password paths a Basic credential is an app password (SPEC §10),
 * checked with the service. Anywhere else, and on those paths when the secret is not of an app password's form, it is
 * a password, which two-factor authentication does not protect: refused unless the host's
 * {@link TwoFactorWebConfig#passwordBasicAllowed()} allowlist names the user (an integration that cannot do
 * anything else), whose request then goes on to the host's own authentication.
 *
 * <p>A credential that cannot be right ({@link BasicCredentials}) is refused at once, with no service or store
 * call; a service that throws {@link IllegalArgumentException} or {@link StorageException} for an id it cannot
 * handle is answered 401 too, never 500. Each refusal writes at most one log line, which never contains the input.
 */
final class BasicAuthentication {

    /** The {@code error} of a refused password Basic credential. */
    static final String PASSWORD_REFUSED_ERROR = "password_basic_refused";
    /** Its text. */
    static final String PASSWORD_REFUSED_MESSAGE =
            ServletTexts.text(TwoFactorTexts.Key.REQUEST_PASSWORD_BASIC_REFUSED);

    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthentication.class);

    private final TwoFactorWebConfig config;

    BasicAuthentication(TwoFactorWebConfig config) {
        this.config = config;
    }

    /**
     * Decides a request with an {@code Authorization: Basic} header.
     *
     * @param appPasswordPath whether the request is on an app-password path
     * @return {@code true} if the request was answered or passed on here; {@code false} if the filter's other rules
     *         decide it (an allowlisted user's password credential on another path)
     */
    boolean handle(String authorization, boolean appPasswordPath, boolean api, HttpServletRequest request,
                   HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        BasicCredentials.Parsed parsed = BasicCredentials.parse(authorization);
        BasicCredentials credentials = parsed.credentials();
        if (credentials == null) {
            LOG.debug("Refused a malformed HTTP Basic credential unchecked ({})", parsed.malformed());
            refuse(appPasswordPath, api, request, response);
            return true;
        }
        if (appPasswordPath && credentials.secretLooksLikeAppPassword()) {
            authenticate(credentials, request, response, chain);
            return true;
        }
        boolean allowed;
        try {
            allowed = config.passwordBasicAllowed().test(credentials.userId());
        } finally {
            credentials.wipe();
        }
        if (!allowed) {
            LOG.debug("Refused an HTTP Basic credential that is no app password, for a user not on the allowlist");
            refuse(appPasswordPath, api, request, response);
            return true;
        }
        if (appPasswordPath) {
            chain.doFilter(request, response);   // the host's own password authentication on its API
            return true;
        }
        return false;
    }

    /** On an app-password path the app password's 401; elsewhere 403 {@value #PASSWORD_REFUSED_ERROR}. */
    private void refuse(boolean appPasswordPath, boolean api, HttpServletRequest request,
                        HttpServletResponse response) throws IOException {
        if (appPasswordPath) {
            unauthorized(response);
        } else if (api) {
            Responses.json(response, 403, Json.object().put("error", PASSWORD_REFUSED_ERROR)
                    .put("message", PASSWORD_REFUSED_MESSAGE));
        } else {
            Responses.html(request, response, 403, PASSWORD_REFUSED_MESSAGE, config.loginPath(),
                    ServletTexts.text(TwoFactorTexts.Key.LINK_SIGN_IN));
        }
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
