package dev.twofactor.spring.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A second-factor verification for the user who is already signed in with their password: before
 * {@link TwoFactorAuthenticationProvider} checks it, it carries the code as typed; afterwards only the factor authority
 * it earned ({@link TwoFactorAuthorities#FACTOR_TOTP}, or Spring Security's {@code FACTOR_PASSWORD} for a password
 * step-up).
 *
 * <p>It declares {@link #toBuilder()}, so that Spring Security's multi-factor merge
 * ({@code AbstractAuthenticationProcessingFilter#setMfaEnabled}) adds the authorities of the existing authentication
 * when, and only when, both name the same principal. {@link #toString()} and {@link #getCredentials()} after
 * {@link #eraseCredentials()} never show the code.
 */
public final class TwoFactorCodeAuthenticationToken extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /** What was typed. */
    public enum Kind {
        /** A code from the authenticator app. */
        CODE,
        /** A recovery code. */
        RECOVERY_CODE,
        /** The account password (step-up only). */
        PASSWORD
    }

    /** What the verification is for. */
    public enum Purpose {
        /** The sign-in challenge after the password. */
        SIGN_IN,
        /** A step-up before a sensitive action. */
        STEP_UP
    }

    private final String name;
    /** The signed-in user's principal (a serializable {@code UserDetails} in most hosts: sessions may be stored). */
    private final Object principal;
    private final Kind kind;
    private final Purpose purpose;
    private String input;

    private TwoFactorCodeAuthenticationToken(String name, Object principal, Kind kind, Purpose purpose, String input,
            Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
        super(authorities);
        this.name = Objects.requireNonNull(name, "name");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.input = input;
        super.setAuthenticated(authenticated);
    }

    private TwoFactorCodeAuthenticationToken(Builder builder) {
        super(builder);
        this.name = builder.source.name;
        this.principal = builder.principal;
        this.kind = builder.source.kind;
        this.purpose = builder.source.purpose;
        this.input = null;
    }

    /**
     * @param name the signed-in user's name ({@link org.springframework.security.core.Authentication#getName()})
     * @param principal the signed-in user's principal, kept in the result
     * @param kind what was typed
     * @param purpose what for
     * @param input the code or password as typed
     * @return an unauthenticated request for {@link TwoFactorAuthenticationProvider}
     */
    public static TwoFactorCodeAuthenticationToken unauthenticated(String name, Object principal, Kind kind,
            Purpose purpose, String input) {
        return new TwoFactorCodeAuthenticationToken(name, principal, kind, purpose, Objects.requireNonNull(input),
                List.of(), false);
    }

    /**
     * @param request the verified request
     * @param factor the factor authority it earned
     * @return the authenticated result, without the input
     */
    public static TwoFactorCodeAuthenticationToken authenticated(TwoFactorCodeAuthenticationToken request,
            GrantedAuthority factor) {
        return new TwoFactorCodeAuthenticationToken(request.name, request.principal, request.kind, request.purpose,
                null, List.of(factor), true);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    /**
     * @return the input as typed before verification, {@code null} afterwards
     */
    @Override
    public Object getCredentials() {
        return input;
    }

    /**
     * @return what was typed
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return what the verification is for
     */
    public Purpose purpose() {
        return purpose;
    }

    @Override
    public void eraseCredentials() {
        input = null;
        super.eraseCredentials();
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("Only TwoFactorAuthenticationProvider authenticates this token");
        }
        super.setAuthenticated(false);
    }

    /**
     * @return a builder, so that Spring Security's multi-factor merge recognises this token
     */
    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TwoFactorCodeAuthenticationToken token && super.equals(other)
                && kind == token.kind && purpose == token.purpose && name.equals(token.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), name, kind, purpose);
    }

    @Override
    public String toString() {
        return "TwoFactorCodeAuthenticationToken[name=" + name + ", kind=" + kind + ", purpose=" + purpose
                + ", authenticated=" + isAuthenticated() + ", authorities=" + getAuthorities() + "]";
    }

    /** Copies the token with changed authorities (the multi-factor merge), principal or details. */
    public static final class Builder extends AbstractAuthenticationBuilder<Builder> {

        private final TwoFactorCodeAuthenticationToken source;
        private Object principal;

        private Builder(TwoFactorCodeAuthenticationToken source) {
            super(source);
            this.source = source;
            this.principal = source.principal;
        }

        @Override
        public Builder principal(Object principal) {
            this.principal = Objects.requireNonNull(principal, "principal");
            return this;
        }

        @Override
        public TwoFactorCodeAuthenticationToken build() {
            return new TwoFactorCodeAuthenticationToken(this);
        }
    }
}
