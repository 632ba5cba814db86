package dev.twofactor.spring.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

/**
 * The access-denied handler behind Spring Security's missing-factor handler: it answers the denials that handler does
 * not map to an entry point, so that a missing second factor never ends as a plain 403.
 *
 * <ul>
 *   <li>{@link TwoFactorAuthorizationManager.EnrolmentRequired}: browsers are redirected to the enrolment screen,
 *       API clients get 403 {@code {"error":"enrolment_required"}} with the policy's message (SPEC §8).</li>
 *   <li>{@link TwoFactorAuthorizationManager.StepUpRequired}, or any {@link FactorAuthorizationDecision} naming
 *       {@link TwoFactorAuthorities#FACTOR_TOTP}: the {@link TwoFactorEntryPoint}.</li>
 *   <li>Any other denial of a user who has two-factor authentication enabled but whose authentication lacks
 *       {@code FACTOR_TOTP}: the {@link TwoFactorEntryPoint} too. This is the Spring Security 7.0 pitfall of
 *       {@code @PreAuthorize("hasAuthority('FACTOR_...')")}, whose denial carries no factor information and would
 *       otherwise answer 403.</li>
 *   <li>Everything else: the delegate (by default {@link AccessDeniedHandlerImpl}, 403).</li>
 * </ul>
 * Thread-safe.
 */
public final class TwoFactorAccessDeniedHandler implements AccessDeniedHandler {

    private final TwoFactorEntryPoint entryPoint;
    private final TwoFactorAuthorizationManager manager;
    private final String enrolmentPath;
    private final AccessDeniedHandler delegate;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    /**
     * @param entryPoint the missing-factor entry point
     * @param manager the policy decisions
     * @param enrolmentPath the enrolment screen, e.g. {@code /my/profile/two-factor}
     * @param delegate for every other denial; {@code null} for {@link AccessDeniedHandlerImpl}
     */
    public TwoFactorAccessDeniedHandler(TwoFactorEntryPoint entryPoint, TwoFactorAuthorizationManager manager,
            String enrolmentPath, AccessDeniedHandler delegate) {
        this.entryPoint = Objects.requireNonNull(entryPoint, "entryPoint");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.enrolmentPath = Objects.requireNonNull(enrolmentPath, "enrolmentPath");
        this.delegate = delegate != null ? delegate : new AccessDeniedHandlerImpl();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        if (response.isCommitted()) {
            return;
        }
        AuthorizationResult result = TwoFactorEntryPoint.deniedResult(denied);
        if (result instanceof TwoFactorAuthorizationManager.EnrolmentRequired enrol) {
            if (HttpAnswers.wantsJson(request)) {
                HttpAnswers.json(response, 403, "enrolment_required", enrol.message());
            } else {
                response.setHeader("Cache-Control", "no-store");
                redirects.sendRedirect(request, response, enrolmentPath);
            }
            return;
        }
        if (result instanceof TwoFactorAuthorizationManager.StepUpRequired || namesTotp(result)
                || manager.challengeNeeded(SecurityContextHolder.getContext().getAuthentication())) {
            entryPoint.commence(request, response,
                    new InsufficientAuthenticationException("Missing authority " + TwoFactorAuthorities.FACTOR_TOTP,
                            denied));
            return;
        }
        delegate.handle(request, response, denied);
    }

    private static boolean namesTotp(AuthorizationResult result) {
        return result instanceof FactorAuthorizationDecision factors && factors.getFactorErrors().stream()
                .anyMatch(error -> TwoFactorAuthorities.FACTOR_TOTP.equals(error.getRequiredFactor().getAuthority()));
    }
}
