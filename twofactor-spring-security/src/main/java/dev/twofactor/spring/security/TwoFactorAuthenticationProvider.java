package dev.twofactor.spring.security;

import dev.twofactor.CodeAccepted;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spring.security.TwoFactorCodeAuthenticationToken.Kind;
import dev.twofactor.spring.security.TwoFactorCodeAuthenticationToken.Purpose;
import java.time.Clock;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * Checks a {@link TwoFactorCodeAuthenticationToken} with the {@link TwoFactorService}: the sign-in challenge
 * ({@link TwoFactorService#verifyCode}, {@link TwoFactorService#redeemRecoveryCode}) or a step-up
 * ({@link TwoFactorService#stepUpWithCode}, {@link TwoFactorService#stepUpWithPassword}, or a recovery code). Every
 * check counts toward the user's backoff in the service.
 *
 * <p>On success the result carries one {@link FactorGrantedAuthority} issued at the clock's now:
 * {@link TwoFactorAuthorities#FACTOR_TOTP} for an authenticator or recovery code, {@code FACTOR_PASSWORD} for a
 * password step-up. Failures are {@link TwoFactorCodeRejectedException} (the reason's text),
 * {@link TwoFactorRateLimitedException} (backoff, retry-after) and {@link TwoFactorLockedException}.
 *
 * <p>A redeemed recovery code's result ({@link RecoveryCodeAccepted}: codes left, a replacement set under a
 * rotate-on-use policy) is the result token's {@link Authentication#getDetails() details}, and so is a sign-in
 * code's {@link CodeAccepted} (its time step and drift): the proof {@link dev.twofactor.TrustedDevices#remember}
 * asks for. Thread-safe.
 */
public final class TwoFactorAuthenticationProvider implements AuthenticationProvider {

    private final TwoFactorService service;
    private final Clock clock;

    /**
     * @param service the service; its {@link TwoFactorService#clock() clock} stamps the factor authorities
     */
    public TwoFactorAuthenticationProvider(TwoFactorService service) {
        this.service = Objects.requireNonNull(service, "service");
        this.clock = service.clock();
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        TwoFactorCodeAuthenticationToken request = (TwoFactorCodeAuthenticationToken) authentication;
        String userId = request.getName();
        Object credentials = request.getCredentials();
        String input = credentials == null ? "" : credentials.toString();
        Outcome<?> outcome;
        Object details = null;
        if (request.kind() == Kind.RECOVERY_CODE) {
            Outcome<RecoveryCodeAccepted> redeemed = service.redeemRecoveryCode(userId, input);
            if (redeemed instanceof Outcome.Success<RecoveryCodeAccepted> success) {
                details = success.value();
            }
            outcome = redeemed;
        } else if (request.kind() == Kind.PASSWORD) {
            if (request.purpose() != Purpose.STEP_UP) {
                throw new IllegalArgumentException("A password is a step-up only");
            }
            outcome = service.stepUpWithPassword(userId, input.toCharArray());
        } else if (request.purpose() == Purpose.STEP_UP) {
            outcome = service.stepUpWithCode(userId, input);
        } else {
            Outcome<CodeAccepted> verified = service.verifyCode(userId, input);
            if (verified instanceof Outcome.Success<CodeAccepted> success) {
                details = success.value();
            }
            outcome = verified;
        }
        if (!outcome.succeeded()) {
            throw Outcomes.failure(outcome);
        }
        GrantedAuthority factor = FactorGrantedAuthority
                .withAuthority(request.kind() == Kind.PASSWORD ? FactorGrantedAuthority.PASSWORD_AUTHORITY
                        : TwoFactorAuthorities.FACTOR_TOTP)
                .issuedAt(clock.instant())
                .build();
        TwoFactorCodeAuthenticationToken result = TwoFactorCodeAuthenticationToken.authenticated(request, factor);
        result.setDetails(details);
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return TwoFactorCodeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
