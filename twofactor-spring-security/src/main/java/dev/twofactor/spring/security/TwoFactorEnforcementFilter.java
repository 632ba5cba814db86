package dev.twofactor.spring.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.authorization.RequiredFactorError;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link TwoFactorAuthorizationManager} to every request of a signed-in user, before the host's own
 * authorization rules (it sits just before Spring Security's {@code AuthorizationFilter}, after the
 * {@code ExceptionTranslationFilter} that turns its denials into the challenge, the enrolment screen or the step-up
 * screen).
 *
 * <ul>
 *   <li>A user with two-factor authentication enabled whose authentication lacks
 *       {@link TwoFactorAuthorities#FACTOR_TOTP} reaches only the open paths (the challenge, sign-out, the
 *       allowlist): every other request is denied with the missing-factor decision.</li>
 *   <li>A user the policy requires to enrol reaches only the open paths, the enrolment paths and the step-up
 *       screen (SPEC §8).</li>
 *   <li>A step-up path needs {@link TwoFactorAuthorizationManager#stepUp}; with a step-up window of zero, each
 *       step-up opens exactly one request to a step-up path.</li>
 * </ul>
 * Anonymous requests and app-password requests pass unchanged (the host's rules and the Basic filter decide them).
 */
public final class TwoFactorEnforcementFilter extends OncePerRequestFilter {

    private final TwoFactorAuthorizationManager manager;
    private final RequestMatcher open;
    private final RequestMatcher enrolment;
    private final RequestMatcher stepUpPaths;

    /**
     * @param manager the decisions
     * @param open always reachable (challenge, sign-out, error page, static resources)
     * @param enrolment reachable for a user who must enrol (the enrolment screen, its steps, the step-up screen)
     * @param stepUpPaths the sensitive paths that need a recent verification
     */
    public TwoFactorEnforcementFilter(TwoFactorAuthorizationManager manager, RequestMatcher open,
            RequestMatcher enrolment, RequestMatcher stepUpPaths) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.open = Objects.requireNonNull(open, "open");
        this.enrolment = Objects.requireNonNull(enrolment, "enrolment");
        this.stepUpPaths = Objects.requireNonNull(stepUpPaths, "stepUpPaths");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        if (!TwoFactorAuthorizationManager.signedIn(authentication)
                || authentication instanceof AppPasswordAuthenticationToken || open.matches(request)) {
            chain.doFilter(request, response);
            return;
        }
        AuthorizationResult policy = manager.check(authentication, request);
        if (policy instanceof TwoFactorAuthorizationManager.EnrolmentRequired) {
            if (!enrolment.matches(request)) {
                throw new AuthorizationDeniedException("Two-factor enrolment required", policy);
            }
        } else if (!policy.isGranted()) {
            throw new AuthorizationDeniedException("Missing authority " + TwoFactorAuthorities.FACTOR_TOTP, policy);
        }
        if (stepUpPaths.matches(request)) {
            AuthorizationResult stepUp = manager.stepUpWindow().isZero() ? oneShotStepUp(request)
                    : manager.stepUp(authentication);
            if (!stepUp.isGranted()) {
                response.setHeader("Cache-Control", "no-store");
                throw new AuthorizationDeniedException("Step-up required", stepUp);
            }
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }

    /** Window zero ("ask before every sensitive action"): each step-up is good for one sensitive request. */
    private static AuthorizationResult oneShotStepUp(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(TwoFactorAuthenticationFilter.STEP_UP_AT_ATTRIBUTE)
                instanceof Instant) {
            session.removeAttribute(TwoFactorAuthenticationFilter.STEP_UP_AT_ATTRIBUTE);
            return new AuthorizationDecision(true);
        }
        RequiredFactor factor = RequiredFactor.withAuthority(TwoFactorAuthorities.FACTOR_TOTP)
                .validDuration(Duration.ZERO).build();
        return new TwoFactorAuthorizationManager.StepUpRequired(List.of(RequiredFactorError.createExpired(factor)));
    }
}
