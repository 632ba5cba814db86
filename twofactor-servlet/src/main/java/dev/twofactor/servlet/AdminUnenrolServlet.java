package dev.twofactor.servlet;

import dev.twofactor.TwoFactorTexts;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An administrator removes the two-factor enrolment of a user who lost both phone and recovery codes (SPEC §9), as
 * a REST endpoint, in either of two forms:
 * <ul>
 *   <li>Atlassian's: {@code DELETE <mapping>/<userId>} (or {@code DELETE <mapping>?userId=...}) with the JSON body
 *       {@code {"totpCode":"373416"}} ({@value #TOTP_CODE_FIELD}: a current code from the administrator's own
 *       authenticator; {@code Content-Type: application/json}, at most 4 KB);</li>
 *   <li>a form: {@code POST <mapping>} with form fields {@value #USER_ID_PARAMETER} (the user to unenrol) and
 *       {@value #CODE_PARAMETER} (the administrator's current code).</li>
 * </ul>
 * Map it with a trailing wildcard ({@code /admin/two-factor/unenrol/*}) for the path form. Both give the same
 * answers, with the same message texts:
 *
 * <table>
 *   <caption>answers</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>204</td><td>done</td></tr>
 *   <tr><td>400</td><td>"No enrollment found for this user." ({@code no_enrollment}); an administrator unenrolling
 *       themselves ({@code self_unenrol}); a missing field or a body that is not such a JSON object
 *       ({@code bad_request})</td></tr>
 *   <tr><td>401</td><td>no signed-in session ({@code not_signed_in}); a wrong, malformed or used administrator code
 *       ({@code wrong_code}, {@code malformed_code}, {@code code_already_used})</td></tr>
 *   <tr><td>403</td><td>the signed-in user is not an administrator ({@code forbidden}); the administrator has no
 *       two-factor authentication ({@code admin_not_enabled}); the administrator's second factor is locked
 *       ({@code locked})</td></tr>
 *   <tr><td>404</td><td>no such user ({@code unknown_user})</td></tr>
 *   <tr><td>429</td><td>the administrator is in a backoff: the code was not checked; {@code Retry-After}</td></tr>
 * </table>
 * Errors carry a JSON body {@code {"error":"...","message":"..."}} ({@link OutcomeResponses} for the service's
 * answers).
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
    /** JSON field of the {@code DELETE} body with the administrator's current authenticator code. */
    public static final String TOTP_CODE_FIELD = "totpCode";

    private static final int MAX_BODY_CHARS = 4096;

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
            config = WebSettings.from(getServletContext());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        unenrol(request, response, request.getParameter(USER_ID_PARAMETER), request.getParameter(CODE_PARAMETER));
    }

    /** Atlassian's form: the user in the path (or {@code ?userId=}), {@code {"totpCode":"..."}} in the body. */
    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        String userId = pathInfo != null && pathInfo.length() > 1 ? pathInfo.substring(1)
                : request.getParameter(USER_ID_PARAMETER);
        String code = null;
        String type = request.getContentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Map<String, String> body = Json.parseStringFields(readBody(request));
            code = body == null ? null : body.get(TOTP_CODE_FIELD);
        }
        unenrol(request, response, userId, code);
    }

    /** The body, or {@code ""} when it is longer than {@value #MAX_BODY_CHARS} characters (then refused). */
    private static String readBody(HttpServletRequest request) throws IOException {
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8");
        }
        StringBuilder body = new StringBuilder();
        char[] buffer = new char[1024];
        try (BufferedReader reader = request.getReader()) {
            int read;
            while ((read = reader.read(buffer)) >= 0) {
                body.append(buffer, 0, read);
                if (body.length() > MAX_BODY_CHARS) {
                    return "";
                }
            }
        }
        return body.toString();
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
            error(response, 401, "not_signed_in", ServletTexts.text(TwoFactorTexts.Key.ADMIN_NOT_SIGNED_IN));
            return;
        }
        if (!TwoFactorSessions.signedInAdministrator(request)) {
            error(response, 403, "forbidden", ServletTexts.text(TwoFactorTexts.Key.ADMIN_FORBIDDEN));
            return;
        }
        if (targetUserId == null || targetUserId.isBlank() || adminCode == null || adminCode.length() == 0) {
            error(response, 400, "bad_request", ServletTexts.text(TwoFactorTexts.Key.ADMIN_MISSING_INPUT));
            return;
        }
        // 204, or the service's answer: 400 no_enrollment / self_unenrol, 404 unknown_user, 401 wrong code,
        // 403 admin_not_enabled / locked, 429 with Retry-After.
        OutcomeResponses.write(response, current.service().adminUnenrol(adminId, adminCode, targetUserId.trim()));
    }

    private static void error(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        Responses.json(response, status, Json.object().put("error", error).put("message", message));
    }
}
