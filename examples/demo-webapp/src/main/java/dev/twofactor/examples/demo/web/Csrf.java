package dev.twofactor.examples.demo.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery protection: a random token per session, put in every form as {@value #FIELD} and
 * compared in constant time on every state-changing request. Requests with a JSON body (the sign-in API, the admin
 * REST endpoint) need no token: a page of another site cannot send one without the browser asking this server first,
 * which it never allows. Requests with HTTP Basic (the app-password API) carry no cookie-based authority either.
 */
public final class Csrf implements Filter {

    /** The form field carrying the token. */
    public static final String FIELD = "_csrf";
    private static final String ATTRIBUTE = Csrf.class.getName();
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pages pages;

    /**
     * @param pages renders the refusal page
     */
    public Csrf(Pages pages) {
        this.pages = pages;
    }

    /**
     * @param request a request
     * @return the session's token, created (with the session) if needed
     */
    public static String token(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(ATTRIBUTE);
        if (token instanceof String text) {
            return text;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }

    /**
     * Replaces the session's token (after sign-in, so a token known before it is worth nothing after).
     *
     * @param request a request with a session
     */
    public static void rotate(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (SAFE.contains(request.getMethod()) || isJson(request) || isBasic(request) || valid(request)) {
            chain.doFilter(request, response);
            return;
        }
        pages.message(request, response, 403, "This form has expired",
                "The page was open too long or came from another site. Go back, reload it and try again.",
                "/login", "Go to sign-in");
    }

    private static boolean valid(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(ATTRIBUTE);
        String given = request.getParameter(FIELD);
        return expected instanceof String text && given != null
                && MessageDigest.isEqual(text.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static boolean isBasic(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && request.getServletPath().startsWith("/api/");
    }
}
