package dev.twofactor.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Selects requests: the allowlisted paths (static assets), the paths that need a recent step-up, the paths that
 * accept an app password with HTTP Basic, and which requests are API requests (answered with JSON rather than
 * redirects). Configure them on {@link TwoFactorWebConfig.Builder}.
 *
 * <p>Path matchers should match the {@linkplain #pathWithinApplication normalised path} that the container resolved
 * for its servlet mapping, never the raw request URI, so that {@code /static/../admin}, {@code ;jsessionid=} and
 * percent-encoding cannot make a request look like another.
 *
 * <p><b>Concurrency:</b> called on every request from many threads at once: implementations must be thread-safe
 * (stateless is best), fast, and must not block, read the request body or create a session.
 */
@FunctionalInterface
public interface RequestMatcher {

    /** Matches no request (the default for the allowlist, step-up paths and app-password paths). */
    RequestMatcher NONE = request -> false;

    /**
     * An API request: the {@code Accept} header asks for JSON ({@code application/json} or a {@code +json} type) and
     * not for HTML. Browsers navigating ask for {@code text/html}, so they get redirects; {@code fetch} calls and API
     * clients asking for JSON get status codes with JSON bodies. The default way to tell API requests.
     */
    RequestMatcher ACCEPTS_JSON = request -> {
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return (lower.contains("application/json") || lower.contains("+json")) && !lower.contains("text/html");
    };

    /**
     * @param request the request
     * @return whether this matcher selects it
     */
    boolean matches(HttpServletRequest request);

    /**
     * @param other another matcher
     * @return a matcher selecting requests that this one or {@code other} selects
     */
    default RequestMatcher or(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return request -> matches(request) || other.matches(request);
    }

    /**
     * Matches paths within the application (without the context path) in the style of servlet mappings:
     * {@code "/favicon.ico"} matches that path (and {@code "/favicon.ico/"}); {@code "/static/*"} matches
     * {@code "/static"} and everything beneath it; {@code "/*"} matches everything. Case-sensitive, like servlet
     * mappings. Other wildcards are not supported.
     *
     * @param patterns one or more patterns, each starting with {@code /}
     * @return the matcher
     * @throws IllegalArgumentException for a pattern that is empty, does not start with {@code /}, or has a
     *                                  {@code *} other than a trailing {@code /*}
     */
    static RequestMatcher paths(String... patterns) {
        Objects.requireNonNull(patterns, "patterns");
        if (patterns.length == 0) {
            throw new IllegalArgumentException("at least one path pattern is required");
        }
        Set<String> exact = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String pattern : patterns) {
            Objects.requireNonNull(pattern, "pattern");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("path pattern must start with '/': " + pattern);
            }
            int star = pattern.indexOf('*');
            if (star >= 0 && (star != pattern.length() - 1 || !pattern.endsWith("/*"))) {
                throw new IllegalArgumentException("only a trailing '/*' wildcard is supported: " + pattern);
            }
            if (star >= 0) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
        String[] prefixArray = prefixes.toArray(String[]::new);
        return request -> {
            String path = pathWithinApplication(request);
            if (exact.contains(path)
                    || path.length() > 1 && path.endsWith("/")
                        && exact.contains(path.substring(0, path.length() - 1))) {
                return true;
            }
            for (String prefix : prefixArray) {
                // prefix ends with '/': "/static/" matches "/static" itself and "/static/..."
                if (path.startsWith(prefix) || path.length() == prefix.length() - 1 && prefix.startsWith(path)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * The request's path within the application as the container resolved it for servlet mapping: servlet path
     * plus path info, decoded and normalised, without the context path, the query or path parameters; {@code "/"}
     * for the root.
     *
     * @param request the request
     * @return the path, starting with {@code /}
     */
    static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }
}
