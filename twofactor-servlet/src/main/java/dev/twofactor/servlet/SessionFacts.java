package dev.twofactor.servlet;

import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the filter last read about the user of a signed-in session that has not proved a second factor in it (the
 * answer of {@link TwoFactorService#requirementFor}: two-factor authentication enabled, the organisation policy's
 * demand and its grace deadline), with the instant it was read, so that the session's page views within
 * {@link TwoFactorWebConfig#requirementMaxAge()} cost no store statement.
 *
 * <p>The facts belong to one session state and one user: they count only while the session's state is equal to the
 * one they were read for (any change of it, such as a disable, a step-up or {@link TwoFactorSignIn#refresh}, reads
 * again) and the request's user is the same, with the same role and policy start. They are too old once the service's
 * clock ({@link TwoFactorService#clock()}) is at or past the read instant plus the bound, or before the read instant
 * (a clock set back). Each session keeps its own read instant, so sessions re-read at their own times rather than all
 * at once. A grace deadline is applied against the clock of each request, so a grace period ends on time.
 *
 * <p>Immutable and {@link Serializable} (a separate session attribute, so persistent sessions keep it too). It holds
 * no secret, code or password: the kind of requirement, its message and deadline, the instant of the read, and the
 * session state and user it was read for. Its {@link #toString()} names only the kind and the instant.
 */
final class SessionFacts implements Serializable {

    /** The session attribute holding the facts. */
    static final String ATTRIBUTE = "dev.twofactor.servlet.facts";
    /** Default of {@link TwoFactorWebConfig#requirementMaxAge()}. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(10);
    /** The longest bound a configuration may set. */
    static final Duration MAX_MAX_AGE = Duration.ofMinutes(10);

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { NOTHING, ENROL, CHALLENGE }

    private final SessionState readFor;
    private final String userId;
    private final boolean administrator;
    private final Instant policyAppliesSince;
    private final Kind kind;
    private final String message;
    private final Instant deadline;
    private final boolean enforced;
    private final Instant readAt;

    private SessionFacts(SessionState readFor, UserContext user, Requirement requirement, Instant readAt) {
        this.readFor = readFor;
        this.userId = user.userId();
        this.administrator = user.administrator();
        this.policyAppliesSince = user.policyAppliesSince();
        this.readAt = readAt;
        if (requirement instanceof Requirement.Enrol enrol) {
            this.kind = Kind.ENROL;
            this.message = enrol.message();
            this.deadline = enrol.deadline();
            this.enforced = enrol.enforced();
        } else {
            this.kind = requirement instanceof Requirement.Challenge ? Kind.CHALLENGE : Kind.NOTHING;
            this.message = null;
            this.deadline = null;
            this.enforced = false;
        }
    }

    /**
     * @param maxAge the bound to validate
     * @return it
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_MAX_AGE}
     */
    static Duration checkMaxAge(Duration maxAge) {
        Objects.requireNonNull(maxAge, "requirementMaxAge");
        if (maxAge.isNegative() || maxAge.compareTo(MAX_MAX_AGE) > 0) {
            throw new IllegalArgumentException("requirementMaxAge must be zero or more and at most 10 minutes: "
                    + maxAge);
        }
        return maxAge;
    }

    /**
     * What {@code user} must do now: the session's facts if they are young enough and were read for {@code state}
     * and {@code user}, otherwise {@link TwoFactorService#requirementFor} (remembered for the next requests).
     *
     * @param now the service's clock at the start of the request, before any read
     */
    static Requirement requirement(HttpServletRequest request, TwoFactorService service, Duration maxAge,
                                   SessionState state, UserContext user, Instant now) {
        HttpSession session = request.getSession(false);
        if (session != null && !maxAge.isZero()) {
            SessionFacts facts = of(session);
            if (facts != null && facts.holdFor(state, user, now, maxAge)) {
                return facts.requirementAt(now);
            }
        }
        Requirement requirement = service.requirementFor(user);
        remember(session, state, user, requirement, now, maxAge);
        return requirement;
    }

    /**
     * Keeps {@code requirement}, read at or after {@code readAt}, for {@code state}; nothing with a zero bound or
     * without a session.
     */
    static void remember(HttpSession session, SessionState state, UserContext user, Requirement requirement,
                         Instant readAt, Duration maxAge) {
        if (session == null || maxAge.isZero()) {
            return;
        }
        try {
            session.setAttribute(ATTRIBUTE, new SessionFacts(state, user, requirement, readAt));
        } catch (IllegalStateException invalidated) {
            // Signed out concurrently: nothing to keep.
        }
    }

    private static SessionFacts of(HttpSession session) {
        try {
            return session.getAttribute(ATTRIBUTE) instanceof SessionFacts facts ? facts : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    private boolean holdFor(SessionState state, UserContext user, Instant now, Duration maxAge) {
        return !now.isBefore(readAt) && now.isBefore(readAt.plus(maxAge)) && readFor.equals(state)
                && userId.equals(user.userId()) && administrator == user.administrator()
                && Objects.equals(policyAppliesSince, user.policyAppliesSince());
    }

    private Requirement requirementAt(Instant now) {
        return switch (kind) {
            case NOTHING -> Requirement.Nothing.INSTANCE;
            case CHALLENGE -> Requirement.Challenge.INSTANCE;
            // Enforced once the grace deadline has passed, on the request's own clock: not up to maxAge late.
            case ENROL -> new Requirement.Enrol(message, deadline,
                    enforced || deadline != null && !now.isBefore(deadline));
        };
    }

    @Override
    public String toString() {
        return "SessionFacts[" + kind + ", readAt=" + readAt + "]";
    }
}
