package dev.twofactor.examples.demo.sdkgap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SDK gap: admin unenrol as Atlassian's REST endpoint, {@code DELETE <path>/{userId}} with the JSON body
 * {@code {"totpCode": "..."}} (the SDK's {@code AdminUnenrolServlet} takes a {@code POST} form). Answers 204 done;
 * 400 {@code {"message":"No enrollment found for this user."}} (also a malformed body or self-unenrol); 404 no such
 * user; 401 no signed-in session or a bad code; 403 not an administrator; 429 with {@code Retry-After} during the
 * administrator's backoff. Cross-site pages cannot send a JSON {@code DELETE} without the browser asking first, and
 * this endpoint allows no other site. Replace with the SDK's endpoint once it takes {@code DELETE}.
 */
public final class AdminUnenrolRest extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;

    private final transient Supplier<TwoFactorService> service;
    private final transient ObjectMapper json = new ObjectMapper();

    /**
     * @param service the current service
     */
    public AdminUnenrolRest(Supplier<TwoFactorService> service) {
        this.service = service;
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String admin = TwoFactorSessions.signedInUser(request).orElse(null);
        if (admin == null) {
            answer(response, 401, "unauthorized", "Sign in first.");
            return;
        }
        if (!TwoFactorSessions.signedInAdministrator(request)) {
            answer(response, 403, "forbidden", "Only administrators can do this.");
            return;
        }
        String target = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        String code = totpCode(request);
        if (target.isEmpty() || target.contains("/") || code == null) {
            answer(response, 400, "bad_request", "Send {\"totpCode\": \"...\"} to DELETE .../{userId}.");
            return;
        }
        Outcome<TwoFactorStatus> outcome = service.get().adminUnenrol(admin, code, target);
        if (outcome.succeeded()) {
            response.setStatus(204);
            return;
        }
        if (outcome instanceof Outcome.Rejected<?> rejected) {
            Reason reason = rejected.reason();
            int status = switch (reason) {
                case UNKNOWN_USER -> 404;
                case NO_ENROLLMENT, SELF_UNENROL -> 400;
                default -> 401; // a wrong, malformed or used code; the administrator without two-factor
            };
            answer(response, status, OutcomeHttp.error(outcome), reason.message());
            return;
        }
        OutcomeHttp.apply(response, outcome);
        answer(response, response.getStatus(), OutcomeHttp.error(outcome), OutcomeHttp.message(outcome));
    }

    private String totpCode(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                return null;
            }
            JsonNode node = json.readTree(body);
            JsonNode code = node == null ? null : node.get("totpCode");
            return code != null && code.isTextual() ? code.asText() : null;
        } catch (JsonProcessingException malformed) {
            return null;
        }
    }

    private void answer(HttpServletResponse response, int status, String error, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), body);
    }
}
