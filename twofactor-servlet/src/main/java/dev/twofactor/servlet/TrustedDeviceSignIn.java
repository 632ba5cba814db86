package dev.twofactor.servlet;

import dev.twofactor.NewTrustedDevice;
import dev.twofactor.Outcome;
import dev.twofactor.TrustedDevice;
import dev.twofactor.TrustedDevices;
import dev.twofactor.TwoFactorService;
import dev.twofactor.internal.web.DeviceCookieRules;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * "Remember this device" for servlet hosts ({@link TrustedDevices}): the device cookie ({@link TrustedDeviceCookie})
 * written after a passed challenge when the user ticked the box, recognised by the {@link TwoFactorFilter} at the
 * next password sign-in, and the user's list of remembered devices with revocation for the host's settings screen.
 * Offered only when the host turned it on twice: {@link TwoFactorWebConfig.Builder#trustedDevices} names the cookie
 * and the service was built with {@code trustedDevices(true)} ({@link #offered()}).
 *
 * <p><b>Remembering.</b> The ready-made challenge handler ({@link TwoFactorSignIn#handleChallengeSubmission}) reads
 * the form field {@value #REMEMBER_PARAMETER} ({@code on} or {@code true}, what a checkbox sends) and, when the code
 * or recovery code passed, remembers the device with the request's {@code User-Agent} and sets the cookie; its JSON
 * answer then carries {@code "deviceRemembered":true}. A host with its own challenge handler calls
 * {@link #rememberAfterChallenge} right after {@link TwoFactorSignIn#verifyChallenge} passed, in the same request.
 *
 * <p><b>Recognising.</b> While a session is half-open (the password was accepted through
 * {@link TwoFactorSignIn#passwordAccepted} or a host's {@link CurrentUser}, and the challenge is due), the filter
 * checks a device cookie the request carries with {@link TrustedDevices#recognise} for the user of that session,
 * never for a user the request names. Recognised: the session id is changed and the session is signed in, as a
 * passed challenge would do, except that a remembered device <em>does not count as a step-up</em>: the step-up paths
 * ask for the password or a code at once, as if the last verification were long ago. Not recognised (garbage,
 * another user's, expired, revoked, the user locked, in a backoff or no longer enrolled): the cookie is cleared and
 * the challenge is shown as without one; nothing counts toward the backoff and the answer says nothing about why. The
 * cookie alone signs nobody in: only a session whose password was accepted is ever looked at.
 *
 * <p><b>Listing and revoking</b> ({@link #list}, {@link #revoke}, {@link #revokeAll}) act on the signed-in user of
 * the session. The filter has no endpoints of its own for them (as for app passwords): the host's settings screen
 * calls these from its handlers. Put the revoking {@code POST}s under the enrolment path (or among
 * {@link CrossSiteProtection#extraPaths()}) so the filter refuses them cross-site, and protect them with the host's
 * CSRF token like its other forms.
 *
 * <p>Immutable and thread-safe; the token never appears in a log line, exception or session attribute.
 */
public final class TrustedDeviceSignIn {

    /** Form field of the "Remember this device" checkbox on the challenge screen. */
    public static final String REMEMBER_PARAMETER = DeviceCookieRules.REMEMBER_PARAMETER;

    /** Request attribute: the passed challenge's outcome, set by {@link TwoFactorSignIn#verifyChallenge}. */
    static final String PASSED_CHALLENGE_ATTRIBUTE = "dev.twofactor.servlet.passedChallenge";
    /** Request attribute set when this request remembered the device, for the ready-made JSON answer. */
    static final String REMEMBERED_ATTRIBUTE = "dev.twofactor.servlet.deviceRemembered";

    private final TwoFactorWebConfig config;
    private final TwoFactorService service;

    /**
     * @param config the configuration
     */
    public TrustedDeviceSignIn(TwoFactorWebConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.service = config.service();
    }

    /**
     * @return whether "Remember this device" is offered: the configuration names a device cookie and the service's
     *         trusted devices are on. Show the checkbox on the challenge screen only then
     */
    public boolean offered() {
        return config.trustedDeviceCookie().isPresent() && service.trustedDevices().enabled();
    }

    /**
     * @return how long a remembered device is recognised, for the checkbox's label ("for 30 days")
     */
    public java.time.Duration lifetime() {
        return service.trustedDevices().lifetime();
    }

    /**
     * Remembers the user's device after {@link TwoFactorSignIn#verifyChallenge} passed in this request, and sets the
     * device cookie. Call it only when the user asked for it (ticked the box). Does nothing (and answers
     * {@code false}) when the feature is not {@link #offered()}, when no challenge passed in this request, or when
     * the service refuses (the user was unenrolled meanwhile, say).
     *
     * @param request the request in which the challenge passed
     * @param response its response, not yet committed
     * @return whether the device was remembered and the cookie set
     */
    public boolean rememberAfterChallenge(HttpServletRequest request, HttpServletResponse response) {
        Object passed = request.getAttribute(PASSED_CHALLENGE_ATTRIBUTE);
        request.removeAttribute(PASSED_CHALLENGE_ATTRIBUTE);
        SessionState state = SessionState.of(request);
        if (!offered() || !(passed instanceof Outcome.Success<?> success) || state == null || !state.signedIn()) {
            return false;
        }
        Outcome<NewTrustedDevice> remembered = service.trustedDevices().remember(state.userId(), success,
                request.getHeader("User-Agent"));
        if (!(remembered instanceof Outcome.Success<NewTrustedDevice> device)) {
            return false;
        }
        config.trustedDeviceCookie().orElseThrow().write(request, response, device.value().token(), lifetime());
        request.setAttribute(REMEMBERED_ATTRIBUTE, Boolean.TRUE);
        return true;
    }

    /** @return whether the request's {@value #REMEMBER_PARAMETER} field asks to remember the device */
    static boolean asked(HttpServletRequest request) {
        return DeviceCookieRules.asked(request.getParameter(REMEMBER_PARAMETER));
    }

    /**
     * @param request a request of a signed-in session
     * @return the signed-in user's unexpired remembered devices, oldest first (never their tokens)
     * @throws IllegalStateException if the session is not signed in
     */
    public List<TrustedDevice> list(HttpServletRequest request) {
        return service.trustedDevices().list(SessionState.requireSignedIn(request).userId());
    }

    /**
     * The id of the device this browser's cookie names, if it carries one of a token's form; for marking "this
     * browser" in the list. Not a verification: only {@link TrustedDevices#recognise} is one.
     *
     * @param request the request
     * @return the device id in the cookie, or empty
     */
    public Optional<String> thisBrowser(HttpServletRequest request) {
        TrustedDeviceCookie cookie = config.trustedDeviceCookie().orElse(null);
        if (cookie == null) {
            return Optional.empty();
        }
        String[] tokens = cookie.tokens(request);
        int dot = tokens.length == 0 ? -1 : tokens[0].indexOf('.');
        return dot > 0 ? Optional.of(tokens[0].substring(0, dot)) : Optional.empty();
    }

    /**
     * Revokes one of the signed-in user's devices ({@link TrustedDevices#revoke}); when it is this browser's, the
     * cookie is cleared too.
     *
     * @param request a request of a signed-in session (a {@code POST})
     * @param response its response, not yet committed
     * @param deviceId the device's id from {@link #list}
     * @return the revoked device, or {@link dev.twofactor.Reason#TRUSTED_DEVICE_NOT_FOUND}
     * @throws IllegalStateException if the session is not signed in
     */
    public Outcome<TrustedDevice> revoke(HttpServletRequest request, HttpServletResponse response, String deviceId) {
        SessionState state = SessionState.requireSignedIn(request);
        Outcome<TrustedDevice> outcome = service.trustedDevices().revoke(state.userId(),
                deviceId == null ? "" : deviceId);
        if (outcome.succeeded() && thisBrowser(request).filter(deviceId::equals).isPresent()) {
            clear(request, response);
        }
        return outcome;
    }

    /**
     * Revokes all the signed-in user's devices ({@link TrustedDevices#revokeAll}) and clears this browser's cookie.
     *
     * @param request a request of a signed-in session (a {@code POST})
     * @param response its response, not yet committed
     * @return how many were revoked
     * @throws IllegalStateException if the session is not signed in
     */
    public int revokeAll(HttpServletRequest request, HttpServletResponse response) {
        int revoked = service.trustedDevices().revokeAll(SessionState.requireSignedIn(request).userId());
        clear(request, response);
        return revoked;
    }

    /**
     * The filter's step for a half-open session: recognises the request's device cookie for the session's user and,
     * if recognised, signs the session in under a new id (without counting as a step-up).
     *
     * @return whether the filter must decide again: the session is now signed in, or changed concurrently
     */
    boolean signInWithCookie(HttpServletRequest request, HttpServletResponse response, SessionState.Slot slot,
                             SessionState state) {
        TrustedDeviceCookie cookie = config.trustedDeviceCookie().orElse(null);
        if (cookie == null || !service.trustedDevices().enabled() || !cookie.present(request)) {
            return false;
        }
        boolean recognised = false;
        for (String token : cookie.tokens(request)) {
            if (service.trustedDevices().recognise(state.userId(), token).isPresent()) {
                recognised = true;
                break;
            }
        }
        if (!recognised) {
            // Garbage, another user's, expired or revoked, or the user locked: forget it; the challenge is shown.
            cookie.clear(request, response);
            return false;
        }
        if (!SessionState.changeSessionId(request)) {
            return false;   // the session was ended meanwhile (signed out, cancelled)
        }
        // Lost to a concurrent change of the session: the filter decides again on the state that won.
        SessionState.update(request, slot, state, state.verifiedByDevice(service.clock().instant()));
        return true;
    }

    private void clear(HttpServletRequest request, HttpServletResponse response) {
        config.trustedDeviceCookie().ifPresent(cookie -> cookie.clear(request, response));
    }
}
