package dev.twofactor.servlet;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * An administrator removes the two-factor enrolment of a user who lost both phone and recovery codes (SPEC §9), as
 * a REST endpoint: {@code POST} with form fields {@value #USER_ID_PARAMETER} (the user to unenrol) and
 * {@value #CODE_PARAMETER} (a current code from the administrator's own authenticator).
 *
 * <table>
 *   <caption>answers</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>204</td><td>done</td></tr>
 *   <tr><td>400</td><td>"No enrollment found for this user." ({@code no_enrollment}); an administrator unenrolling
 *       themselves ({@code self_unenrol}); a missing field ({@code bad_request})</td></tr>
 *   <tr><td>401</td><td>no signed-in session ({@code not_signed_in}); a wrong, malformed or used administrator code
 *       ({@code wrong_code}, {@code malformed_code}, {@code code_already_used})</td></tr>
 *   <tr><td>403</td><td>the signed-in user is not an administrator ({@code forbidden}); the administrator has no
 *       two-factor authentication ({@code admin_not_enabled}); the administrator's second factor is locked
 *       ({@code locked})</td></tr>
 *   <tr><td>404</td><td>no such user ({@code unknown_user})</td></tr>
 *   <tr><td>429</td><td>the administrator is in a backoff: the code was not checked; {@code Retry-After}</td></tr>
 * </table>
 * Errors carry a JSON body {@code {"error":"...","message":"..."}}.
 *
 * <p>The administrator is the user signed in to the session (after the challenge), and "administrator" is the role
 * the host reported in {@link dev.twofactor.UserContext#administrator()} at sign-in. Map it behind the
 * {@link TwoFactorFilter}. A cross-site request is refused with 403 {@code cross_site_request} before anything else
 * ({@link TwoFactorWebConfig#crossSiteProtection()}). A host with its own routing calls {@link #unenrol} instead.
 * Thread-safe.
 */
public final class AdminUnenrolServlet extends HttpServlet {

    /** Form field naming the user to unenrol. */
    public static final String USER_ID_PARAMETER = "userId";
    /** Form field with the administrator's current authenticator code. */
    public static final String CODE_PARAMETER = "code";

    private static final long serialVersionUID = 1L;

    private transient volatile TwoFactorWebConfig config;

    /**
     * For containers that create the servlet ({@code web.xml}): the configuration is read from the servlet context
     * attribute {@link TwoFactorWebConfig#CONTEXT_ATTRIBUTE} in {@link #init()}.
     */
    public AdminUnenrolServlet() {
    }

    /**
     * @param config the configuration
     */
    public AdminUnenrolServlet(TwoFactorWebConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Reads the configuration from the servlet context if none was given to the constructor.
     *
     * @throws IllegalStateException if neither supplied one
     */
    @Override
    public void init() {
        if (config == null) {
            config = TwoFactorWebConfig.from(getServletContext());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        unenrol(request, response, request.getParameter(USER_ID_PARAMETER), request.getParameter(CODE_PARAMETER));
    }

    /**
     * Performs the unenrol for the signed-in administrator and writes the answer described above.
     *
     * @param request the request, of a session signed in through the filter
     * @param response its response
     * @param targetUserId the user to unenrol, or {@code null} if missing
     * @param adminCode the administrator's current code, or {@code null} if missing
     * @throws IOException if the response cannot be written
     */
    public void unenrol(HttpServletRequest request, HttpServletResponse response, String targetUserId,
                        CharSequence adminCode) throws IOException {
        TwoFactorWebConfig current = config;
        if (current == null) {
            throw new IllegalStateException("AdminUnenrolServlet used before init: no TwoFactorWebConfig");
        }
        if (current.crossSiteProtection().refuses(request)) {
            CrossSiteProtection.answerRefused(request, response, true, current.homePath());
            return;
        }
        String adminId = TwoFactorSessions.signedInUser(request).orElse(null);
        if (adminId == null) {
            error(response, 401, "not_signed_in", "Sign in (with two-factor authentication) first.");
            return;
        }
        if (!TwoFactorSessions.signedInAdministrator(request)) {
            error(response, 403, "forbidden", "Only administrators can remove two-factor authentication.");
            return;
        }
        if (targetUserId == null || targetUserId.isBlank() || adminCode == null || adminCode.length() == 0) {
            error(response, 400, "bad_request", "Both " + USER_ID_PARAMETER + " and " + CODE_PARAMETER
                    + " are required.");
            return;
        }
        Outcome<TwoFactorStatus> outcome = current.service().adminUnenrol(adminId, adminCode, targetUserId.trim());
        if (outcome.succeeded()) {
            Responses.noContent(response);
        } else if (outcome instanceof Outcome.RateLimited<TwoFactorStatus> limited) {
            Responses.retryAfter(response, limited.retryAfterSeconds());
            Responses.json(response, 429, Json.object().put("error", "rate_limited").put("message", limited.message())
                    .put("retryAfter", limited.retryAfterSeconds()));
        } else if (outcome instanceof Outcome.Locked<TwoFactorStatus> locked) {
            error(response, 403, "locked", locked.message());
        } else {
            Reason reason = ((Outcome.Rejected<TwoFactorStatus>) outcome).reason();
            error(response, statusOf(reason), reason.name().toLowerCase(Locale.ROOT), reason.message());
        }
    }

    private static int statusOf(Reason reason) {
        return switch (reason) {
            case UNKNOWN_USER -> 404;
            case WRONG_CODE, MALFORMED_CODE, CODE_ALREADY_USED -> 401;
            case ADMIN_NOT_ENABLED -> 403;
            default -> 400;   // NO_ENROLLMENT, SELF_UNENROL
        };
    }

    private static void error(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        Responses.json(response, status, Json.object().put("error", error).put("message", message));
    }
}
