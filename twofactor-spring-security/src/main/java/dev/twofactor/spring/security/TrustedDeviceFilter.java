package dev.twofactor.spring.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A remembered device standing in for the challenge ({@link TwoFactorConfigurer#trustedDevices(boolean)}), just
 * before the {@link TwoFactorEnforcementFilter}. It looks only at a request that carries a device cookie, of a
 * session signed in with the password ({@code FACTOR_PASSWORD}, issued less than the challenge's time to live ago)
 * whose user has two-factor authentication enabled and lacks {@link TwoFactorAuthorities#FACTOR_TOTP}: the cookie is
 * checked with {@link dev.twofactor.TrustedDevices#recognise} for the user of that authentication, never for a user
 * the request names. Recognised: {@link TwoFactorFactors} grants {@code FACTOR_TOTP} (the one place that does it
 * outside the challenge filter) and rotates the session id, and the request goes on (a {@code GET} of the challenge
 * screen goes to the saved request instead). Not recognised (garbage, another user's, expired, revoked, the user
 * locked, in a backoff or no longer enrolled): the cookie is cleared and the request goes on to the challenge as
 * without it, with nothing counted toward the backoff and nothing said about why.
 */
final class TrustedDeviceFilter extends OncePerRequestFilter {

    private final DeviceCookie cookie;
    private final TwoFactorFactors factors;
    private final TwoFactorAuthorizationManager manager;
    private final Clock clock;
    private final Duration challengeTtl;
    private final RequestMatcher challengeScreen;
    private final AuthenticationSuccessHandler success;

    TrustedDeviceFilter(DeviceCookie cookie, TwoFactorFactors factors, TwoFactorAuthorizationManager manager,
            Clock clock, Duration challengeTtl, RequestMatcher challengeScreen, AuthenticationSuccessHandler success) {
        this.cookie = cookie;
        this.factors = factors;
        this.manager = manager;
        this.clock = clock;
        this.challengeTtl = challengeTtl;
        this.challengeScreen = challengeScreen;
        this.success = success;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication current = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        Optional<FactorGrantedAuthority> password = cookie.present(request) && cookie.offered()
                ? passwordOnly(current) : Optional.empty();
        if (password.isPresent() && challengeDue(current, request)) {
            if (cookie.recognised(request, current.getName())) {
                // Stamped with the password's time: the device adds no freshness of its own (step-up).
                factors.grant(request, response, password.get().getIssuedAt());
                if ("GET".equals(request.getMethod()) && challengeScreen.matches(request)) {
                    success.onAuthenticationSuccess(request, response,
                            SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication());
                    return;
                }
            } else {
                cookie.clear(request, response);
            }
        }
        chain.doFilter(request, response);
    }

    /** The password factor of a half-open authentication whose challenge can still be answered, if it is one. */
    private Optional<FactorGrantedAuthority> passwordOnly(Authentication current) {
        if (!TwoFactorAuthorizationManager.signedIn(current) || current instanceof AppPasswordAuthenticationToken
                || TwoFactorAuthorities.factor(current, TwoFactorAuthorities.FACTOR_TOTP).isPresent()
                || TwoFactorAuthenticationFilter.challengeExpired(current, clock, challengeTtl)) {
            return Optional.empty();
        }
        return TwoFactorAuthorities.factor(current, FactorGrantedAuthority.PASSWORD_AUTHORITY);
    }

    /** Whether the policy asks this authentication for {@code FACTOR_TOTP} (its user has 2FA enabled). */
    private boolean challengeDue(Authentication current, HttpServletRequest request) {
        AuthorizationResult policy = manager.check(current, request);
        return policy instanceof FactorAuthorizationDecision factor && !factor.isGranted();
    }
}
