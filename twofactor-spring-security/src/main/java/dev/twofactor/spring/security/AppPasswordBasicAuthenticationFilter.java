package dev.twofactor.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security's HTTP Basic filter, on the API paths only, with an {@link AuthenticationManager} that knows app
 * passwords only ({@link AppPasswordAuthenticationProvider}). Elsewhere an {@code Authorization: Basic} header is
 * ignored, so an app password never opens a page. Stateless: the authentication lasts for the request.
 */
final class AppPasswordBasicAuthenticationFilter extends BasicAuthenticationFilter {

    private final RequestMatcher apiPaths;

    AppPasswordBasicAuthenticationFilter(AuthenticationManager manager, AuthenticationEntryPoint entryPoint,
            RequestMatcher apiPaths) {
        super(manager, entryPoint);
        this.apiPaths = Objects.requireNonNull(apiPaths, "apiPaths");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !apiPaths.matches(request);
    }
}
