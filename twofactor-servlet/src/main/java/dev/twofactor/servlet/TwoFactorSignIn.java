package dev.twofactor.servlet;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host's own handlers call: after its password check ({@link #passwordAccepted}), on its challenge screen
 * ({@link #verifyChallenge}, or the ready-made {@link #handleChallengeSubmission}), for step-up
 * ({@link #stepUpWithPassword}, {@link #stepUpWithCode}), and around enrolment changes ({@link #confirmEnrolment},
 * {@link #acknowledgeRecoveryCodes}, {@link #disable}, {@link #refresh}) so the session follows them.
 *
 * <p>The user is always taken from the server-side session state, never from the request: a form cannot name
 * another user. Every check goes through the {@link TwoFactorService}, so it counts toward the user's backoff and is
 * refused unchecked during one. Codes and passwords are never logged, stored in the session or echoed.
 *
 * <p>Immutable and thread-safe; concurrent requests of one session are safe (session changes are compare-and-set).
 *
 * <pre>{@code
 * // the host's sign-in handler, after its own password check:
 * Requirement next = signIn.passwordAccepted(request, UserContext.of(user.id(), user.isAdmin()));
 * response.sendRedirect(request.getContextPath() + "/");   // the filter routes to the challenge if one is due
 * }</pre>
 */
public final class TwoFactorSignIn {

    /** Form field of the authenticator code on the challenge screen. */
    public static final String CODE_PARAMETER = "code";
    /** Form field of a recovery code on the challenge screen. */
    public static final String RECOVERY_CODE_PARAMETER = "recoveryCode";
    /** Query parameter naming where to return after a step-up (a local path; see
     * {@link TwoFactorSessions#safeReturnPath}). */
    public static final String RETURN_TO_PARAMETER = "returnTo";
    /** Form field carrying {@link Confirmation#acknowledgementToken()} from the page that shows the recovery codes. */
    public static final String ACKNOWLEDGEMENT_TOKEN_PARAMETER = "acknowledgementToken";
    /**
     * Request attribute (an {@link Instant}) set by the filter on a sensitive request it let through on the session's
     * one-time step-up grant (zero step-up window); the helpers read it, so the grant serves exactly this request.
     */
    static final String ONE_TIME_STEP_UP_ATTRIBUTE = "dev.twofactor.servlet.oneTimeStepUp";

    private final TwoFactorWebConfig config;
    private final TwoFactorService service;
    private final EnrolmentInSession enrolments;

    /**
     * @param config the configuration
     */
    public TwoFactorSignIn(TwoFactorWebConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.service = config.service();
        this.enrolments = new EnrolmentInSession(config, this);
    }

    /**
     * Call after the host accepted the user's password. Asks the service what the user must do
     * ({@link TwoFactorService#requirementFor}) and records the answer in the session, whose id is changed if it
     * existed before (session fixation):
     * <ul>
     *   <li>{@link Requirement.Challenge}: the session becomes half-open; until the challenge passes nothing but
     *       the challenge screen, its cancel, sign-out and allowlisted paths is reachable, and
     *       {@link TwoFactorSessions#signedInUser} stays empty;</li>
     *   <li>{@link Requirement.Enrol} or {@link Requirement.Nothing}: the user is signed in (an enforced
     *       {@code Enrol} keeps them on the enrolment screen).</li>
     * </ul>
     * Any earlier sign-in state of the session is replaced. The host may simply redirect to its landing page: the
     * filter sends the user on to the challenge or enrolment screen when one is due.
     *
     * @param request the sign-in request
     * @param user the user whose password was accepted, and their role
     * @return what the user must do next
     */
    public Requirement passwordAccepted(HttpServletRequest request, UserContext user) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(user, "user");
        Instant now = service.clock().instant();
        Requirement requirement = service.requirementFor(user);
        SessionState state = initialState(user, requirement, now);
        if (request.getSession(false) != null) {
            SessionState.changeSessionId(request);
        }
        HttpSession session = request.getSession(true);
        SessionState.install(session, state);
        SessionFacts.remember(session, state, user, requirement, now, config.requirementMaxAge());
        return requirement;
    }

    /**
     * Checks the challenge of a half-open session: an authenticator code, or, when {@code code} is blank, a recovery
     * code. The user is the one whose password was accepted in this session. On success the session id is changed,
     * the session is signed in and the time recorded for step-up.
     *
     * @param request the request
     * @param code the authenticator code as typed, or {@code null}
     * @param recoveryCode a recovery code as typed, or {@code null}; used only when {@code code} is blank
     * @return the result: passed; rejected (the session stays half-open); rate-limited or locked (not checked);
     *         expired (the session was ended: sign in again); not pending
     */
    public ChallengeResult verifyChallenge(HttpServletRequest request, CharSequence code, CharSequence recoveryCode) {
        Objects.requireNonNull(request, "request");
        SessionState.Slot slot = SessionState.slotOf(request);
        SessionState state = slot == null ? null : slot.get();
        if (state == null || !state.halfOpen()) {
            return new ChallengeResult.NotPending();
        }
        if (challengeExpired(state, service.clock().instant())) {
            SessionState.endSession(request);
            return new ChallengeResult.Expired();
        }
        Outcome<?> outcome = isBlank(code) && !isBlank(recoveryCode)
                ? service.redeemRecoveryCode(state.userId(), recoveryCode)
                : service.verifyCode(state.userId(), code == null ? "" : code);
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            return new ChallengeResult.RateLimited(limited);
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return new ChallengeResult.Locked();
        }
        if (outcome instanceof Outcome.Rejected<?> rejected) {
            return new ChallengeResult.Rejected(rejected.reason());
        }
        // The code was accepted (and used up). Only now does the session become signed in, under a new id.
        if (!SessionState.changeSessionId(request)) {
            return new ChallengeResult.NotPending();
        }
        if (!SessionState.update(request, slot, state, state.verified(service.clock().instant()))) {
            // Cancelled or replaced by another sign-in while the code was checked: that sign-in is not completed.
            return new ChallengeResult.NotPending();
        }
        request.setAttribute(TrustedDeviceSignIn.PASSED_CHALLENGE_ATTRIBUTE, outcome);   // the proof to remember
        Object value = ((Outcome.Success<?>) outcome).value();
        return new ChallengeResult.Passed(state.userId(),
                state.returnPath() != null ? state.returnPath() : config.homePath(),
                value instanceof RecoveryCodeAccepted accepted ? accepted : null);
    }

    /**
     * The ready-made challenge handler (the filter uses it for {@code POST} to the challenge path unless
     * {@link TwoFactorWebConfig.Builder#handleChallengeRequests} is off): reads the form fields
     * {@value #CODE_PARAMETER} and {@value #RECOVERY_CODE_PARAMETER}, calls {@link #verifyChallenge} and answers
     * (remembering the device when {@value TrustedDeviceSignIn#REMEMBER_PARAMETER} asks, {@link TrustedDeviceSignIn}).
     *
     * <p>API requests: 200 with {@code {"status":"signed_in","redirect":...}} (plus {@code remainingRecoveryCodes},
     * and {@code recoveryCodes} when a rotate-on-use policy issued a replacement), otherwise
     * {@link ChallengeResult#httpStatus()} with {@code {"error":...,"message":...}} ({@code retryAfter} and a
     * {@code Retry-After} header on 429).
     *
     * <p>Browsers: passed → 302 to the page first asked for (or the home path); a replacement recovery set is shown
     * on a small page instead, since it exists only in this response; rejected → 302 back to the challenge screen
     * with {@code ?error=} the {@link ChallengeResult#error()} code, for example {@code ?error=wrong_code}
     * ({@link TwoFactorSessions#errorMessage} turns it into the text); rate-limited → 429 with {@code Retry-After}
     * and a short page; locked → 403 page; expired → 302 to the sign-in screen with
     * {@code ?error=challenge_expired}; nothing pending → 302 to the sign-in screen. The codes are listed in one
     * table in {@link ChallengeResult}.
     *
     * @param request the {@code POST} to the challenge screen
     * @param response its response
     * @throws IOException if the response cannot be written
     */
    public void handleChallengeSubmission(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ChallengeResult result = verifyChallenge(request, request.getParameter(CODE_PARAMETER),
                request.getParameter(RECOVERY_CODE_PARAMETER));
        if (result.passed() && TrustedDeviceSignIn.asked(request)) {
            new TrustedDeviceSignIn(config).rememberAfterChallenge(request, response);
        }
        ChallengeAnswers.write(config, request, response, result);
    }

    /**
     * "Sign in as a different user": ends a half-open sign-in by invalidating the session. Only a {@code POST} does
     * (a form button on the challenge screen): a {@code GET}, which another site can cause with an image, changes
     * nothing.
     *
     * @param request the request
     * @return whether a half-open sign-in was ended
     */
    public boolean cancelChallenge(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return false;
        }
        SessionState state = SessionState.of(request);
        if (state == null || !state.halfOpen()) {
            return false;
        }
        SessionState.endSession(request);
        return true;
    }

    /**
     * Signs out: invalidates the session, whatever its state.
     *
     * @param request the request
     */
    public void signOut(HttpServletRequest request) {
        SessionState.endSession(request);
    }

    /**
     * Step-up ("Unlock settings") with the current password; on success the session id is changed, the time is
     * recorded in the session and the step-up paths are open for the service's window.
     *
     * @param request a request of a signed-in session
     * @param password the password (wiped by the service)
     * @return the verification time; {@link dev.twofactor.Reason#WRONG_PASSWORD}; rate-limited (not checked);
     *         locked
     * @throws IllegalStateException if the session is not signed in (call it only behind the filter)
     */
    public Outcome<Instant> stepUpWithPassword(HttpServletRequest request, char[] password) {
        SessionState state = SessionState.requireSignedIn(request);
        return steppedUp(request, state, service.stepUpWithPassword(state.userId(), password));
    }

    /**
     * Step-up with a current authenticator code (which then counts as used); on success the session id is changed
     * and the time is recorded.
     *
     * @param request a request of a signed-in session
     * @param code the code as typed
     * @return the verification time; the rejections of {@link TwoFactorService#verifyCode}
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<Instant> stepUpWithCode(HttpServletRequest request, CharSequence code) {
        SessionState state = SessionState.requireSignedIn(request);
        return steppedUp(request, state, service.stepUpWithCode(state.userId(), code));
    }

    /**
     * Step-up with a recovery code, for a user who lost the phone ({@link TwoFactorService#stepUpWithRecoveryCode}):
     * the code is checked through the backoff like every other and used up; on success the session id is changed
     * and the time is recorded, as for the other step-ups. Tell the user how many codes remain
     * ({@link RecoveryCodeAccepted#remaining()}); with a rotate-on-use policy show the replacement set, once.
     *
     * @param request a request of a signed-in session
     * @param recoveryCode the recovery code as typed
     * @return the remaining codes; the rejections of {@link TwoFactorService#redeemRecoveryCode}
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<RecoveryCodeAccepted> stepUpWithRecoveryCode(HttpServletRequest request,
                                                                CharSequence recoveryCode) {
        SessionState state = SessionState.requireSignedIn(request);
        Outcome<RecoveryCodeAccepted> outcome = service.stepUpWithRecoveryCode(state.userId(), recoveryCode);
        if (outcome.succeeded()) {
            recordStepUp(request, state, service.clock().instant());
        }
        return outcome;
    }

    /**
     * Records a successful step-up in the session under a new session id, as the challenge does: a copy of the old
     * cookie (stolen before the step-up) must not share the fresh verification.
     */
    private Outcome<Instant> steppedUp(HttpServletRequest request, SessionState state, Outcome<Instant> outcome) {
        if (outcome instanceof Outcome.Success<Instant> success) {
            recordStepUp(request, state, success.value());
        }
        return outcome;
    }

    /** With a zero window the step-up also leaves a one-time grant: it authorises the next sensitive request. */
    private void recordStepUp(HttpServletRequest request, SessionState state, Instant at) {
        SessionState.changeSessionId(request);
        boolean oneTime = service.stepUpWindow().isZero();
        SessionState.change(request, state.userId(),
                current -> current.withVerifiedAt(at).withOneTimeStepUp(oneTime ? at : null));
    }

    /**
     * The step-up that authorises this sensitive request, or {@code null}: with a window, the session's last
     * verification if within it; with a zero window, the one-time grant the filter took for this request or, on a
     * path the filter does not guard, the session's grant taken now. Either way one grant serves one request.
     */
    Instant authorisingStepUp(HttpServletRequest request, SessionState state) {
        if (request.getAttribute(ONE_TIME_STEP_UP_ATTRIBUTE) instanceof Instant granted) {
            request.removeAttribute(ONE_TIME_STEP_UP_ATTRIBUTE);
            return granted;
        }
        if (!service.stepUpWindow().isZero()) {
            return service.stepUpRequired(state.verifiedAt()) ? null : state.verifiedAt();
        }
        return SessionState.takeOneTimeStepUp(request, state.userId(), service.clock().instant(),
                TwoFactorService.ONE_TIME_STEP_UP_TTL);
    }

    /**
     * Starts the signed-in user's first enrolment ({@link TwoFactorService#startEnrolment}), if the session's last
     * verification is within the service's step-up window (unless
     * {@link TwoFactorWebConfig.Builder#stepUpBeforeEnrolment} is off). The password accepted at sign-in counts as a
     * verification at that instant, so a user the organisation policy sends to enrol right after signing in is not
     * asked again; a session signed in hours ago is. Call it from a {@code POST} handler (starting an enrolment
     * changes state), behind the filter.
     *
     * <p>A pending enrolment this session started and that has not expired is returned again instead of a new one
     * (a reload of the page, or the form sent twice): the same secret and QR code, so the app the user already
     * scanned into keeps matching. With a zero step-up window each start needs its own step-up; the filter takes the
     * one-time grant on the enrolment-start paths.
     *
     * @param request a request of a signed-in session
     * @param accountName the account name shown in the authenticator app; no colon
     * @return started (or the same pending one again); {@link EnrolmentStart.StepUpRequired} (nothing started); or
     *         the service's refusal
     * @throws IllegalStateException if the session is not signed in
     * @throws IllegalArgumentException if the account name is blank or contains a colon
     */
    public EnrolmentStart startEnrolment(HttpServletRequest request, String accountName) {
        return enrolments.start(request, accountName, false);
    }

    /**
     * Starts moving the signed-in user to a new authenticator app ({@link TwoFactorService#changeAuthenticator}),
     * under the same step-up rule as {@link #startEnrolment}.
     *
     * @param request a request of a signed-in session
     * @param accountName the account name shown in the authenticator app; no colon
     * @return started; {@link EnrolmentStart.StepUpRequired} (nothing started); or the service's refusal
     * @throws IllegalStateException if the session is not signed in
     * @throws IllegalArgumentException if the account name is blank or contains a colon
     */
    public EnrolmentStart changeAuthenticator(HttpServletRequest request, String accountName) {
        return enrolments.start(request, accountName, true);
    }

    /**
     * The pending enrolment this session started, again (its screen was reloaded within the pending TTL): the same
     * secret, key URI and QR code ({@link TwoFactorService#pendingEnrolment}). Empty when this session started none
     * through {@link #startEnrolment} or {@link #changeAuthenticator}, or it expired, was cancelled or confirmed:
     * then show the "Enable" button. Call it from the enrolment page's {@code GET}; it starts nothing.
     *
     * @param request a request of a signed-in session
     * @param accountName the account name, as given when it started; no colon
     * @return the pending enrolment, or empty
     * @throws IllegalStateException if the session is not signed in
     */
    public Optional<Enrolment> pendingEnrolment(HttpServletRequest request, String accountName) {
        return enrolments.pendingEnrolment(request, accountName);
    }

    /**
     * Confirms the signed-in user's pending enrolment ({@link TwoFactorService#confirmEnrolment}). When it enables
     * two-factor authentication, the session counts as verified (the user just proved the new authenticator in it),
     * so it is not sent to the challenge, and its id is changed. With acknowledgement required, call
     * {@link #acknowledgeRecoveryCodes} next.
     *
     * <p>A host that calls the service directly instead gets a challenge in the session within
     * {@link TwoFactorWebConfig#requirementMaxAge()} (the service reports the user as enrolled, the session has not
     * proved it).
     *
     * @param request a request of a signed-in session
     * @param code the code from the new authenticator
     * @return the service's outcome
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<Confirmation> confirmEnrolment(HttpServletRequest request, CharSequence code) {
        return enrolments.confirm(request, code);
    }

    /**
     * "I have saved my recovery codes" ({@link TwoFactorService#acknowledgeRecoveryCodes}), with the
     * {@link Confirmation#acknowledgementToken()} the page that showed the codes sent back (form field
     * {@value #ACKNOWLEDGEMENT_TOKEN_PARAMETER}); the token is never kept in the session, so after a reload lost the
     * codes the acknowledgement is refused ({@link dev.twofactor.Reason#NOTHING_TO_ACKNOWLEDGE}) and the user starts
     * the enrolment over. When the enrolment was confirmed in this session, the session counts as verified.
     *
     * @param request a request of a signed-in session
     * @param acknowledgementToken the token from the form, or {@code null}
     * @return the service's outcome
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<TwoFactorStatus> acknowledgeRecoveryCodes(HttpServletRequest request,
                                                             String acknowledgementToken) {
        return enrolments.acknowledgeRecoveryCodes(request, acknowledgementToken);
    }

    /**
     * Disables two-factor authentication with the current password ({@link TwoFactorService#disable}); on success
     * the session no longer counts as verified, so the filter asks the service again on the next request, and an
     * organisation policy that requires enrolment sends the user straight back to the enrolment screen.
     *
     * @param request a request of a signed-in session
     * @param password the current password (wiped by the service)
     * @return the service's outcome
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<TwoFactorStatus> disable(HttpServletRequest request, char[] password) {
        return enrolments.disable(request, password);
    }

    /**
     * Disables two-factor authentication on the strength of the session's recent step-up instead of a password
     * ({@link TwoFactorService#disableAfterStepUp}; the service must be built with
     * {@code disableAfterStepUp(true)}), for hosts on single sign-on. The step-up is the session's last
     * verification within the window, or, with a zero window, the one-time grant of the step-up just before (used up
     * by this call). Put the disable path among the step-up paths so the filter sends a user without one to the
     * step-up screen. On success the session no longer counts as verified, as with {@link #disable(
     * HttpServletRequest, char[])}.
     *
     * @param request a request of a signed-in session
     * @return the service's outcome; {@link dev.twofactor.Reason#STEP_UP_REQUIRED} without a step-up for it
     * @throws IllegalStateException if the session is not signed in, or the service does not allow it
     */
    public Outcome<TwoFactorStatus> disable(HttpServletRequest request) {
        return enrolments.disableAfterStepUp(request);
    }

    /**
     * Tells the filter that the signed-in user's two-factor status may have changed outside these helpers (the host
     * called the service directly): a verified session normally costs no store query, so without this the change
     * would only be seen at the next sign-in (one without a second factor: within
     * {@link TwoFactorWebConfig#requirementMaxAge()}). The next request asks the service once.
     *
     * @param request a request of a signed-in session
     */
    public void refresh(HttpServletRequest request) {
        SessionState state = SessionState.of(request);
        if (state != null && state.signedIn()) {
            SessionState.change(request, state.userId(), current -> current.withRecheck(true));
        }
    }

    static SessionState initialState(UserContext user, Requirement requirement, Instant now) {
        return requirement instanceof Requirement.Challenge
                ? SessionState.halfOpen(user, now)
                : SessionState.signedInWithoutSecondFactor(user, now);
    }

    boolean challengeExpired(SessionState state, Instant now) {
        return !now.isBefore(state.since().plus(config.challengeTtl()));
    }

    private static boolean isBlank(CharSequence text) {
        return text == null || text.chars().allMatch(Character::isWhitespace);
    }
}
