package dev.twofactor.servlet;

import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What twofactor keeps in the {@code HttpSession}: who passed the password check, whether the session is half-open
 * or signed in, and when the user last proved a factor. Immutable and {@link Serializable}; it holds no secret,
 * code or password, only ids, flags and instants.
 *
 * <p>Each session has one {@link Slot} (the session attribute), and every change is a compare-and-set on it, so two
 * concurrent requests of one session can never interleave their read-decide-write steps into a state neither of
 * them chose (for example a stale "verified" written back after a concurrent disable).
 */
final class SessionState implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The session attribute holding the {@link Slot}. */
    static final String ATTRIBUTE = "dev.twofactor.servlet.state";

    /** Where in the sign-in the session is. */
    enum Stage {
        /** The password was accepted, the second factor is still due: nothing but the challenge is reachable. */
        HALF_OPEN,
        /** Signed in: with a second factor ({@link #secondFactorVerified}) or without one (not enrolled). */
        SIGNED_IN
    }

    final String userId;
    final boolean administrator;
    final Instant policyAppliesSince;
    final Stage stage;
    /** When the current stage began; for {@link Stage#HALF_OPEN} the start of the challenge (its expiry). */
    final Instant since;
    /** Whether this session proved the user's second factor (challenge, or enrolment confirmed in it). */
    final boolean secondFactorVerified;
    /** The last proof of password or factor in this session, for step-up; {@code null} if none. */
    final Instant verifiedAt;
    /** A verified session whose two-factor status may have changed: ask the service once on the next request. */
    final boolean recheck;
    /** A code confirmed a first enrolment in this session and the service waits for the acknowledgement. */
    final boolean awaitingAcknowledgement;
    /** Context-relative local path to continue at after the challenge; {@code null} for the home path. */
    final String returnPath;

    private SessionState(String userId, boolean administrator, Instant policyAppliesSince, Stage stage,
                         Instant since, boolean secondFactorVerified, Instant verifiedAt, boolean recheck,
                         boolean awaitingAcknowledgement, String returnPath) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.administrator = administrator;
        this.policyAppliesSince = policyAppliesSince;
        this.stage = Objects.requireNonNull(stage, "stage");
        this.since = Objects.requireNonNull(since, "since");
        this.secondFactorVerified = secondFactorVerified;
        this.verifiedAt = verifiedAt;
        this.recheck = recheck;
        this.awaitingAcknowledgement = awaitingAcknowledgement;
        this.returnPath = returnPath;
    }

    /** A half-open session: the password is accepted, the challenge starts now. */
    static SessionState halfOpen(UserContext user, Instant now) {
        return new SessionState(user.userId(), user.administrator(), user.policyAppliesSince(), Stage.HALF_OPEN, now,
                false, null, false, false, null);
    }

    /** Signed in with the password only (the user has no second factor); the password counts as a verification. */
    static SessionState signedInWithoutSecondFactor(UserContext user, Instant now) {
        return new SessionState(user.userId(), user.administrator(), user.policyAppliesSince(), Stage.SIGNED_IN, now,
                false, now, false, false, null);
    }

    /**
     * @return the request's session slot, or {@code null} without a session, without twofactor state, or when the
     *         session was invalidated concurrently
     */
    static Slot slotOf(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : slotOf(session);
    }

    static Slot slotOf(HttpSession session) {
        try {
            return session.getAttribute(ATTRIBUTE) instanceof Slot slot ? slot : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** @return the request's state, or {@code null} */
    static SessionState of(HttpServletRequest request) {
        Slot slot = slotOf(request);
        return slot == null ? null : slot.get();
    }

    /**
     * Replaces {@code expected} with {@code next} if the slot still holds it, and stores the slot again so persistent
     * sessions see the change.
     *
     * @return whether this call replaced it
     */
    static boolean update(HttpServletRequest request, Slot slot, SessionState expected, SessionState next) {
        if (!slot.compareAndSet(expected, next)) {
            return false;
        }
        store(request, slot);
        return true;
    }

    /** Marks the slot changed for containers that persist sessions; ignores a session invalidated meanwhile. */
    static void store(HttpServletRequest request, Slot slot) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            if (session.getAttribute(ATTRIBUTE) == slot) {
                session.setAttribute(ATTRIBUTE, slot);
            }
        } catch (IllegalStateException invalidated) {
            // The session was invalidated (sign-out, cancel) while this request ran: nothing to keep.
        }
    }

    UserContext userContext() {
        return new UserContext(userId, administrator, policyAppliesSince);
    }

    boolean halfOpen() {
        return stage == Stage.HALF_OPEN;
    }

    boolean signedIn() {
        return stage == Stage.SIGNED_IN;
    }

    /** The user's second factor passed now (the challenge, or an enrolment confirmed in this session). */
    SessionState verified(Instant now) {
        return new SessionState(userId, administrator, policyAppliesSince, Stage.SIGNED_IN, now, true, now, false,
                false, null);
    }

    /** The challenge became due in a signed-in session (two-factor authentication was enabled elsewhere). */
    SessionState challengeDue(Instant now) {
        return new SessionState(userId, administrator, policyAppliesSince, Stage.HALF_OPEN, now, false, null, false,
                false, null);
    }

    /** The user no longer has a second factor (disabled): the filter asks the service again on every request. */
    SessionState withoutSecondFactor() {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, false, verifiedAt, false,
                false, returnPath);
    }

    SessionState withRecheck(boolean value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, value, awaitingAcknowledgement, returnPath);
    }

    SessionState withAwaitingAcknowledgement(boolean value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, value, returnPath);
    }

    SessionState withVerifiedAt(Instant value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified, value,
                recheck, awaitingAcknowledgement, returnPath);
    }

    SessionState withReturnPath(String value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, awaitingAcknowledgement, value);
    }

    @Override
    public String toString() {
        return "SessionState[userId=" + userId + ", stage=" + stage + ", secondFactorVerified="
                + secondFactorVerified + "]";
    }

    /**
     * The session attribute: one per session, holding the current state. Updates are compare-and-set on the
     * reference; after each one the slot is stored again with {@code setAttribute} so that containers that persist
     * or replicate sessions see the change.
     */
    static final class Slot implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final AtomicReference<SessionState> state;

        Slot(SessionState initial) {
            this.state = new AtomicReference<>(initial);
        }

        SessionState get() {
            return state.get();
        }

        boolean compareAndSet(SessionState expected, SessionState next) {
            return state.compareAndSet(expected, next);
        }

        void set(SessionState next) {
            state.set(next);
        }

        @Override
        public String toString() {
            return "SessionState.Slot[" + state.get() + "]";
        }
    }
}
