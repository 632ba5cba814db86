package dev.twofactor.servlet;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * The HTTP answer for any {@link Outcome} of the {@link dev.twofactor.TwoFactorService}, so that a host's own
 * endpoints (enrolment, step-up, app passwords, disable) answer exactly as the filter and the
 * {@link AdminUnenrolServlet} do, which use it themselves.
 *
 * <table>
 *   <caption>outcome → HTTP</caption>
 *   <tr><th>outcome</th><th>status</th><th>JSON body</th></tr>
 *   <tr><td>{@link Outcome.Success}</td><td>204 (the value is the host's to render)</td><td>none</td></tr>
 *   <tr><td>{@link Outcome.RateLimited}</td><td>429, {@code Retry-After} in whole seconds (at least 1)</td>
 *       <td>{@code {"error":"rate_limited","message":...,"retryAfter":n}}</td></tr>
 *   <tr><td>{@link Outcome.Locked}</td><td>403</td><td>{@code {"error":"locked","message":...}}</td></tr>
 *   <tr><td>{@link Outcome.Rejected}: a wrong, malformed or used code, recovery code, password or app
 *       password</td><td>401</td><td rowspan="6">{@code {"error":"<reason in lower case>","message":...}}, for
 *       example {@code {"error":"wrong_code","message":"That code did not match"}}</td></tr>
 *   <tr><td>{@link Outcome.Rejected}: {@link Reason#UNKNOWN_USER}, {@link Reason#APP_PASSWORD_NOT_FOUND}</td>
 *       <td>404</td></tr>
 *   <tr><td>{@link Outcome.Rejected}: {@link Reason#ADMIN_NOT_ENABLED}, {@link Reason#STEP_UP_REQUIRED} (as the
 *       filter's {@code step_up_required})</td><td>403</td></tr>
 *   <tr><td>{@link Outcome.Rejected}: {@link Reason#NO_PENDING_ENROLMENT}, {@link Reason#NOT_ENABLED},
 *       {@link Reason#ALREADY_ENABLED}, {@link Reason#NOTHING_TO_ACKNOWLEDGE} (the state does not allow it)</td>
 *       <td>409</td></tr>
 *   <tr><td>{@link Outcome.Rejected}: {@link Reason#NO_ENROLLMENT}, {@link Reason#SELF_UNENROL},
 *       {@link Reason#APP_PASSWORD_NAME_INVALID}, {@link Reason#APP_PASSWORD_NO_PERMISSIONS},
 *       {@link Reason#APP_PASSWORD_UNKNOWN_PERMISSION} and any other reason</td><td>400</td></tr>
 * </table>
 *
 * <p>Every answer carries {@code Cache-Control: no-store}; none echoes the submitted code or password (the message
 * is the {@link Reason}'s fixed text). Stateless and thread-safe.
 */
public final class OutcomeResponses {

    private OutcomeResponses() {
    }

    /**
     * @param outcome a service outcome
     * @return its HTTP status, as in the table above
     */
    public static int status(Outcome<?> outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof Outcome.Success<?>) {
            return 204;
        }
        if (outcome instanceof Outcome.RateLimited<?>) {
            return 429;
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return 403;
        }
        return status(((Outcome.Rejected<?>) outcome).reason());
    }

    /**
     * @param reason why an operation was rejected
     * @return the HTTP status of that rejection, as in the table above
     */
    public static int status(Reason reason) {
        return switch (Objects.requireNonNull(reason, "reason")) {
            case WRONG_CODE, MALFORMED_CODE, CODE_ALREADY_USED, WRONG_RECOVERY_CODE, WRONG_PASSWORD,
                 WRONG_PASSWORD_DISABLE, WRONG_APP_PASSWORD -> 401;
            case UNKNOWN_USER, APP_PASSWORD_NOT_FOUND -> 404;
            case ADMIN_NOT_ENABLED, STEP_UP_REQUIRED -> 403;
            case NO_PENDING_ENROLMENT, NOT_ENABLED, ALREADY_ENABLED, NOTHING_TO_ACKNOWLEDGE -> 409;
            default -> 400;
        };
    }

    /**
     * @param outcome a service outcome
     * @return its stable lower-case error code ({@code rate_limited}, {@code locked}, the reason's name in lower
     *         case); {@code ""} for a success
     */
    public static String error(Outcome<?> outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof Outcome.Success<?>) {
            return "";
        }
        if (outcome instanceof Outcome.RateLimited<?>) {
            return "rate_limited";
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return "locked";
        }
        return error(((Outcome.Rejected<?>) outcome).reason());
    }

    /**
     * @param reason why an operation was rejected
     * @return its error code: the reason's name in lower case ({@code wrong_code})
     */
    public static String error(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Writes the answer of the table above: status, {@code Retry-After} for 429, the JSON body (none for a
     * success).
     *
     * @param response the response, not yet committed
     * @param outcome the service outcome
     * @throws IOException if the response cannot be written
     */
    public static void write(HttpServletResponse response, Outcome<?> outcome) throws IOException {
        Objects.requireNonNull(response, "response");
        if (outcome instanceof Outcome.Success<?>) {
            Responses.noContent(response);
            return;
        }
        Json body = Json.object().put("error", error(outcome)).put("message", outcome.message());
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            Responses.retryAfter(response, limited.retryAfterSeconds());
            body.put("retryAfter", limited.retryAfterSeconds());
        }
        Responses.json(response, status(outcome), body);
    }
}
