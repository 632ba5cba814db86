package dev.twofactor.spring.security;

import dev.twofactor.AppPasswordGrant;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Authenticates HTTP Basic credentials {@code user:app password} with {@link TwoFactorService#verifyAppPassword}
 * (SPEC §10). The user name is the twofactor user id. Install it only where app passwords belong (the
 * {@link TwoFactorConfigurer} puts it on the API paths, in a Basic filter of its own): it accepts nothing else, so
 * an account password never passes here.
 *
 * <p>The result is an {@link AppPasswordAuthenticationToken} whose authorities are the granted permissions as
 * {@link SimpleGrantedAuthority} ("reports:read"), plus {@link TwoFactorAuthorities#FACTOR_APP_PASSWORD}. A full-access
 * app password carries the user's own authorities when a {@link UserDetailsService} is given, and none otherwise.
 * With a {@code UserDetailsService}, a disabled, locked or expired account is refused like a wrong app password's
 * owner would be by Spring Security ({@link AccountStatusUserDetailsChecker}), and an unknown user is a wrong app
 * password.
 *
 * <p>Failures: {@link TwoFactorCodeRejectedException} ("That app password did not match."). The service answers a
 * closed app-password backoff gate exactly like a wrong app password (so that nobody can tell which accounts have
 * app passwords); {@link TwoFactorRateLimitedException} and {@link TwoFactorLockedException} are mapped only should a
 * service ever report those outcomes. Thread-safe.
 */
public final class AppPasswordAuthenticationProvider implements AuthenticationProvider {

    private final TwoFactorService service;
    private final Clock clock;
    private final UserDetailsService users;
    private final AccountStatusUserDetailsChecker checker = new AccountStatusUserDetailsChecker();

    /**
     * @param service the service; its {@link TwoFactorService#clock() clock} stamps the factor authority
     * @param users where the principal and, for full access, the authorities come from; {@code null} for none
     */
    public AppPasswordAuthenticationProvider(TwoFactorService service, UserDetailsService users) {
        this.service = Objects.requireNonNull(service, "service");
        this.clock = service.clock();
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        String typed = credentials == null ? "" : credentials.toString();
        Outcome<AppPasswordGrant> outcome = service.verifyAppPassword(username, typed);
        if (!(outcome instanceof Outcome.Success<AppPasswordGrant> success)) {
            throw Outcomes.failure(outcome);
        }
        AppPasswordGrant grant = success.value();
        Object principal = username;
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (users != null) {
            UserDetails details;
            try {
                details = users.loadUserByUsername(username);
            } catch (UsernameNotFoundException gone) {
                throw new TwoFactorCodeRejectedException(Reason.WRONG_APP_PASSWORD);
            }
            checker.check(details);
            principal = details;
            if (grant.fullAccess()) {
                for (GrantedAuthority authority : details.getAuthorities()) {
                    if (!(authority instanceof FactorGrantedAuthority)) {
                        authorities.add(authority);
                    }
                }
            }
        }
        for (String permission : grant.permissions()) {
            authorities.add(new SimpleGrantedAuthority(permission));
        }
        authorities.add(FactorGrantedAuthority.withAuthority(TwoFactorAuthorities.FACTOR_APP_PASSWORD)
                .issuedAt(clock.instant()).build());
        return new AppPasswordAuthenticationToken(principal, username, grant, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
