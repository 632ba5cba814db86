package dev.twofactor.servlet;

import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorTexts;
import dev.twofactor.UserContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Enforces two-factor authentication (SPEC §6–§10) for a servlet application, so that the application itself
 * contains no security logic for it:
 * <ul>
 *   <li><b>Half-open sign-in.</b> After {@link TwoFactorSignIn#passwordAccepted} found the challenge due, every
 *       request except the challenge screen (and the paths beneath it), its cancel, sign-out and allowlisted paths
 *       is refused: browsers get a 302 to the challenge screen (the page asked for is remembered and reached after
 *       the challenge), API requests a 401 with {@code {"error":"two_factor_required",...}}. A challenge older than
 *       its time to live ends the session and sends the user back to sign-in (401 {@code challenge_expired} for
 *       API requests). Until the challenge passes, {@code getRemoteUser()} and
 *       {@link TwoFactorSessions#signedInUser} name nobody.</li>
 *   <li><b>Remembered devices.</b> With {@link TwoFactorWebConfig.Builder#trustedDevices}, a half-open request
 *       carrying a device cookie recognised for the session's user signs the session in without the challenge, under
 *       a new session id and without counting as a step-up ({@link TrustedDeviceSignIn}).</li>
 *   <li><b>Challenge.</b> With {@link TwoFactorWebConfig#handleChallengeRequests()} (the default) the filter
 *       answers {@code POST} to the challenge path ({@link TwoFactorSignIn#handleChallengeSubmission}) and to the
 *       cancel path itself (any other method on the cancel path gets 405: cancelling changes state); the host renders
 *       only the challenge screen.</li>
 *   <li><b>Cross-site requests.</b> A state-changing request from another site to a path the SDK owns (the
 *       challenge, its cancel, step-up, the enrolment area, the step-up paths) gets 403 before anything else is
 *       looked at ({@link CrossSiteProtection}: Fetch Metadata, {@code Origin} as fallback; on by default).</li>
 *   <li><b>Organisation policy.</b> A signed-in user who must enrol is sent from every page to the enrolment screen
 *       (403 {@code enrolment_required} for API requests); the enrolment screen and the paths beneath it, the
 *       step-up screen, the challenge and sign-out stay reachable. The requirement, with
 *       {@link dev.twofactor.OrganisationPolicy#ENROLMENT_REQUIRED_MESSAGE}, is on every request as
 *       {@link TwoFactorSessions#enrolmentRequirement} (during a grace period as a reminder only).</li>
 *   <li><b>Step-up.</b> A configured sensitive path reached more than the service's step-up window after the
 *       session last proved the password or a code redirects to the step-up screen with a local
 *       {@code returnTo} (403 {@code step_up_required} for API requests).</li>
 *   <li><b>App passwords.</b> On configured paths, an {@code Authorization: Basic} header with {@code user:app
 *       password} is checked with {@link TwoFactorService#verifyAppPassword}; the request proceeds with the grant
 *       ({@link TwoFactorSessions#appPasswordGrant}), or gets 401 with {@code WWW-Authenticate}, or 429 with
 *       {@code Retry-After} during a backoff. A credential that cannot be right (not base64 or UTF-8, no colon, a
 *       user id that is empty, longer than 255 characters or holds a control character, an empty password or one
 *       over 128 characters) gets the same 401 without any service or store call.</li>
 *   <li><b>Password HTTP Basic.</b> A Basic credential that is no app password (anywhere but the app-password paths,
 *       or not of an app password's form there) is refused (403 {@code password_basic_refused}, or the app
 *       password's 401) unless {@link TwoFactorWebConfig#passwordBasicAllowed()} names the user; allowlisted
 *       (static) paths are passed on as always.</li>
 * </ul>
 *
 * <p><b>Cost.</b> A session that passed the challenge is decided from the session state alone: no store query per
 * request; so is a half-open one. A signed-in session that has not proved a second factor (the user has none, is
 * under the policy or its grace period) asks {@link TwoFactorService#requirementFor} once and relies on the answer
 * for {@link TwoFactorWebConfig#requirementMaxAge()} (default 10 s; zero asks on every request), kept in the session
 * with the instant of the read: no store query per request meanwhile. So within that bound, and not later, on
 * every node alike, the user enabling two-factor authentication in another session or on another node sends this
 * session to the challenge (a session holding only the password is cut off) and a policy change applies. A change of
 * this session's own state through {@link TwoFactorSignIn} (a disable, a step-up, {@link TwoFactorSignIn#refresh})
 * reads again on its next request; the end of a grace period applies on time. A half-open session stays half-open
 * whatever changes elsewhere: only the challenge, its expiry, its cancel or sign-out end it.
 *
 * <p><b>Where it goes in the chain.</b> After the host's session and authentication filters (so the session and,
 * with a custom {@link CurrentUser}, the host's user are known) and before every application servlet and filter
 * that shows or changes user data; mapped to {@code /*} for {@link DispatcherType#REQUEST}. Paths are matched on
 * the container's normalised servlet path plus path info.
 *
 * <p><b>Dispatcher types.</b> The filter decides on {@link DispatcherType#REQUEST} dispatches only and passes
 * {@code FORWARD}, {@code INCLUDE}, {@code ASYNC} and {@code ERROR} dispatches on unchanged, so mapping it for
 * {@code REQUEST} alone (as above) and mapping it for every type protect the same. This is deliberate: each of those
 * dispatches continues a request that this filter already decided on as a {@code REQUEST} (a refused request is
 * answered directly with a status, never with {@code sendError}, so it causes no error dispatch), and deciding again
 * would break views the allowed screens forward to (a challenge page rendered by a template) and error pages. A
 * container error raised before any filter ran (a malformed URI) dispatches only to the host's fixed error page;
 * such a page, like every page, must take the signed-in user from {@link TwoFactorSessions#signedInUser}, which
 * stays empty while the session is half-open.
 *
 * <p><b>Caching.</b> Answers the filter writes itself carry {@code Cache-Control: no-store}. The screens that show a
 * new secret, recovery codes or app passwords once (the enrolment path and the paths beneath it, the challenge path
 * and the paths beneath it, the step-up screen and the step-up paths) get {@code Cache-Control: no-store} before
 * the host renders them; a host that sets its own {@code Cache-Control} there replaces it.
 *
 * <p><b>Registration</b>, programmatically (a {@code ServletContainerInitializer}, a {@code ServletContextListener}
 * or an embedded container):
 * <pre>{@code
 * FilterRegistration.Dynamic twoFactor = servletContext.addFilter("twoFactor", new TwoFactorFilter(config));
 * twoFactor.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
 * }</pre>
 * or in {@code web.xml}, with the configuration stored in the servlet context under
 * {@link TwoFactorWebConfig#CONTEXT_ATTRIBUTE} by a listener before filters start:
 * <pre>{@code
 * <listener><listener-class>com.example.TwoFactorSetup</listener-class></listener>
 * <filter>
 *     <filter-name>twoFactor</filter-name>
 *     <filter-class>dev.twofactor.servlet.TwoFactorFilter</filter-class>
 * </filter>
 * <filter-mapping>
 *     <filter-name>twoFactor</filter-name>
 *     <url-pattern>/*</url-pattern>
 * </filter-mapping>
 * }</pre>
 *
 * <p>Thread-safe: one instance serves all requests. It never echoes or logs a code, password or user id; its only
 * log lines are one per refused HTTP Basic credential: at DEBUG when it was malformed (naming only the kind of
 * defect), at WARN when the service threw for it (naming only the exception class).
 */
public final class TwoFactorFilter implements Filter {

    private volatile Wiring wiring;

    /**
     * For containers that create the filter ({@code web.xml}): the configuration is read from the servlet context
     * attribute {@link TwoFactorWebConfig#CONTEXT_ATTRIBUTE} in {@link #init}.
     */
    public TwoFactorFilter() {
    }

    /**
     * @param config the configuration
     */
    public TwoFactorFilter(TwoFactorWebConfig config) {
        this.wiring = new Wiring(Objects.requireNonNull(config, "config"));
    }

    /**
     * Reads the configuration from the servlet context if none was given to the constructor.
     *
     * @throws IllegalStateException if neither the constructor nor the servlet context supplied one
     */
    @Override
    public void init(FilterConfig filterConfig) {
        if (wiring == null) {
            this.wiring = new Wiring(WebSettings.from(filterConfig.getServletContext()));
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)
                || servletRequest.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        Wiring current = wiring;
        if (current == null) {
            throw new IllegalStateException("TwoFactorFilter used before init: no TwoFactorWebConfig");
        }
        new Decision(current, request, response, chain).run();
    }

    /** The configuration and the capabilities built from it once. */
    private static final class Wiring {
        final TwoFactorWebConfig config;
        final TwoFactorSignIn signIn;
        final BasicAuthentication basic;
        final HalfOpenRequests halfOpen;

        Wiring(TwoFactorWebConfig config) {
            this.config = config;
            this.signIn = new TwoFactorSignIn(config);
            this.basic = new BasicAuthentication(config);
            this.halfOpen = new HalfOpenRequests(config, signIn, new TrustedDeviceSignIn(config));
        }
    }

    /** One request's walk through the rules; not shared between threads. */
    private static final class Decision {
        private final TwoFactorWebConfig config;
        private final TwoFactorService service;
        private final TwoFactorSignIn signIn;
        private final BasicAuthentication basic;
        private final HalfOpenRequests halfOpen;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final FilterChain chain;
        private final String path;

        Decision(Wiring wiring, HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
            this.config = wiring.config;
            this.service = config.service();
            this.signIn = wiring.signIn;
            this.basic = wiring.basic;
            this.halfOpen = wiring.halfOpen;
            this.request = request;
            this.response = response;
            this.chain = chain;
            this.path = RequestMatcher.pathWithinApplication(request);
        }

        void run() throws IOException, ServletException {
            String authorization = request.getHeader("Authorization");
            if (BasicCredentials.isBasic(authorization)) {
                boolean appPasswordPath = config.appPasswordPaths().matches(request);
                if ((appPasswordPath || !config.allowlist().matches(request)) && basic.handle(authorization,
                        appPasswordPath, config.apiRequests().matches(request), request, response, chain)) {
                    return;
                }
            }
            if (config.allowlist().matches(request)) {
                chain.doFilter(request, response);
                return;
            }
            boolean api = config.apiRequests().matches(request);
            if (ownedPath() && config.crossSiteProtection().refuses(request)) {
                CrossSiteProtection.answerRefused(request, response, api, config.homePath());
                return;
            }
            if (showsSecrets()) {
                // The secret, recovery codes and app passwords are shown once: no cache may keep these screens.
                // The host may still set its own Cache-Control, which replaces this one.
                response.setHeader("Cache-Control", "no-store");
            }
            SessionState.Slot slot = SessionState.slotOf(request);
            UserContext hostUser = null;
            if (config.currentUser() != CurrentUser.SIGN_IN_HELPER) {
                hostUser = config.currentUser().passwordAuthenticated(request);
                slot = reconcile(slot, hostUser);
            }
            if (config.handleChallengeRequests()) {
                if (path.equals(config.challengeCancelPath()) && !"POST".equals(request.getMethod())) {
                    // Cancel changes state: never on GET (a cross-site <img> must not end a sign-in).
                    response.setHeader("Allow", "POST");
                    String message = ServletTexts.text(TwoFactorTexts.Key.CHALLENGE_CANCEL_NEEDS_POST);
                    if (api) {
                        Responses.json(response, 405, Json.object().put("error", "method_not_allowed")
                                .put("message", message));
                    } else {
                        Responses.html(request, response, 405, message, config.challengePath(),
                                ServletTexts.text(TwoFactorTexts.Key.LINK_BACK));
                    }
                    return;
                }
                if (path.equals(config.challengeCancelPath()) && slot != null && slot.get().halfOpen()) {
                    signIn.cancelChallenge(request);
                    if (api) {
                        Responses.noContent(response);
                    } else {
                        Responses.redirect(request, response, config.loginPath());
                    }
                    return;
                }
                if (path.equals(config.challengePath()) && "POST".equals(request.getMethod())) {
                    signIn.handleChallengeSubmission(request, response);
                    return;
                }
            }
            if (slot == null) {
                // Nobody passed a password in this session: the host's own authentication decides.
                chain.doFilter(request, response);
                return;
            }
            decide(slot, hostUser, api);
        }

        /**
         * With a host-supplied {@link CurrentUser}: forget the state when the host no longer reports a user, and
         * start the second step when it reports a different one.
         */
        private SessionState.Slot reconcile(SessionState.Slot slot, UserContext hostUser) {
            if (hostUser == null) {
                if (slot != null) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        try {
                            session.removeAttribute(SessionState.ATTRIBUTE);
                        } catch (IllegalStateException invalidated) {
                            // Signed out concurrently: nothing left to forget.
                        }
                    }
                }
                return null;
            }
            if (slot != null && slot.get().userId().equals(hostUser.userId())) {
                return slot;
            }
            Instant now = service.clock().instant();
            Requirement requirement = service.requirementFor(hostUser);
            SessionState state = TwoFactorSignIn.initialState(hostUser, requirement, now);
            HttpSession session = request.getSession(true);
            SessionState.install(session, state);
            SessionFacts.remember(session, state, hostUser, requirement, now, config.requirementMaxAge());
            return SessionState.slotOf(session);
        }

        private void decide(SessionState.Slot slot, UserContext hostUser, boolean api)
                throws IOException, ServletException {
            Instant now = service.clock().instant();
            while (true) {
                SessionState state = slot.get();
                if (state.halfOpen()) {
                    if (halfOpen.answer(request, response, chain, path, slot, state, api, now)) {
                        continue;   // a remembered device signed the session in: decide as signed in
                    }
                    return;
                }
                Requirement.Enrol enrol = null;
                // A session that passed the challenge is decided from the session alone: no store query. One without
                // a proved second factor reads at most every requirementMaxAge (SessionFacts); a recheck reads now.
                if (!state.secondFactorVerified() || state.recheck()) {
                    UserContext user = hostUser != null ? hostUser : state.userContext();
                    Requirement requirement = state.secondFactorVerified() ? service.requirementFor(user)
                            : SessionFacts.requirement(request, service, config.requirementMaxAge(), state, user, now);
                    SessionState next;
                    if (requirement instanceof Requirement.Challenge) {
                        // Enabled elsewhere (another session, the host calling the service): this session has not
                        // proved the second factor, so it owes the challenge now.
                        next = state.secondFactorVerified() ? state.withRecheck(false) : state.challengeDue(now);
                    } else {
                        next = state.secondFactorVerified() ? state.withoutSecondFactor() : state;
                        if (requirement instanceof Requirement.Enrol required) {
                            enrol = required;
                        }
                    }
                    if (next != state) {
                        if (!SessionState.update(request, slot, state, next)) {
                            continue;   // changed by a concurrent request of the session: decide again
                        }
                        if (next.halfOpen()) {
                            if (halfOpen.answer(request, response, chain, path, slot, next, api, now)) {
                                continue;
                            }
                            return;
                        }
                        state = next;
                    }
                }
                if (enrol != null) {
                    request.setAttribute(TwoFactorSessions.ENROLMENT_REQUIREMENT_ATTRIBUTE, enrol);
                    if (enrol.enforced() && !reachableUnderPolicy()) {
                        Responses.refuse(request, response, api, 403, "enrolment_required", enrol.message(),
                                config.enrolmentPath());
                        return;
                    }
                }
                if (needsStepUp() && service.stepUpRequired(state.verifiedAt())) {
                    // A zero window ("ask every time"): the step-up just before left a grant for one action. A
                    // page (GET, HEAD) is shown while the grant lasts; the action (any other method) uses it up.
                    boolean page = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
                    Instant grant = !service.stepUpWindow().isZero() ? null : page
                            ? SessionState.peekOneTimeStepUp(request, state.userId(), now,
                                    TwoFactorService.ONE_TIME_STEP_UP_TTL)
                            : SessionState.takeOneTimeStepUp(request, state.userId(), now,
                                    TwoFactorService.ONE_TIME_STEP_UP_TTL);
                    if (grant == null) {
                        stepUp(api);
                        return;
                    }
                    if (!page) {
                        request.setAttribute(TwoFactorSignIn.ONE_TIME_STEP_UP_ATTRIBUTE, grant);
                    }
                }
                if (state.enrolmentStarted() && config.cancelPendingEnrolmentOnLeave() && leavesEnrolment()) {
                    // Navigating away discards the pending secret (SPEC §4): it was shown once, on a page left now.
                    service.cancelEnrolment(state.userId());
                    SessionState.change(request, state.userId(), current -> current.withEnrolmentStarted(false));
                }
                chain.doFilter(AuthenticatedRequest.signedIn(request, state.userId()), response);
                return;
            }
        }

        private void stepUp(boolean api) throws IOException {
            if (api) {
                Responses.refuse(request, response, true, 403, "step_up_required",
                        EnrolmentStart.StepUpRequired.MESSAGE, config.stepUpPath());
                return;
            }
            Optional<String> target = "GET".equals(request.getMethod()) ? HalfOpenRequests.localTarget(request)
                    : Optional.empty();
            if (target.isPresent()) {
                Responses.redirect(request, response, config.stepUpPath(), TwoFactorSignIn.RETURN_TO_PARAMETER,
                        target.get());
            } else {
                Responses.redirect(request, response, config.stepUpPath());
            }
        }

        /** The step-up paths, and the enrolment-start paths while a step-up is required before enrolment. */
        private boolean needsStepUp() {
            return config.stepUpPaths().matches(request)
                    || config.stepUpBeforeEnrolment() && config.enrolmentStartPaths().matches(request);
        }

        /**
         * A navigation to an HTML page outside the enrolment area, the step-up screen and the enrolment-start paths:
         * a {@code GET} that asks for {@code text/html} and, when the browser says, is for a document (not an image,
         * script, frame or {@code fetch}).
         */
        private boolean leavesEnrolment() {
            String accept = request.getHeader("Accept");
            String destination = request.getHeader("Sec-Fetch-Dest");
            return "GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")
                    && (destination == null || "document".equals(destination))
                    && !under(config.enrolmentPath()) && !path.equals(config.stepUpPath())
                    && !config.enrolmentStartPaths().matches(request);
        }

        /** The paths whose state-changing requests the SDK answers or guards: refused when cross-site. */
        private boolean ownedPath() {
            return under(config.challengePath()) || path.equals(config.challengeCancelPath())
                    || path.equals(config.stepUpPath()) || under(config.enrolmentPath())
                    || config.stepUpPaths().matches(request) || config.enrolmentStartPaths().matches(request)
                    || config.crossSiteProtection().extraPaths().matches(request);
        }

        private boolean reachableUnderPolicy() {
            return under(config.enrolmentPath()) || under(config.challengePath())
                    || path.equals(config.challengeCancelPath()) || path.equals(config.signOutPath())
                    || path.equals(config.stepUpPath());
        }

        /** The enrolment area, the challenge and step-up screens and the step-up paths (app passwords, codes). */
        private boolean showsSecrets() {
            return under(config.enrolmentPath()) || under(config.challengePath()) || path.equals(config.stepUpPath())
                    || config.stepUpPaths().matches(request) || config.enrolmentStartPaths().matches(request);
        }

        private boolean under(String base) {
            return HalfOpenRequests.under(path, base);
        }

    }
}
