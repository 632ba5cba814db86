package dev.twofactor.spring.security;

import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.internal.web.DeviceCookieRules;
import dev.twofactor.spring.security.TwoFactorCodeAuthenticationToken.Kind;
import dev.twofactor.spring.security.TwoFactorCodeAuthenticationToken.Purpose;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The sign-in challenge and the step-up as a Spring Security authentication filter, with multi-factor merging on
 * ({@link #setMfaEnabled(boolean)}): a {@code POST} to the challenge path with {@value #CODE_PARAMETER} or
 * {@value #RECOVERY_CODE_PARAMETER}, or to the step-up path with one of those or {@value #PASSWORD_PARAMETER}, is
 * checked by the {@link AuthenticationManager} (a {@link TwoFactorAuthenticationProvider}) for the user of the
 * current authentication, and the factor it earns is merged into that authentication: the password factor and the
 * user's roles stay, {@link TwoFactorAuthorities#FACTOR_TOTP} is added (or renewed) with a fresh issue time. The
 * merge is Spring Security's, which joins the two only when they name the same principal; this filter only ever
 * checks a code for the current principal.
 *
 * <p>Without a signed-in user, or for a sign-in challenge answered more than the challenge time-to-live after the
 * password factor was issued, the answer is {@link TwoFactorChallengeExpiredException}. A code or recovery code sent
 * to the step-up path by a session that has not passed the challenge is checked as a challenge answer; a password
 * there only renews {@code FACTOR_PASSWORD}, which never replaces the challenge. A redeemed recovery code's
 * {@link RecoveryCodeAccepted} (codes left, a replacement set) is put in the session under
 * {@link #RECOVERY_CODE_ACCEPTED_ATTRIBUTE} for the next screen to show once and remove.
 *
 * <p>With trusted devices on ({@link TwoFactorConfigurer#trustedDevices(boolean)}), a sign-in challenge passed with
 * {@value #REMEMBER_DEVICE_PARAMETER} set to {@code on} or {@code true} (what a checkbox sends) also remembers the
 * device ({@link dev.twofactor.TrustedDevices#remember}, with the request's {@code User-Agent}) and sets the device
 * cookie; the passed code is the proof the service asks for. A step-up never remembers a device.
 */
public final class TwoFactorAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

    /** The authenticator-code field: {@value}. */
    public static final String CODE_PARAMETER = "code";
    /** The recovery-code field: {@value}. */
    public static final String RECOVERY_CODE_PARAMETER = "recoveryCode";
    /** The password field of a step-up: {@value}. */
    public static final String PASSWORD_PARAMETER = "password";
    /** The "Remember this device" checkbox of the challenge, the servlet filter's field: {@value}. */
    public static final String REMEMBER_DEVICE_PARAMETER = DeviceCookieRules.REMEMBER_PARAMETER;
    /** Session attribute with the {@link RecoveryCodeAccepted} of the last redeemed recovery code. */
    public static final String RECOVERY_CODE_ACCEPTED_ATTRIBUTE =
            TwoFactorAuthenticationFilter.class.getName() + ".RECOVERY_CODE_ACCEPTED";
    /** Session attribute with the {@link Instant} of the last step-up (for a zero step-up window). */
    static final String STEP_UP_AT_ATTRIBUTE = TwoFactorAuthenticationFilter.class.getName() + ".STEP_UP_AT";

    private final RequestMatcher stepUp;
    private final Clock clock;
    private final Duration challengeTtl;
    private DeviceCookie deviceCookie;

    /**
     * @param challenge the challenge submissions ({@code POST /login/two-factor})
     * @param stepUp the step-up submissions
     * @param authenticationManager checks the codes (a {@link TwoFactorAuthenticationProvider})
     * @param clock the service's clock ({@link dev.twofactor.TwoFactorService#clock()})
     * @param challengeTtl how long after the password factor the challenge can be answered
     */
    public TwoFactorAuthenticationFilter(RequestMatcher challenge, RequestMatcher stepUp,
            AuthenticationManager authenticationManager, Clock clock, Duration challengeTtl) {
        super(new OrRequestMatcher(challenge, stepUp), authenticationManager);
        this.stepUp = stepUp;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.challengeTtl = Objects.requireNonNull(challengeTtl, "challengeTtl");
        setMfaEnabled(true);
    }

    /** Turns "remember this device" on for passed sign-in challenges ({@link TwoFactorConfigurer}). */
    void setDeviceCookie(DeviceCookie cookie) {
        this.deviceCookie = cookie;
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
            throws AuthenticationException {
        Authentication current = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        if (!TwoFactorAuthorizationManager.signedIn(current) || current instanceof AppPasswordAuthenticationToken) {
            throw new TwoFactorChallengeExpiredException();
        }
        boolean passedChallenge = TwoFactorAuthorities.factor(current, TwoFactorAuthorities.FACTOR_TOTP).isPresent();
        Purpose purpose = stepUp.matches(request) ? Purpose.STEP_UP : Purpose.SIGN_IN;
        String password = request.getParameter(PASSWORD_PARAMETER);
        boolean byPassword = password != null && !password.isEmpty();
        if (purpose == Purpose.STEP_UP && !passedChallenge && !byPassword) {
            // A code sent to the step-up screen by a session that has not passed the challenge is a challenge
            // answer: the same check, with the challenge's expiry.
            purpose = Purpose.SIGN_IN;
        }
        if (purpose == Purpose.SIGN_IN && challengeExpired(current, clock, challengeTtl)) {
            throw new TwoFactorChallengeExpiredException();
        }
        Kind kind;
        String input;
        String recovery = request.getParameter(RECOVERY_CODE_PARAMETER);
        if (recovery != null && !recovery.isBlank()) {
            kind = Kind.RECOVERY_CODE;
            input = recovery;
        } else if (purpose == Purpose.STEP_UP && byPassword) {
            kind = Kind.PASSWORD;
            input = password;
        } else {
            String code = request.getParameter(CODE_PARAMETER);
            kind = Kind.CODE;
            input = code == null ? "" : code;
        }
        TwoFactorCodeAuthenticationToken token = TwoFactorCodeAuthenticationToken.unauthenticated(current.getName(),
                current.getPrincipal(), kind, purpose, input);
        token.setDetails(authenticationDetailsSource.buildDetails(request));
        Authentication result = getAuthenticationManager().authenticate(token);
        if (!current.getName().equals(result.getName())) {
            // Never grant a factor earned by someone else; the provider checks the current user only.
            throw new BadCredentialsException("The verification does not belong to the signed-in user");
        }
        if (result.getDetails() instanceof RecoveryCodeAccepted accepted) {
            request.getSession().setAttribute(RECOVERY_CODE_ACCEPTED_ATTRIBUTE, accepted);
        }
        if (purpose == Purpose.SIGN_IN && deviceCookie != null
                && DeviceCookieRules.asked(request.getParameter(REMEMBER_DEVICE_PARAMETER))) {
            deviceCookie.remember(request, response, current.getName(), result.getDetails());
        }
        if (purpose == Purpose.STEP_UP) {
            request.getSession().setAttribute(STEP_UP_AT_ATTRIBUTE, clock.instant());
        }
        // The merged authentication keeps the sign-in's details, never the recovery codes.
        return result.toBuilder().details(current.getDetails()).build();
    }

    /**
     * Whether the sign-in challenge of this authentication can no longer be answered: it lacks {@code FACTOR_TOTP}
     * and its password factor was issued {@code challengeTtl} or longer ago (the trusted-device filter asks too).
     */
    static boolean challengeExpired(Authentication current, Clock clock, Duration challengeTtl) {
        if (TwoFactorAuthorities.factor(current, TwoFactorAuthorities.FACTOR_TOTP).isPresent()) {
            return false;
        }
        Optional<FactorGrantedAuthority> password =
                TwoFactorAuthorities.factor(current, FactorGrantedAuthority.PASSWORD_AUTHORITY);
        return password.isPresent() && !clock.instant().isBefore(password.get().getIssuedAt().plus(challengeTtl));
    }
}
