package dev.twofactor.spring.security;

import dev.twofactor.internal.web.JsonText;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON and plain answers the integration writes itself; never an input echoed back. */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /**
     * Whether the client asked for JSON rather than a page: an {@code Accept} header naming
     * {@code application/json} but not {@code text/html}, or an {@code X-Requested-With} header.
     */
    static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            return true;
        }
        return request.getHeader("X-Requested-With") != null;
    }

    static void json(HttpServletResponse response, int status, String error, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        String body = "{\"error\":" + JsonText.quote(error) + ",\"message\":" + JsonText.quote(message) + "}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    static void rateLimited(HttpServletRequest request, HttpServletResponse response,
            TwoFactorRateLimitedException limited) throws IOException {
        response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        if (wantsJson(request)) {
            json(response, 429, "rate_limited", limited.getMessage());
        } else {
            page(response, 429, limited.getMessage());
        }
    }

    static void locked(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        if (wantsJson(request)) {
            json(response, 429, "locked", message);
        } else {
            page(response, 429, message);
        }
    }

    /** A minimal page for an answer that is not a redirect (429 to a browser). */
    static void page(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        String body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Two-factor authentication</title>"
                + "</head><body><p id=\"error\">" + escapeHtml(message)
                + "</p><p><a href=\"javascript:history.back()\">Back</a></p></body></html>";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
