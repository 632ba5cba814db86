package dev.twofactor.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request as the filter hands it to the application: {@link #getRemoteUser()} and {@link #getUserPrincipal()}
 * name the signed-in user (or the owner of the app password that authenticated it), and nobody while the session is
 * half-open, even if the host's own authentication already knows the user.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** The {@link #getAuthType()} of requests authenticated by a twofactor session. */
    static final String SESSION_AUTH_TYPE = "TWO_FACTOR";

    private final Principal principal;
    private final String authType;

    private AuthenticatedRequest(HttpServletRequest request, String userId, String authType) {
        super(request);
        this.principal = userId == null ? null : new UserPrincipal(userId);
        this.authType = authType;
    }

    /** The signed-in user, from the session. */
    static HttpServletRequest signedIn(HttpServletRequest request, String userId) {
        return new AuthenticatedRequest(request, userId, SESSION_AUTH_TYPE);
    }

    /** The owner of the app password of an HTTP Basic request. */
    static HttpServletRequest appPassword(HttpServletRequest request, String userId) {
        return new AuthenticatedRequest(request, userId, HttpServletRequest.BASIC_AUTH);
    }

    /** A half-open session: nobody is signed in yet. */
    static HttpServletRequest nobody(HttpServletRequest request) {
        return new AuthenticatedRequest(request, null, null);
    }

    @Override
    public String getRemoteUser() {
        return principal == null ? null : principal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getAuthType() {
        return principal == null ? null : authType;
    }

    @Override
    public boolean isUserInRole(String role) {
        // Roles are the host's: keep the container's answer for the signed-in user, none before the challenge.
        return principal != null && super.isUserInRole(role);
    }

    private record UserPrincipal(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }
}
