package dev.twofactor.spring.security;

import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
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
 * <p>Each call asks the service once ({@link TwoFactorService#requirementFor}), so a disable, an enrolment or a policy
 * change applies on the next request. Thread-safe.
 */
public final class TwoFactorAuthorizationManager implements AuthorizationManager<Object> {

    private final TwoFactorService service;
    private final Function<Authentication, UserContext> users;
    private final AllRequiredFactorsAuthorizationManager<Object> totpRequired;
    private final AllRequiredFactorsAuthorizationManager<Object> recentTotp;
    private final AllRequiredFactorsAuthorizationManager<Object> recentPassword;

    /**
     * @param service the service; its step-up window is the factors' valid duration, and its
     *                {@link TwoFactorService#clock() clock} the one the factors' issue times are compared against
     * @param users what the service is told about a signed-in user (id and administrator role)
     */
    public TwoFactorAuthorizationManager(TwoFactorService service, Function<Authentication, UserContext> users) {
        this.service = Objects.requireNonNull(service, "service");
        this.users = Objects.requireNonNull(users, "users");
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
        return check(authentication.get());
    }

    /**
     * The policy decision for one authentication (see the class comment).
     *
     * @param authentication the current authentication, or {@code null}
     * @return granted, a missing {@code FACTOR_TOTP} decision, or {@link EnrolmentRequired}
     */
    public AuthorizationResult check(Authentication authentication) {
        if (!signedIn(authentication) || authentication instanceof AppPasswordAuthenticationToken) {
            return new AuthorizationDecision(true);
        }
        Requirement requirement = service.requirementFor(users.apply(authentication));
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
        boolean enabled = service.requirementFor(users.apply(authentication)) instanceof Requirement.Challenge;
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
