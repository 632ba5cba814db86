package dev.twofactor.spring.security;

import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.RequirementFacts;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.authorization.RequiredFactorError;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The organisation policy and step-up as Spring Security authorization decisions, for the enforcement filter, for
 * request rules ({@code .access(twoFactor)}) and for method security:
 * <pre>{@code
 * @PreAuthorize("@twoFactor.stepUp(authentication)")      // the bean the Boot starter registers as "twoFactor"
 * public void deleteAccount() { ... }
 * }</pre>
 *
 * <p>{@link #authorize} (the policy, SPEC §6 and §8): a user who has two-factor authentication enabled needs the
 * {@link TwoFactorAuthorities#FACTOR_TOTP} factor (a {@link FactorAuthorizationDecision} with a missing-factor error,
 * which Spring Security's {@code DelegatingMissingAuthorityAccessDeniedHandler} sends to the challenge); a user the
 * policy requires to enrol, once any grace period is over, gets an {@link EnrolmentRequired} denial; everyone else,
 * anonymous requests and app-password requests are granted (this manager only adds to the host's own rules).
 *
 * <p>{@link #stepUp} (SPEC §9): granted while the {@code FACTOR_TOTP} or {@code FACTOR_PASSWORD} factor was issued
 * less than the service's step-up window ago, checked by {@link AllRequiredFactorsAuthorizationManager} with
 * {@link RequiredFactor#getValidDuration()} set to the window; otherwise a {@link StepUpRequired} decision naming
 * the expired (or missing) factor, which {@link TwoFactorAccessDeniedHandler} sends to the step-up screen.
 *
 * <p>What the service says about a user ({@link TwoFactorService#requirementFor}: two-factor authentication enabled,
 * the policy's demand and grace deadline) is read at most once per {@code requirementMaxAge} (default 10 s, at most
 * 10 minutes; zero reads on every request) for each HTTP session and authentication state, and kept in the session:
 * a signed-in session's requests in between cost no store statement. Once that bound has passed since the read, a
 * user enabling two-factor authentication elsewhere sends this session to the challenge, and a policy change
 * (tightened or relaxed) or a disable elsewhere applies; a grace period ends exactly on time (its deadline is compared
 * with each request's clock). A different principal or role, a new sign-in, a passed challenge or a step-up reads
 * again at once, and so does the next request after {@link TwoFactorFactors#requirementChanged}. A request without an
 * HTTP session (a stateless API with its own sign-in) reads every time and creates none; app-password requests need
 * no read. Thread-safe.
 */
public final class TwoFactorAuthorizationManager implements AuthorizationManager<Object> {

    private final TwoFactorService service;
    private final Function<Authentication, UserContext> users;
    private final SessionRequirements requirements;
    private final AllRequiredFactorsAuthorizationManager<Object> totpRequired;
    private final AllRequiredFactorsAuthorizationManager<Object> recentTotp;
    private final AllRequiredFactorsAuthorizationManager<Object> recentPassword;

    /** Default of {@code requirementMaxAge}: 10 seconds. */
    public static final Duration DEFAULT_REQUIREMENT_MAX_AGE = RequirementFacts.DEFAULT_MAX_AGE;

    /**
     * The manager with the default {@code requirementMaxAge} ({@link #DEFAULT_REQUIREMENT_MAX_AGE}).
     *
     * @param service the service; its step-up window is the factors' valid duration, and its
     *                {@link TwoFactorService#clock() clock} the one the factors' issue times are compared against
     * @param users what the service is told about a signed-in user (id and administrator role)
     */
    public TwoFactorAuthorizationManager(TwoFactorService service, Function<Authentication, UserContext> users) {
        this(service, users, DEFAULT_REQUIREMENT_MAX_AGE);
    }

    /**
     * @param service the service; its step-up window is the factors' valid duration, and its
     *                {@link TwoFactorService#clock() clock} the one the factors' issue times are compared against
     *                (and the one the bound is measured with)
     * @param users what the service is told about a signed-in user (id and administrator role)
     * @param requirementMaxAge how long a session's requests may rely on what was last read about its user (see the
     *                          class comment); zero reads on every request
     * @throws IllegalArgumentException if {@code requirementMaxAge} is negative or longer than 10 minutes
     */
    public TwoFactorAuthorizationManager(TwoFactorService service, Function<Authentication, UserContext> users,
            Duration requirementMaxAge) {
        this.service = Objects.requireNonNull(service, "service");
        this.users = Objects.requireNonNull(users, "users");
        this.requirements = new SessionRequirements(service, requirementMaxAge);
        Clock clock = service.clock();
        Duration window = service.stepUpWindow();
        this.totpRequired = AllRequiredFactorsAuthorizationManager.builder()
                .requireFactor(factor -> factor.authority(TwoFactorAuthorities.FACTOR_TOTP))
                .build();
        this.recentTotp = AllRequiredFactorsAuthorizationManager.builder()
                .requireFactor(factor -> factor.authority(TwoFactorAuthorities.FACTOR_TOTP).validDuration(window))
                .build();
        this.recentPassword = AllRequiredFactorsAuthorizationManager.builder()
                .requireFactor(factor -> factor.passwordAuthority().validDuration(window))
                .build();
        totpRequired.setClock(clock);
        recentTotp.setClock(clock);
        recentPassword.setClock(clock);
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, Object object) {
        HttpServletRequest request = object instanceof HttpServletRequest direct ? direct
                : object instanceof RequestAuthorizationContext context ? context.getRequest() : null;
        return check(authentication.get(), request);
    }

    /**
     * The policy decision for one authentication (see the class comment), for the request Spring's request context
     * holds, if any (its session keeps what was read).
     *
     * @param authentication the current authentication, or {@code null}
     * @return granted, a missing {@code FACTOR_TOTP} decision, or {@link EnrolmentRequired}
     */
    public AuthorizationResult check(Authentication authentication) {
        return check(authentication, null);
    }

    /**
     * The policy decision for one authentication and request (see the class comment).
     *
     * @param authentication the current authentication, or {@code null}
     * @param request the request whose HTTP session keeps what was read, or {@code null} for the one Spring's
     *                request context holds, if any
     * @return granted, a missing {@code FACTOR_TOTP} decision, or {@link EnrolmentRequired}
     */
    public AuthorizationResult check(Authentication authentication, HttpServletRequest request) {
        if (!signedIn(authentication) || authentication instanceof AppPasswordAuthenticationToken) {
            return new AuthorizationDecision(true);
        }
        Requirement requirement = requirementFor(authentication, request);
        if (requirement instanceof Requirement.Challenge) {
            return totpRequired.authorize(() -> authentication, authentication);
        }
        if (requirement instanceof Requirement.Enrol enrol && enrol.enforced()) {
            return new EnrolmentRequired(enrol.message());
        }
        return new AuthorizationDecision(true);
    }

    /**
     * The step-up decision for one authentication (see the class comment). App-password authentications are
     * never granted: sensitive actions need the user.
     *
     * @param authentication the current authentication, or {@code null}
     * @return granted, or {@link StepUpRequired}
     */
    public AuthorizationResult stepUp(Authentication authentication) {
        if (!signedIn(authentication) || authentication instanceof AppPasswordAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        FactorAuthorizationDecision totp = recentTotp.authorize(() -> authentication, authentication);
        if (totp.isGranted()) {
            return totp;
        }
        FactorAuthorizationDecision password = recentPassword.authorize(() -> authentication, authentication);
        if (password.isGranted()) {
            return password;
        }
        boolean enabled = requirementFor(authentication, null) instanceof Requirement.Challenge;
        return new StepUpRequired((enabled ? totp : password).getFactorErrors());
    }

    /**
     * @param authentication an authentication, or {@code null}
     * @return whether the user has two-factor authentication enabled and this authentication lacks
     *         {@link TwoFactorAuthorities#FACTOR_TOTP}: the challenge is what they need
     */
    public boolean challengeNeeded(Authentication authentication) {
        AuthorizationResult result = check(authentication);
        return result instanceof FactorAuthorizationDecision factors && !factors.isGranted();
    }

    /**
     * What the service says about a signed-in user, read at most once per {@link #requirementMaxAge()} for the
     * request's HTTP session (see the class comment).
     *
     * @param authentication a signed-in authentication
     * @param request the request whose HTTP session keeps what was read, or {@code null} for the one Spring's
     *                request context holds, if any
     * @return the requirement
     */
    public Requirement requirementFor(Authentication authentication, HttpServletRequest request) {
        return requirements.requirementFor(authentication, users.apply(authentication), request);
    }

    /**
     * @return how long a session's requests may rely on what was last read about its user; zero reads every time
     */
    public Duration requirementMaxAge() {
        return requirements.maxAge();
    }

    /**
     * @return the service's step-up window
     */
    public Duration stepUpWindow() {
        return service.stepUpWindow();
    }

    static boolean signedIn(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }

    /** Denied: the organisation policy requires the user to enrol first (SPEC §8). */
    public static final class EnrolmentRequired extends AuthorizationDecision {

        private static final long serialVersionUID = 1L;

        private final String message;

        /**
         * @param message {@link OrganisationPolicy#ENROLMENT_REQUIRED_MESSAGE}
         */
        public EnrolmentRequired(String message) {
            super(false);
            this.message = Objects.requireNonNull(message, "message");
        }

        /**
         * @return the text to show on the enrolment screen
         */
        public String message() {
            return message;
        }
    }

    /**
     * Denied: a sensitive action needs a fresh verification (SPEC §9); the errors name the expired or missing
     * factor ({@link TwoFactorAuthorities#FACTOR_TOTP} for a user with two-factor authentication enabled,
     * {@link FactorGrantedAuthority#PASSWORD_AUTHORITY} otherwise).
     */
    public static final class StepUpRequired extends FactorAuthorizationDecision {

        private static final long serialVersionUID = 1L;

        /**
         * @param errors the factor errors
         */
        public StepUpRequired(List<RequiredFactorError> errors) {
            super(errors);
        }

        @Override
        public boolean isGranted() {
            return false;
        }
    }
}
