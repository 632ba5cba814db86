package dev.twofactor.internal.web;

import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a web integration last read about the user of a signed-in session (the answer of
 * {@link TwoFactorService#requirementFor}: two-factor authentication enabled, the organisation policy's demand and its
 * grace deadline), with the instant it was read, so that the session's requests within a bound ({@code
 * requirementMaxAge}, default {@link #DEFAULT_MAX_AGE}) cost no store statement. The servlet filter and the Spring
 * Security integration both keep their sessions' facts here; only where they keep them (a session attribute) and what
 * their session state is differ.
 *
 * <p>The facts belong to one session state and one user: they count only while the integration's session state is
 * equal to the one they were read for (its own notion: the servlet filter's session record, the Spring
 * authentication's principal and factors), and the request's user is the same, with the same role and policy start.
 * They are too old once the clock is at or past the read instant plus the bound, or before the read instant (a clock
 * set back). Each session keeps its own read instant, so sessions re-read at their own times rather than all at once.
 * A grace deadline is applied against the clock of each request, so a grace period ends on time.
 *
 * <p>Immutable and {@link Serializable} (persistent sessions keep it too). It holds no secret, code or password: the
 * kind of requirement, its message and deadline, the instant of the read, and the session state and user it was read
 * for (the state must hold no secret either). Its {@link #toString()} names only the kind and the instant.
 */
public final class RequirementFacts implements Serializable {

    /** Default bound of an integration's {@code requirementMaxAge}. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(10);
    /** The longest bound a configuration may set. */
    public static final Duration MAX_MAX_AGE = Duration.ofMinutes(10);

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { NOTHING, ENROL, CHALLENGE }

    /** Where one session keeps its facts; {@code null} in place of a holder for a request without a session. */
    public interface Holder {
        /**
         * @return the facts kept, or {@code null}
         */
        RequirementFacts facts();

        /**
         * Keeps {@code facts} in place of any earlier ones (a session signed out meanwhile keeps nothing).
         *
         * @param facts the facts
         */
        void keep(RequirementFacts facts);
    }

    private final Serializable readFor;
    private final String userId;
    private final boolean administrator;
    private final Instant policyAppliesSince;
    private final Kind kind;
    private final String message;
    private final Instant deadline;
    private final boolean enforced;
    private final Instant readAt;

    private RequirementFacts(Serializable readFor, UserContext user, Requirement requirement, Instant readAt) {
        this.readFor = Objects.requireNonNull(readFor, "readFor");
        this.userId = user.userId();
        this.administrator = user.administrator();
        this.policyAppliesSince = user.policyAppliesSince();
        this.readAt = Objects.requireNonNull(readAt, "readAt");
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
    public static Duration checkMaxAge(Duration maxAge) {
        Objects.requireNonNull(maxAge, "requirementMaxAge");
        if (maxAge.isNegative() || maxAge.compareTo(MAX_MAX_AGE) > 0) {
            throw new IllegalArgumentException("requirementMaxAge must be zero or more and at most 10 minutes: "
                    + maxAge);
        }
        return maxAge;
    }

    /**
     * What {@code user} must do now: the session's facts if they are young enough and were read for {@code state}
     * and {@code user}, otherwise {@link TwoFactorService#requirementFor} (kept for the next requests).
     *
     * @param session where the session keeps its facts, or {@code null} without a session (always read, nothing kept)
     * @param service the service
     * @param maxAge the bound; zero reads on every request and keeps nothing
     * @param state the session state the facts must have been read for
     * @param user the request's user
     * @param now the clock at the start of the request, before any read
     * @return the requirement
     */
    public static Requirement requirement(Holder session, TwoFactorService service, Duration maxAge,
                                          Serializable state, UserContext user, Instant now) {
        if (session != null && !maxAge.isZero()) {
            RequirementFacts facts = session.facts();
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
     *
     * @param session where the session keeps its facts, or {@code null}
     * @param state the session state it was read for
     * @param user the user it was read for
     * @param requirement what the service answered
     * @param readAt the clock before the read
     * @param maxAge the bound
     */
    public static void remember(Holder session, Serializable state, UserContext user, Requirement requirement,
                                Instant readAt, Duration maxAge) {
        if (session != null && !maxAge.isZero()) {
            session.keep(new RequirementFacts(state, user, requirement, readAt));
        }
    }

    private boolean holdFor(Object state, UserContext user, Instant now, Duration maxAge) {
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

    /**
     * @return the kind of requirement and the instant of the read, for an integration's own {@code toString}
     */
    public String describe() {
        return kind + ", readAt=" + readAt;
    }

    @Override
    public String toString() {
        return "RequirementFacts[" + describe() + "]";
    }
}
