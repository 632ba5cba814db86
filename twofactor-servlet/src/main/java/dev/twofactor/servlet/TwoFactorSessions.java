package dev.twofactor.servlet;

import dev.twofactor.AppPasswordGrant;
import dev.twofactor.Reason;
import dev.twofactor.Requirement;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Read-only answers about the current request and session, for the host's pages and handlers: who is signed in (only
 * once the challenge passed), the app-password grant of an HTTP Basic request, the organisation policy's enrolment
 * requirement, and safe return paths. All methods are static, thread-safe and never create a session.
 */
public final class TwoFactorSessions {

    /**
     * Request attribute holding the {@link AppPasswordGrant} of a request the filter authenticated with an app
     * password (HTTP Basic); read it with {@link #appPasswordGrant}.
     */
    public static final String APP_PASSWORD_GRANT_ATTRIBUTE = "dev.twofactor.servlet.appPasswordGrant";

    /**
     * Request attribute holding the {@link Requirement.Enrol} the filter found for the signed-in user: during a grace
     * period a reminder on every page, after it the reason the user was sent to the enrolment screen (its
     * {@link Requirement.Enrol#message()} is {@link dev.twofactor.OrganisationPolicy#ENROLMENT_REQUIRED_MESSAGE});
     * read it with {@link #enrolmentRequirement}.
     */
    public static final String ENROLMENT_REQUIREMENT_ATTRIBUTE = "dev.twofactor.servlet.enrolmentRequirement";

    /** The query parameter by which the filter's redirects name an error ({@link ChallengeResult#error()}). */
    public static final String ERROR_PARAMETER = "error";

    private static final int MAX_RETURN_PATH_LENGTH = 2048;

    private TwoFactorSessions() {
    }

    /**
     * The host's answer to "who is signed in": the user whose sign-in is complete in this session, that is whose
     * password was accepted and who then passed the challenge (or who has no second factor to pass). Empty while
     * the session is half-open, and on a request the filter authenticated with an app password (whose owner is
     * {@code getRemoteUser()}, see {@link #appPasswordGrant}), whatever session came along.
     *
     * @param request the request
     * @return the signed-in user's id, if any
     */
    public static Optional<String> signedInUser(HttpServletRequest request) {
        SessionState state = sessionState(request);
        return state != null && state.signedIn() ? Optional.of(state.userId()) : Optional.empty();
    }

    /**
     * @param request the request
     * @return whether the signed-in user holds an administrator role, as the host reported at sign-in
     */
    public static boolean signedInAdministrator(HttpServletRequest request) {
        SessionState state = sessionState(request);
        return state != null && state.signedIn() && state.administrator();
    }

    /**
     * For the challenge screen ("Signing in as ..."): the user whose password was accepted and who still has to
     * pass the challenge.
     *
     * @param request the request
     * @return the half-open user's id, if the session is half-open
     */
    public static Optional<String> challengeUser(HttpServletRequest request) {
        SessionState state = sessionState(request);
        return state != null && state.halfOpen() ? Optional.of(state.userId()) : Optional.empty();
    }

    /**
     * @param request the request
     * @return when the signed-in user last proved their password or second factor in this session (the start of the
     *         step-up window), if signed in
     */
    public static Optional<Instant> lastVerifiedAt(HttpServletRequest request) {
        SessionState state = sessionState(request);
        return state != null && state.signedIn() ? Optional.ofNullable(state.verifiedAt()) : Optional.empty();
    }

    /**
     * The session's sign-in state, unless an app password authenticated this request: such a request is the app
     * password owner's alone, even when a session cookie (perhaps of another user) came along.
     */
    private static SessionState sessionState(HttpServletRequest request) {
        return request.getAttribute(APP_PASSWORD_GRANT_ATTRIBUTE) instanceof AppPasswordGrant
                ? null : SessionState.of(request);
    }

    /**
     * @param request the request
     * @return what the app password of this request grants, if the filter authenticated it with one
     */
    public static Optional<AppPasswordGrant> appPasswordGrant(HttpServletRequest request) {
        return request.getAttribute(APP_PASSWORD_GRANT_ATTRIBUTE) instanceof AppPasswordGrant grant
                ? Optional.of(grant) : Optional.empty();
    }

    /**
     * @param request the request
     * @return the organisation policy's requirement to enrol, if it applies to the signed-in user: enforced (the
     *         filter keeps them on the enrolment screen) or a grace-period reminder
     */
    public static Optional<Requirement.Enrol> enrolmentRequirement(HttpServletRequest request) {
        return request.getAttribute(ENROLMENT_REQUIREMENT_ATTRIBUTE) instanceof Requirement.Enrol enrol
                ? Optional.of(enrol) : Optional.empty();
    }

    /**
     * The text of the error named by the {@value #ERROR_PARAMETER} query parameter of a redirect from the filter
     * (a wrong code on the challenge screen, an expired challenge on the sign-in screen). Only known codes map to a
     * text, so the page never reflects request input.
     *
     * @param request the request
     * @return the message to show, if the request names a known error
     */
    public static Optional<String> errorMessage(HttpServletRequest request) {
        String code = request.getParameter(ERROR_PARAMETER);
        if (code == null || code.length() > 40) {
            return Optional.empty();
        }
        switch (code) {
            case "locked":
                return Optional.of(new ChallengeResult.Locked().message());
            case "challenge_expired":
                return Optional.of(new ChallengeResult.Expired().message());
            case "no_challenge":
                return Optional.of(new ChallengeResult.NotPending().message());
            default:
                for (Reason reason : Reason.values()) {
                    if (reason.name().toLowerCase(Locale.ROOT).equals(code)) {
                        return Optional.of(reason.message());
                    }
                }
                return Optional.empty();
        }
    }

    /**
     * Validates a return path taken from a request (a {@code returnTo} parameter) so a redirect to it stays inside
     * the application: it must be a path starting with a single {@code /} (not {@code //} or {@code /\}, which
     * browsers read as another host), without scheme or authority, without backslash, whitespace or control
     * characters, at most 2048 characters. Prefix the context path when redirecting.
     *
     * @param candidate a path within the application, possibly with a query, or {@code null}
     * @return the same path if it is safe, otherwise empty
     */
    public static Optional<String> safeReturnPath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_RETURN_PATH_LENGTH
                || candidate.charAt(0) != '/') {
            return Optional.empty();
        }
        if (candidate.length() > 1 && (candidate.charAt(1) == '/' || candidate.charAt(1) == '\\')) {
            return Optional.empty();
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        try {
            URI uri = new URI(candidate);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/")) {
                return Optional.empty();
            }
        } catch (URISyntaxException notAUri) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }
}
