package dev.twofactor.spring.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.core.Authentication;
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
 *   <li>A denial that asked for {@code FACTOR_TOTP} (a factor or authority decision naming it, or a method-security
 *       expression mentioning it) of a user without a second factor: the enrolment screen (API: 403
 *       {@code enrolment_required}), since there is no challenge they could pass.</li>
 *   <li>Everything else: the delegate (by default {@link AccessDeniedHandlerImpl}, 403).</li>
 * </ul>
 * Thread-safe.
 */
public final class TwoFactorAccessDeniedHandler implements AccessDeniedHandler {

    /** The API message for a user without a second factor whom a rule asks for {@code FACTOR_TOTP}. */
    public static final String SET_UP_MESSAGE = "Set up two-factor authentication to continue.";

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
            enrol(request, response, enrol.message());
            return;
        }
        if (result instanceof TwoFactorAuthorizationManager.StepUpRequired) {
            commence(request, response, denied);
            return;
        }
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        if (manager.challengeNeeded(authentication)) {
            commence(request, response, denied);
            return;
        }
        if (mentionsTotp(result) && TwoFactorAuthorizationManager.signedIn(authentication)
                && TwoFactorAuthorities.factor(authentication, TwoFactorAuthorities.FACTOR_TOTP).isEmpty()) {
            // The rule asks for the factor, and this user has no second factor to present: set one up.
            enrol(request, response, SET_UP_MESSAGE);
            return;
        }
        delegate.handle(request, response, denied);
    }

    private void commence(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        entryPoint.commence(request, response,
                new InsufficientAuthenticationException("Missing authority " + TwoFactorAuthorities.FACTOR_TOTP,
                        denied));
    }

    private void enrol(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        if (HttpAnswers.wantsJson(request)) {
            HttpAnswers.json(response, 403, "enrolment_required", message);
        } else {
            response.setHeader("Cache-Control", "no-store");
            redirects.sendRedirect(request, response, enrolmentPath);
        }
    }

    /**
     * Whether the denial asked for {@code FACTOR_TOTP}: a factor decision naming it, an authority decision listing
     * it, or a method-security expression that mentions it ({@code hasAuthority('FACTOR_TOTP')} answers a plain
     * boolean, so its text is all there is).
     */
    private static boolean mentionsTotp(AuthorizationResult result) {
        if (namesTotp(result)) {
            return true;
        }
        if (result instanceof AuthorityAuthorizationDecision authorities) {
            return authorities.getAuthorities().stream()
                    .anyMatch(authority -> TwoFactorAuthorities.FACTOR_TOTP.equals(authority.getAuthority()));
        }
        return result instanceof ExpressionAuthorizationDecision expression
                && expression.getExpression().getExpressionString().contains(TwoFactorAuthorities.FACTOR_TOTP);
    }

    private static boolean namesTotp(AuthorizationResult result) {
        return result instanceof FactorAuthorizationDecision factors && factors.getFactorErrors().stream()
                .anyMatch(error -> TwoFactorAuthorities.FACTOR_TOTP.equals(error.getRequiredFactor().getAuthority()));
    }
}
