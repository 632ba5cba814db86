package dev.twofactor.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The answers the filter and the ready-made handlers write themselves: JSON for API clients, redirects and tiny
 * HTML pages for browsers. None of them is cached, and none echoes a submitted code or password.
 */
final class Responses {

    private Responses() {
    }

    static void json(HttpServletResponse response, int status, Json body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        common(response);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** 204 with no body. */
    static void noContent(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        common(response);
    }

    /**
     * A 302 to a context-relative path of this application. The path comes from the configuration or passed
     * {@link TwoFactorSessions#safeReturnPath}, so the redirect never leaves the application.
     */
    static void redirect(HttpServletRequest request, HttpServletResponse response, String contextRelativePath) {
        response.setStatus(HttpServletResponse.SC_FOUND);
        common(response);
        response.setHeader("Location", request.getContextPath() + contextRelativePath);
    }

    /** A 302 to a context-relative path with one query parameter. */
    static void redirect(HttpServletRequest request, HttpServletResponse response, String contextRelativePath,
                         String parameter, String value) {
        redirect(request, response, contextRelativePath + (contextRelativePath.indexOf('?') < 0 ? '?' : '&')
                + parameter + '=' + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** API requests: the status with a JSON body naming the screen; browsers: a redirect to that screen. */
    static void refuse(HttpServletRequest request, HttpServletResponse response, boolean api, int status,
                       String error, String message, String screen) throws IOException {
        if (api) {
            json(response, status, Json.object().put("error", error).put("message", message)
                    .put("location", request.getContextPath() + screen));
        } else {
            redirect(request, response, screen);
        }
    }

    /** A small HTML page with a message and one link back into the application. */
    static void html(HttpServletRequest request, HttpServletResponse response, int status, String message,
                     String linkPath, String linkText) throws IOException {
        String page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeHtml(message)
                + "</title></head><body><p id=\"two-factor-message\">" + escapeHtml(message) + "</p>"
                + "<p><a href=\"" + escapeHtml(request.getContextPath() + linkPath) + "\">" + escapeHtml(linkText)
                + "</a></p></body></html>\n";
        htmlPage(response, status, page);
    }

    static void htmlPage(HttpServletResponse response, int status, String page) throws IOException {
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        common(response);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Adds {@code Retry-After} (whole seconds) to a 429 answer. */
    static void retryAfter(HttpServletResponse response, long seconds) {
        response.setHeader("Retry-After", Long.toString(seconds));
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void common(HttpServletResponse response) {
        // Answers about sign-in state are per user and per moment: never let a cache keep or share them.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
