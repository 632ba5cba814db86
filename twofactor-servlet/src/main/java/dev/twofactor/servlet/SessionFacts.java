package dev.twofactor.servlet;

import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.RequirementFacts;
import dev.twofactor.internal.web.SessionAttributeHolder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * What the filter last read about the user of a signed-in session that has not proved a second factor in it, kept in
 * the session so that the session's page views within {@link TwoFactorWebConfig#requirementMaxAge()} cost no store
 * statement. The facts and their rules (one user, one session state, the bound, a grace deadline on each request's
 * clock) are core's {@link RequirementFacts}, shared with the Spring Security integration; this class keeps them in
 * the servlet session, read for the session's {@link SessionState} (any change of it, such as a disable, a step-up or
 * {@link TwoFactorSignIn#refresh}, reads again).
 *
 * <p>Immutable and {@link Serializable} (a separate session attribute, so persistent sessions keep it too). It holds
 * no secret, code or password. Its {@link #toString()} names only the kind and the instant.
 */
final class SessionFacts implements Serializable {

    /** The session attribute holding the facts. */
    static final String ATTRIBUTE = "dev.twofactor.servlet.facts";
    /** Default of {@link TwoFactorWebConfig#requirementMaxAge()}. */
    static final Duration DEFAULT_MAX_AGE = RequirementFacts.DEFAULT_MAX_AGE;
    /** The longest bound a configuration may set. */
    static final Duration MAX_MAX_AGE = RequirementFacts.MAX_MAX_AGE;

    @Serial
    private static final long serialVersionUID = 2L;

    private final RequirementFacts facts;

    private SessionFacts(RequirementFacts facts) {
        this.facts = facts;
    }

    /**
     * @param maxAge the bound to validate
     * @return it
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_MAX_AGE}
     */
    static Duration checkMaxAge(Duration maxAge) {
        return RequirementFacts.checkMaxAge(maxAge);
    }

    /**
     * What {@code user} must do now: the session's facts if they are young enough and were read for {@code state}
     * and {@code user}, otherwise {@link TwoFactorService#requirementFor} (remembered for the next requests).
     *
     * @param now the service's clock at the start of the request, before any read
     */
    static Requirement requirement(HttpServletRequest request, TwoFactorService service, Duration maxAge,
                                   SessionState state, UserContext user, Instant now) {
        return RequirementFacts.requirement(holder(request.getSession(false)), service, maxAge, state, user, now);
    }

    /**
     * Keeps {@code requirement}, read at or after {@code readAt}, for {@code state}; nothing with a zero bound or
     * without a session.
     */
    static void remember(HttpSession session, SessionState state, UserContext user, Requirement requirement,
                         Instant readAt, Duration maxAge) {
        RequirementFacts.remember(holder(session), state, user, requirement, readAt, maxAge);
    }

    private static RequirementFacts.Holder holder(HttpSession session) {
        return session == null ? null : SessionAttributeHolder.of(
                () -> session.getAttribute(ATTRIBUTE) instanceof SessionFacts kept ? kept.facts : null,
                facts -> session.setAttribute(ATTRIBUTE, new SessionFacts(facts)));
    }

    @Override
    public String toString() {
        return "SessionFacts[" + facts.describe() + "]";
    }
}
