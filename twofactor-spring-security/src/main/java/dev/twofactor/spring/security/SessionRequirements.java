package dev.twofactor.spring.security;

import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.RequirementFacts;
import dev.twofactor.internal.web.SessionAttributeHolder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The requirement of a session's user as the integration reads it: from the HTTP session's {@link RequirementFacts}
 * (core's, shared with the servlet filter) while they are younger than {@code requirementMaxAge} and were read for
 * the same authentication state, otherwise from {@link TwoFactorService#requirementFor} (kept for the next requests).
 * A request without a session (a stateless API) reads every time and creates no session. Thread-safe.
 */
final class SessionRequirements {

    /** The session attribute holding the facts. */
    static final String ATTRIBUTE = "dev.twofactor.spring.security.facts";

    private final TwoFactorService service;
    private final Duration maxAge;

    SessionRequirements(TwoFactorService service, Duration maxAge) {
        this.service = Objects.requireNonNull(service, "service");
        this.maxAge = RequirementFacts.checkMaxAge(maxAge);
    }

    Duration maxAge() {
        return maxAge;
    }

    /**
     * @param authentication the signed-in authentication
     * @param user what the service is told about it
     * @param request the request, or {@code null} to use the one Spring's request context holds (if any)
     */
    Requirement requirementFor(Authentication authentication, UserContext user, HttpServletRequest request) {
        // The clock before any read: facts read now count from this instant, never from a later one.
        return RequirementFacts.requirement(holder(session(request)), service, maxAge, AuthenticationState.of(
                authentication), user, service.clock().instant());
    }

    /** Forgets the facts of {@code request}'s session: its next request reads again. */
    static void forget(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.removeAttribute(ATTRIBUTE);
            } catch (IllegalStateException invalidated) {
                // Signed out concurrently: nothing kept.
            }
        }
    }

    private static HttpSession session(HttpServletRequest request) {
        if (request == null) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            request = attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
        }
        try {
            return request == null ? null : request.getSession(false);
        } catch (IllegalStateException noLongerActive) {
            return null;
        }
    }

    private static RequirementFacts.Holder holder(HttpSession session) {
        return session == null ? null : SessionAttributeHolder.of(
                () -> session.getAttribute(ATTRIBUTE) instanceof RequirementFacts facts ? facts : null,
                facts -> session.setAttribute(ATTRIBUTE, facts));
    }

    /**
     * The session state facts are read for: the authentication's type, principal name and authorities, each factor
     * with its issue instant. A different principal, a new sign-in, a passed challenge or a step-up (a factor issued
     * anew) is another state, so it reads again. Holds no credential.
     */
    record AuthenticationState(String type, String name, List<String> authorities) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        static AuthenticationState of(Authentication authentication) {
            List<String> authorities = new ArrayList<>();
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                authorities.add(authority instanceof FactorGrantedAuthority factor
                        ? factor.getAuthority() + "@" + factor.getIssuedAt()
                        : String.valueOf(authority.getAuthority()));
            }
            return new AuthenticationState(authentication.getClass().getName(), authentication.getName(),
                    List.copyOf(authorities));
        }
    }
}
