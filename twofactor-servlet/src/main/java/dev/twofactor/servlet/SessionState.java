package dev.twofactor.servlet;

import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What twofactor keeps in the {@code HttpSession}: who passed the password check, whether the session is half-open
 * or signed in, and when the user last proved a factor. Immutable and {@link Serializable}; it holds no secret,
 * code or password, only ids, flags and instants. Its {@link #toString()} names only the user and the stage.
 *
 * <p>The slot compares states by identity ({@code compareAndSet}), not by the record's value equality: two equal
 * states written by two requests are still two writes.
 *
 * <p>Each session has one {@link Slot} (the session attribute), and every change is a compare-and-set on it, so two
 * concurrent requests of one session can never interleave their read-decide-write steps into a state neither of
 * them chose (for example a stale "verified" written back after a concurrent disable).
 */
record SessionState(String userId, boolean administrator, Instant policyAppliesSince, Stage stage, Instant since,
                    boolean secondFactorVerified, Instant verifiedAt, boolean recheck,
                    boolean awaitingAcknowledgement, String returnPath, boolean enrolmentStarted,
                    Instant oneTimeStepUp)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 3L;

    /** The session attribute holding the {@link Slot}. */
    static final String ATTRIBUTE = "dev.twofactor.servlet.state";

    /** Where in the sign-in the session is. */
    enum Stage {
        /** The password was accepted, the second factor is still due: nothing but the challenge is reachable. */
        HALF_OPEN,
        /** Signed in: with a second factor ({@link #secondFactorVerified}) or without one (not enrolled). */
        SIGNED_IN
    }

    /**
     * Validates.
     *
     * @param userId who passed the password check
     * @param administrator whether the host reported an administrator role
     * @param policyAppliesSince when the organisation policy started to apply to the user, or {@code null}
     * @param stage where in the sign-in the session is
     * @param since when the current stage began; for {@link Stage#HALF_OPEN} the start of the challenge (its expiry)
     * @param secondFactorVerified whether this session proved the user's second factor (challenge, or enrolment
     *                             confirmed in it)
     * @param verifiedAt the last proof of password or factor in this session, for step-up; {@code null} if none
     * @param recheck a verified session whose two-factor status may have changed: ask the service once on the next
     *                request
     * @param awaitingAcknowledgement a code confirmed a first enrolment in this session and the service waits for
     *                                the acknowledgement
     * @param returnPath context-relative local path to continue at after the challenge; {@code null} for the home path
     * @param enrolmentStarted a pending enrolment was started in this session through {@link TwoFactorSignIn} and is
     *                         not yet confirmed (what the filter cancels when the user leaves the enrolment area)
     * @param oneTimeStepUp with a zero step-up window: when the last step-up passed, a grant for exactly one
     *                      sensitive request, consumed by it; {@code null} if none is left
     */
    SessionState {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(since, "since");
    }

    /** A half-open session: the password is accepted, the challenge starts now. */
    static SessionState halfOpen(UserContext user, Instant now) {
        return new SessionState(user.userId(), user.administrator(), user.policyAppliesSince(), Stage.HALF_OPEN, now,
                false, null, false, false, null, false, null);
    }

    /** Signed in with the password only (the user has no second factor); the password counts as a verification. */
    static SessionState signedInWithoutSecondFactor(UserContext user, Instant now) {
        return new SessionState(user.userId(), user.administrator(), user.policyAppliesSince(), Stage.SIGNED_IN, now,
                false, now, false, false, null, false, null);
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

    // ---------------------------------------------------------------- changes of the session itself

    /** Installs {@code state} as the session's state, replacing any earlier one. */
    static void install(HttpSession session, SessionState state) {
        Slot slot = slotOf(session);
        if (slot == null) {
            slot = new Slot(state);
        } else {
            slot.set(state);
        }
        session.setAttribute(ATTRIBUTE, slot);
    }

    static void endSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // Another request of the session ended it first: the outcome is the same.
            }
        }
    }

    static boolean changeSessionId(HttpServletRequest request) {
        try {
            request.changeSessionId();
            return true;
        } catch (IllegalStateException invalidated) {
            return false;
        }
    }

    /** Applies {@code change} to the signed-in state of {@code userId}, retrying on concurrent changes. */
    static void change(HttpServletRequest request, String userId, UnaryOperator<SessionState> change) {
        Slot slot = slotOf(request);
        if (slot == null) {
            return;
        }
        while (true) {
            SessionState current = slot.get();
            if (!current.signedIn() || !current.userId().equals(userId)) {
                return;
            }
            if (update(request, slot, current, change.apply(current))) {
                return;
            }
        }
    }

    static SessionState requireSignedIn(HttpServletRequest request) {
        Objects.requireNonNull(request, "request");
        SessionState state = of(request);
        if (state == null || !state.signedIn()) {
            throw new IllegalStateException("This session has no signed-in user: call this helper only on requests"
                    + " the TwoFactorFilter let through as signed in");
        }
        return state;
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
                false, null, false, null);
    }

    /**
     * The password was accepted and a remembered device stood in for the challenge: signed in with the second
     * factor, but with no verification recorded for step-up, so the step-up paths ask for the password or a code.
     */
    SessionState verifiedByDevice(Instant now) {
        return new SessionState(userId, administrator, policyAppliesSince, Stage.SIGNED_IN, now, true, null, false,
                false, null, false, null);
    }

    /** The challenge became due in a signed-in session (two-factor authentication was enabled elsewhere). */
    SessionState challengeDue(Instant now) {
        return new SessionState(userId, administrator, policyAppliesSince, Stage.HALF_OPEN, now, false, null, false,
                false, null, false, null);
    }

    /** The user no longer has a second factor (disabled): the filter asks the service again ({@link SessionFacts}). */
    SessionState withoutSecondFactor() {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, false, verifiedAt, false,
                false, returnPath, false, null);
    }

    SessionState withRecheck(boolean value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, value, awaitingAcknowledgement, returnPath, enrolmentStarted, oneTimeStepUp);
    }

    SessionState withAwaitingAcknowledgement(boolean value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, value, returnPath, enrolmentStarted, oneTimeStepUp);
    }

    SessionState withVerifiedAt(Instant value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified, value,
                recheck, awaitingAcknowledgement, returnPath, enrolmentStarted, oneTimeStepUp);
    }

    SessionState withReturnPath(String value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, awaitingAcknowledgement, value, enrolmentStarted, oneTimeStepUp);
    }

    SessionState withEnrolmentStarted(boolean value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, awaitingAcknowledgement, returnPath, value, oneTimeStepUp);
    }

    SessionState withOneTimeStepUp(Instant value) {
        return new SessionState(userId, administrator, policyAppliesSince, stage, since, secondFactorVerified,
                verifiedAt, recheck, awaitingAcknowledgement, returnPath, enrolmentStarted, value);
    }

    /**
     * Takes the session's one-time step-up grant (zero step-up window), if one is left and younger than
     * {@code ttl}: a compare-and-set, so of concurrent requests exactly one gets it.
     *
     * @return when the step-up passed, or {@code null} if there is no grant for this request
     */
    static Instant takeOneTimeStepUp(HttpServletRequest request, String userId, Instant now, Duration ttl) {
        Slot slot = slotOf(request);
        if (slot == null) {
            return null;
        }
        while (true) {
            SessionState current = slot.get();
            Instant grant = current.oneTimeStepUp();
            if (!current.signedIn() || !current.userId().equals(userId) || grant == null) {
                return null;
            }
            if (update(request, slot, current, current.withOneTimeStepUp(null))) {
                return grant.isAfter(now) || !now.isBefore(grant.plus(ttl)) ? null : grant;
            }
        }
    }

    /** The one-time grant without taking it, if one is left and younger than {@code ttl}; otherwise {@code null}. */
    static Instant peekOneTimeStepUp(HttpServletRequest request, String userId, Instant now, Duration ttl) {
        SessionState current = of(request);
        Instant grant = current == null || !current.signedIn() || !current.userId().equals(userId) ? null
                : current.oneTimeStepUp();
        return grant == null || grant.isAfter(now) || !now.isBefore(grant.plus(ttl)) ? null : grant;
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
