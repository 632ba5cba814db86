package dev.twofactor.spring.security;

import dev.twofactor.AppPasswordGrant;
import java.util.Collection;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An HTTP Basic authentication with an app password (SPEC §10), made by {@link AppPasswordAuthenticationProvider}
 * on API paths only. Its authorities are the app password's permissions (or, for full access, the user's own
 * authorities when a {@code UserDetailsService} is known) plus {@link TwoFactorAuthorities#FACTOR_APP_PASSWORD}.
 * It holds no credentials.
 */
public final class AppPasswordAuthenticationToken extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final transient Object principal;
    private final String name;
    private final transient AppPasswordGrant grant;

    /**
     * @param principal the user (a {@code UserDetails}, or the user name)
     * @param name the user name
     * @param grant what the app password grants
     * @param authorities the authorities
     */
    public AppPasswordAuthenticationToken(Object principal, String name, AppPasswordGrant grant,
            Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = Objects.requireNonNull(principal, "principal");
        this.name = Objects.requireNonNull(name, "name");
        this.grant = Objects.requireNonNull(grant, "grant");
        super.setAuthenticated(true);
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * @return always {@code null}
     */
    @Override
    public Object getCredentials() {
        return null;
    }

    /**
     * @return the app password's grant (id, name, permissions)
     */
    public AppPasswordGrant grant() {
        return grant;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("Only AppPasswordAuthenticationProvider authenticates this token");
        }
        super.setAuthenticated(false);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AppPasswordAuthenticationToken token && super.equals(other)
                && name.equals(token.name) && grant.appPasswordId().equals(token.grant.appPasswordId());
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), name, grant.appPasswordId());
    }

    @Override
    public String toString() {
        return "AppPasswordAuthenticationToken[name=" + name + ", appPassword=" + grant.name() + ", authorities="
                + getAuthorities() + "]";
    }
}
