package dev.twofactor.servlet;

import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells the filter which user passed the host's password check in this request's session, and what the host knows
 * of them ({@link UserContext}: administrator role, when the organisation policy started to apply to them).
 *
 * <p>With the default, {@link #SIGN_IN_HELPER}, the host reports each password sign-in by calling
 * {@link TwoFactorSignIn#passwordAccepted}, and nothing else is needed. A host whose authentication lives elsewhere
 * (container security, a framework) supplies its own: the filter then starts the second step by itself the first
 * time it sees a new password-authenticated user in a session, and forgets its state when the host stops reporting
 * the user (signed out). Either way the host must read "who is signed in" from
 * {@link TwoFactorSessions#signedInUser} or from the filter's {@code getRemoteUser()}, which stay empty until the
 * challenge passes.
 *
 * <p><b>Concurrency:</b> called on every request that is not allowlisted, from many threads at once: implementations
 * must be thread-safe and cheap (session or request attributes, no remote call), must not read the request body and
 * must not create a session.
 */
@FunctionalInterface
public interface CurrentUser {

    /** The user reported by {@link TwoFactorSignIn#passwordAccepted}, as stored in the session (the default). */
    CurrentUser SIGN_IN_HELPER = request -> {
        SessionState state = SessionState.of(request);
        return state == null ? null : state.userContext();
    };

    /**
     * @param request the request (not yet wrapped by the filter)
     * @return the user whose password the host accepted in this session, or {@code null} if nobody signed in
     */
    UserContext passwordAuthenticated(HttpServletRequest request);
}
