package dev.twofactor.spring.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factor authorities twofactor issues, beside Spring Security's own ({@link FactorGrantedAuthority}).
 *
 * <p>{@link #FACTOR_TOTP} is issued as a {@link FactorGrantedAuthority} when an authenticator code or a recovery code
 * passes (the sign-in challenge, a step-up, or the code that confirmed an enrolment); its
 * {@link FactorGrantedAuthority#getIssuedAt() issuedAt} is the time of that verification, which step-up compares with
 * {@link org.springframework.security.authorization.RequiredFactor#getValidDuration()}. Require it like Spring
 * Security's factors:
 * <pre>{@code
 * .requestMatchers("/reports/**").access(AllRequiredFactorsAuthorizationManager.builder()
 *         .requireFactor(f -> f.passwordAuthority())
 *         .requireFactor(f -> f.authority(TwoFactorAuthorities.FACTOR_TOTP))
 *         .build())
 * }</pre>
 *
 * <p>{@link #FACTOR_APP_PASSWORD} marks an HTTP Basic authentication with an app password (API paths only).
 */
public final class TwoFactorAuthorities {

    /** The authority of a passed authenticator code or recovery code: {@value}. */
    public static final String FACTOR_TOTP = "FACTOR_TOTP";

    /** The authority of an app-password authentication: {@value}. */
    public static final String FACTOR_APP_PASSWORD = "FACTOR_APP_PASSWORD";

    private TwoFactorAuthorities() {
    }

    /**
     * @param issuedAt when the code passed
     * @return the {@link #FACTOR_TOTP} factor authority
     */
    public static FactorGrantedAuthority totp(Instant issuedAt) {
        return FactorGrantedAuthority.withAuthority(FACTOR_TOTP).issuedAt(Objects.requireNonNull(issuedAt)).build();
    }

    /**
     * @param authentication an authentication, or {@code null}
     * @param authority a factor authority, e.g. {@link #FACTOR_TOTP}
     * @return the factor authority it holds, if any
     */
    public static Optional<FactorGrantedAuthority> factor(Authentication authentication, String authority) {
        if (authentication == null) {
            return Optional.empty();
        }
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            if (granted instanceof FactorGrantedAuthority factor && authority.equals(factor.getAuthority())) {
                return Optional.of(factor);
            }
        }
        return Optional.empty();
    }
}
