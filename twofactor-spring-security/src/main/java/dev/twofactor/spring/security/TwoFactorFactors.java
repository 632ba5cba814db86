package dev.twofactor.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.twofactor.TwoFactorService;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Grants {@link TwoFactorAuthorities#FACTOR_TOTP} to the signed-in user outside the challenge filter: after the code
 * that confirmed an enrolment passed ({@code TwoFactorService#confirmEnrolment}), that code is a verified second
 * factor, so the user is not sent to the challenge right after enabling two-factor authentication (and, inside the
 * integration, when a remembered device stands in for the challenge: {@link TwoFactorConfigurer#trustedDevices});
 * and makes the session read the user's requirement again after a change of it in this session
 * ({@link #requirementChanged}).
 * Thread-safe.
 */
public final class TwoFactorFactors {

    private final Clock clock;
    private final SecurityContextRepository repository;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    /**
     * @param service the service; the factor is stamped with its {@link TwoFactorService#clock() clock}
     * @param repository where the security context is kept; {@code null} for the HTTP session
     */
    public TwoFactorFactors(TwoFactorService service, SecurityContextRepository repository) {
        this.clock = Objects.requireNonNull(service, "service").clock();
        this.repository = repository != null ? repository : new HttpSessionSecurityContextRepository();
    }

    /**
     * Adds (or renews) {@code FACTOR_TOTP} on the current authentication, keeps every other authority, stores the
     * context and rotates the session id. Call it only after the service accepted a code of this very user.
     *
     * @param request the request
     * @param response the response
     * @throws IllegalStateException without a signed-in user
     */
    public void grantTotp(HttpServletRequest request, HttpServletResponse response) {
        grant(request, response, clock.instant());
    }

    /**
     * {@link #grantTotp}, with the factor stamped {@code issuedAt}: a remembered device ({@link TrustedDeviceFilter})
     * stamps it with the password factor's time, so that it adds no freshness of its own.
     */
    void grant(HttpServletRequest request, HttpServletResponse response, Instant issuedAt) {
        Authentication current = holder.getContext().getAuthentication();
        if (!TwoFactorAuthorizationManager.signedIn(current) || current instanceof AppPasswordAuthenticationToken) {
            throw new IllegalStateException("No signed-in user to grant the factor to");
        }
        Authentication updated = current.toBuilder().authorities(authorities -> {
            authorities.removeIf(authority -> TwoFactorAuthorities.FACTOR_TOTP.equals(authority.getAuthority()));
            authorities.add(TwoFactorAuthorities.totp(issuedAt));
        }).build();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(updated);
        holder.setContext(context);
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        repository.saveContext(context, request, response);
        requirementChanged(request);
    }

    /**
     * Makes the next request of this session read again what the service says about its user, rather than rely on
     * what {@link TwoFactorAuthorizationManager} read less than {@code requirementMaxAge} ago. Call it after this
     * session's user changed their own two-factor state in a way that keeps their authentication (a disable, a
     * cancelled enrolment), so that, say, a policy that requires enrolment applies on the very next request.
     *
     * @param request the request of the session
     */
    public static void requirementChanged(HttpServletRequest request) {
        SessionRequirements.forget(request);
    }
}
