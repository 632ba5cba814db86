package dev.twofactor.servlet;

import dev.twofactor.TwoFactorService;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How the servlet adapter is wired into a host application: the {@link TwoFactorService}, the paths of the host's
 * screens, and the strategies that select requests. Immutable and thread-safe; build one per application and share
 * it between the {@link TwoFactorFilter}, {@link TwoFactorSignIn} and {@link AdminUnenrolServlet}.
 *
 * <pre>{@code
 * TwoFactorWebConfig config = TwoFactorWebConfig.builder(twoFactorService)
 *         .allowlist(RequestMatcher.paths("/static/*", "/favicon.ico"))
 *         .stepUpPaths(RequestMatcher.paths("/my/profile/two-factor/regenerate", "/my/profile/two-factor/disable",
 *                 "/my/profile/two-factor/change", "/my/profile/app-passwords/*"))
 *         .appPasswordPaths(RequestMatcher.paths("/api/*"))
 *         .build();
 * }</pre>
 *
 * <p>Every time stamp (challenge start and expiry, step-up) comes from the service's clock,
 * {@link TwoFactorService#clock()}: there is no second clock to keep in step.
 *
 * <p>Defaults (paths are within the application, without the context path; screens per SPEC §14):
 * <table>
 *   <caption>settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link Builder#paths}: the screens, one {@link TwoFactorPaths} value (or one at a time with
 *       {@link Builder#loginPath} and its siblings)</td><td>{@link TwoFactorPaths#DEFAULTS}</td></tr>
 *   <tr><td>{@link Builder#challengeTtl}</td><td>10 minutes</td></tr>
 *   <tr><td>{@link Builder#currentUser}</td><td>{@link CurrentUser#SIGN_IN_HELPER}</td></tr>
 *   <tr><td>{@link Builder#allowlist}, {@link Builder#stepUpPaths}, {@link Builder#appPasswordPaths}</td>
 *       <td>{@link RequestMatcher#NONE}</td></tr>
 *   <tr><td>{@link Builder#apiRequests}</td><td>{@link RequestMatcher#ACCEPTS_JSON}</td></tr>
 *   <tr><td>{@link Builder#basicRealm}</td><td>{@value #DEFAULT_BASIC_REALM}</td></tr>
 *   <tr><td>{@link Builder#handleChallengeRequests}</td><td>{@code true}</td></tr>
 *   <tr><td>{@link Builder#crossSiteProtection}</td><td>{@link CrossSiteProtection#DEFAULT} (on)</td></tr>
 *   <tr><td>{@link Builder#enrolmentStartPaths}</td><td>the enrolment path plus {@code /start} and
 *       {@code /change}</td></tr>
 *   <tr><td>{@link Builder#stepUpBeforeEnrolment}</td><td>{@code true}</td></tr>
 *   <tr><td>{@link Builder#passwordBasicAllowed}</td><td>nobody (password HTTP Basic refused)</td></tr>
 *   <tr><td>{@link Builder#cancelPendingEnrolmentOnLeave}</td><td>{@code false}</td></tr>
 *   <tr><td>{@link Builder#requirementMaxAge}</td><td>10 seconds</td></tr>
 *   <tr><td>{@link Builder#trustedDevices}</td><td>off</td></tr>
 * </table>
 */
public final class TwoFactorWebConfig {

    /**
     * The {@link jakarta.servlet.ServletContext} attribute under which a host registers the configuration for a
     * {@link TwoFactorFilter} or {@link AdminUnenrolServlet} created by the container (web.xml) with its no-argument
     * constructor.
     */
    public static final String CONTEXT_ATTRIBUTE = TwoFactorWebConfig.class.getName();

    /** Default sign-in screen path; {@link TwoFactorPaths#DEFAULT_LOGIN}. */
    public static final String DEFAULT_LOGIN_PATH = TwoFactorPaths.DEFAULT_LOGIN;
    /** Default challenge screen path; {@link TwoFactorPaths#DEFAULT_CHALLENGE}. */
    public static final String DEFAULT_CHALLENGE_PATH = TwoFactorPaths.DEFAULT_CHALLENGE;
    /** Default path of "Sign in as a different user"; {@link TwoFactorPaths#DEFAULT_CHALLENGE_CANCEL}. */
    public static final String DEFAULT_CHALLENGE_CANCEL_PATH = TwoFactorPaths.DEFAULT_CHALLENGE_CANCEL;
    /** Default enrolment screen path; {@link TwoFactorPaths#DEFAULT_ENROLMENT}. */
    public static final String DEFAULT_ENROLMENT_PATH = TwoFactorPaths.DEFAULT_ENROLMENT;
    /** Default step-up screen path; {@link TwoFactorPaths#DEFAULT_STEP_UP}. */
    public static final String DEFAULT_STEP_UP_PATH = TwoFactorPaths.DEFAULT_STEP_UP;
    /** Default sign-out path; {@link TwoFactorPaths#DEFAULT_SIGN_OUT}. */
    public static final String DEFAULT_SIGN_OUT_PATH = TwoFactorPaths.DEFAULT_SIGN_OUT;
    /** Default home path; {@link TwoFactorPaths#DEFAULT_HOME}. */
    public static final String DEFAULT_HOME_PATH = TwoFactorPaths.DEFAULT_HOME;
    /** Default HTTP Basic realm for app passwords. */
    public static final String DEFAULT_BASIC_REALM = "twofactor";

    /** A private copy of the builder's settings, never handed out or changed. */
    private final WebSettings settings;
    private final TwoFactorPaths paths;
    private final RequestMatcher enrolmentStartPaths;

    private TwoFactorWebConfig(Builder builder) {
        this.settings = new WebSettings(builder);
        this.paths = builder.paths();
        this.enrolmentStartPaths = builder.enrolmentStartPaths != null ? builder.enrolmentStartPaths
                : RequestMatcher.paths(paths.enrolment() + "/start", paths.enrolment() + "/change");
    }

    /**
     * @param service the application's two-factor service
     * @return a builder with the defaults above
     */
    public static Builder builder(TwoFactorService service) {
        return new Builder(service);
    }

    /**
     * @return a builder initialised with this configuration
     */
    public Builder newBuilder() {
        return new Builder(settings);
    }

    /** @return the service */
    public TwoFactorService service() {
        return settings.service;
    }

    /** @return the screens' paths */
    public TwoFactorPaths paths() {
        return paths;
    }

    /** @return who passed the password check */
    public CurrentUser currentUser() {
        return settings.currentUser;
    }

    /** @return the sign-in screen path */
    public String loginPath() {
        return paths.login();
    }

    /** @return the challenge screen path */
    public String challengePath() {
        return paths.challenge();
    }

    /** @return the "Sign in as a different user" path */
    public String challengeCancelPath() {
        return paths.challengeCancel();
    }

    /** @return the enrolment screen path */
    public String enrolmentPath() {
        return paths.enrolment();
    }

    /** @return the step-up screen path */
    public String stepUpPath() {
        return paths.stepUp();
    }

    /** @return the sign-out path */
    public String signOutPath() {
        return paths.signOut();
    }

    /** @return where to continue after the challenge when nothing else was asked for */
    public String homePath() {
        return paths.home();
    }

    /** @return the paths reachable without any check (static assets) */
    public RequestMatcher allowlist() {
        return settings.allowlist;
    }

    /** @return the paths that need a recent step-up */
    public RequestMatcher stepUpPaths() {
        return settings.stepUpPaths;
    }

    /** @return the paths that accept an app password with HTTP Basic */
    public RequestMatcher appPasswordPaths() {
        return settings.appPasswordPaths;
    }

    /** @return which requests are API requests (answered with JSON) */
    public RequestMatcher apiRequests() {
        return settings.apiRequests;
    }

    /** @return how long the challenge stays open after the password was accepted */
    public Duration challengeTtl() {
        return settings.challengeTtl;
    }

    /** @return the HTTP Basic realm for app passwords */
    public String basicRealm() {
        return settings.basicRealm;
    }

    /** @return whether the filter answers challenge submissions and cancels itself */
    public boolean handleChallengeRequests() {
        return settings.handleChallengeRequests;
    }

    /** @return how cross-site state-changing requests to the SDK's paths are refused */
    public CrossSiteProtection crossSiteProtection() {
        return settings.crossSiteProtection;
    }

    /** @return the paths that start an enrolment or a change of authenticator app */
    public RequestMatcher enrolmentStartPaths() {
        return enrolmentStartPaths;
    }

    /** @return whether starting an enrolment needs a verification within the step-up window */
    public boolean stepUpBeforeEnrolment() {
        return settings.stepUpBeforeEnrolment;
    }

    /** @return the users for whom the host accepts HTTP Basic with a password (nobody by default) */
    public Predicate<String> passwordBasicAllowed() {
        return settings.passwordBasicAllowed;
    }

    /** @return whether the filter cancels a pending enrolment when the user navigates away from the enrolment area */
    public boolean cancelPendingEnrolmentOnLeave() {
        return settings.cancelPendingEnrolmentOnLeave;
    }

    /** @return how old what the filter last read about a password-only session's user may be when it relies on it */
    public Duration requirementMaxAge() {
        return settings.requirementMaxAge;
    }

    /** @return the device cookie of "remember this device", or empty when it is off ({@link TrustedDeviceSignIn}) */
    public Optional<TrustedDeviceCookie> trustedDeviceCookie() {
        return Optional.ofNullable(settings.trustedDeviceCookie);
    }

    @Override
    public String toString() {
        return "TwoFactorWebConfig[paths=" + paths + ", challengeTtl=" + settings.challengeTtl + ", basicRealm="
                + settings.basicRealm + ", handleChallengeRequests=" + settings.handleChallengeRequests
                + ", crossSiteProtection=" + settings.crossSiteProtection + "]";
    }

    /**
     * Builds a {@link TwoFactorWebConfig}; each setter validates at once, {@link #build()} checks that the paths fit
     * together.
     */
    public static final class Builder extends WebSettings {

        private Builder(TwoFactorService service) {
            super(service);
        }

        private Builder(WebSettings settings) {
            super(settings);
        }

        /**
         * @param screens the paths of all the screens at once; default {@link TwoFactorPaths#DEFAULTS}
         * @return this builder
         */
        public Builder paths(TwoFactorPaths screens) {
            Objects.requireNonNull(screens, "paths");
            this.paths = new String[] {screens.login(), screens.challenge(), screens.challengeCancel(),
                screens.enrolment(), screens.stepUp(), screens.signOut(), screens.home()};
            return this;
        }

        /**
         * @param currentUser who passed the password check; default {@link CurrentUser#SIGN_IN_HELPER}
         * @return this builder
         */
        public Builder currentUser(CurrentUser currentUser) {
            this.currentUser = Objects.requireNonNull(currentUser, "currentUser");
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#login()}, checked at once (default {@value #DEFAULT_LOGIN_PATH})
         * @return this builder
         */
        public Builder loginPath(String path) {
            this.paths[0] = TwoFactorPaths.check("loginPath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#challenge()}, checked at once (default {@value #DEFAULT_CHALLENGE_PATH})
         * @return this builder
         */
        public Builder challengePath(String path) {
            this.paths[1] = TwoFactorPaths.check("challengePath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#challengeCancel()}, checked at once
         *             (default {@value #DEFAULT_CHALLENGE_CANCEL_PATH})
         * @return this builder
         */
        public Builder challengeCancelPath(String path) {
            this.paths[2] = TwoFactorPaths.check("challengeCancelPath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#enrolment()}, checked at once (default {@value #DEFAULT_ENROLMENT_PATH})
         * @return this builder
         */
        public Builder enrolmentPath(String path) {
            this.paths[3] = TwoFactorPaths.check("enrolmentPath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#stepUp()}, checked at once (default {@value #DEFAULT_STEP_UP_PATH})
         * @return this builder
         */
        public Builder stepUpPath(String path) {
            this.paths[4] = TwoFactorPaths.check("stepUpPath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#signOut()}, checked at once (default {@value #DEFAULT_SIGN_OUT_PATH})
         * @return this builder
         */
        public Builder signOutPath(String path) {
            this.paths[5] = TwoFactorPaths.check("signOutPath", path, false);
            return this;
        }

        /**
         * @param path {@link TwoFactorPaths#home()}, checked at once (default {@value #DEFAULT_HOME_PATH})
         * @return this builder
         */
        public Builder homePath(String path) {
            this.paths[6] = TwoFactorPaths.check("homePath", path, true);
            return this;
        }

        /**
         * @param matcher requests that pass without any check or session access (static assets); default
         *                {@link RequestMatcher#NONE}. Never allowlist anything that shows or changes user data.
         * @return this builder
         */
        public Builder allowlist(RequestMatcher matcher) {
            this.allowlist = Objects.requireNonNull(matcher, "allowlist");
            return this;
        }

        /**
         * @param matcher requests that need a verification within the service's step-up window (regenerate recovery
         *                codes, change the authenticator app, disable, create app passwords); default
         *                {@link RequestMatcher#NONE}
         * @return this builder
         */
        public Builder stepUpPaths(RequestMatcher matcher) {
            this.stepUpPaths = Objects.requireNonNull(matcher, "stepUpPaths");
            return this;
        }

        /**
         * @param matcher requests that may authenticate with an app password by HTTP Basic
         *                ({@code user:20 digits}); default {@link RequestMatcher#NONE}
         * @return this builder
         */
        public Builder appPasswordPaths(RequestMatcher matcher) {
            this.appPasswordPaths = Objects.requireNonNull(matcher, "appPasswordPaths");
            return this;
        }

        /**
         * @param matcher API requests, answered with status codes and JSON bodies instead of redirects; default
         *                {@link RequestMatcher#ACCEPTS_JSON}
         * @return this builder
         */
        public Builder apiRequests(RequestMatcher matcher) {
            this.apiRequests = Objects.requireNonNull(matcher, "apiRequests");
            return this;
        }

        /**
         * @param ttl how long after the password was accepted the challenge can be passed, more than zero and at
         *            most a day; default 10 minutes
         * @return this builder
         */
        public Builder challengeTtl(Duration ttl) {
            this.challengeTtl = checkChallengeTtl(ttl);
            return this;
        }

        /**
         * @param realm the realm named in {@code WWW-Authenticate} when an app password is refused: 1 to 100
         *              printable ASCII characters, no quote or backslash; default {@value #DEFAULT_BASIC_REALM}
         * @return this builder
         */
        public Builder basicRealm(String realm) {
            this.basicRealm = checkBasicRealm(realm);
            return this;
        }

        /**
         * @param handle whether the filter itself answers {@code POST} to the challenge path (fields {@code code} and
         *               {@code recoveryCode}) and to the cancel path (any other method there gets 405);
         *               {@code false} when the host's own handlers call {@link TwoFactorSignIn}; default {@code true}
         * @return this builder
         */
        public Builder handleChallengeRequests(boolean handle) {
            this.handleChallengeRequests = handle;
            return this;
        }

        /**
         * @param protection how cross-site state-changing requests to the SDK's paths are refused (Fetch Metadata,
         *                   {@code Origin} as fallback); default {@link CrossSiteProtection#DEFAULT} (on);
         *                   {@link CrossSiteProtection#OFF} only when the host protects those paths itself
         * @return this builder
         */
        public Builder crossSiteProtection(CrossSiteProtection protection) {
            this.crossSiteProtection = Objects.requireNonNull(protection, "crossSiteProtection");
            return this;
        }

        /**
         * @param matcher the requests that start an enrolment or a change of authenticator app; they need a
         *                verification within the step-up window while {@link #stepUpBeforeEnrolment} is on. Default
         *                the enrolment path plus {@code /start} and {@code /change}
         *                ({@code /my/profile/two-factor/start}, {@code /my/profile/two-factor/change})
         * @return this builder
         */
        public Builder enrolmentStartPaths(RequestMatcher matcher) {
            this.enrolmentStartPaths = Objects.requireNonNull(matcher, "enrolmentStartPaths");
            return this;
        }

        /**
         * @param required whether starting an enrolment (first or change of app) needs a verification within the
         *                 service's step-up window: the filter treats the {@link #enrolmentStartPaths} as step-up
         *                 paths, and {@link TwoFactorSignIn#startEnrolment} and
         *                 {@link TwoFactorSignIn#changeAuthenticator} refuse without one. The password accepted at
         *                 sign-in counts as a verification at that instant. Default {@code true}; turn it off only
         *                 when users have no password or code to step up with
         * @return this builder
         */
        public Builder stepUpBeforeEnrolment(boolean required) {
            this.stepUpBeforeEnrolment = required;
            return this;
        }

        /**
         * @param allowed the users (integrations) for whom the host accepts HTTP Basic with their password, which
         *                two-factor authentication does not protect; for anyone else the filter refuses it (403
         *                {@code password_basic_refused}; 401 on the app-password paths) before the host sees it.
         *                Asked with the user id of a well-formed credential, unauthenticated: must be cheap,
         *                thread-safe and side-effect free, for example {@code Set.of("jenkins")::contains}. Default
         *                nobody
         * @return this builder
         */
        public Builder passwordBasicAllowed(Predicate<String> allowed) {
            this.passwordBasicAllowed = Objects.requireNonNull(allowed, "passwordBasicAllowed");
            return this;
        }

        /**
         * @param cancel whether the filter discards a pending enrolment started in this session (through
         *               {@link TwoFactorSignIn#startEnrolment} or {@link TwoFactorSignIn#changeAuthenticator}) when
         *               the user navigates to an HTML page outside the enrolment area and the step-up screen (a
         *               {@code GET} asking for {@code text/html}, not a script, image or API call), so a secret shown
         *               once does not stay usable; default {@code false}
         * @return this builder
         */
        public Builder cancelPendingEnrolmentOnLeave(boolean cancel) {
            this.cancelPendingEnrolmentOnLeave = cancel;
            return this;
        }

        /**
         * @param maxAge how long the filter relies on its last {@link TwoFactorService#requirementFor} answer for a
         *               signed-in session without a proved second factor (no store query per request meanwhile): an
         *               enrolment elsewhere or a policy change reaches it within this bound ({@link TwoFactorFilter},
         *               "Cost"); zero reads on every request; at most 10 minutes; default 10 seconds
         * @return this builder
         */
        public Builder requirementMaxAge(Duration maxAge) {
            this.requirementMaxAge = SessionFacts.checkMaxAge(maxAge);
            return this;
        }

        /**
         * @param cookie offer "remember this device" with this cookie ({@link TrustedDeviceSignIn}; the service's
         *               trusted devices must be on too); default off ({@code null})
         * @return this builder
         */
        public Builder trustedDevices(TrustedDeviceCookie cookie) {
            this.trustedDeviceCookie = cookie;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException if two screens share a path, or the home path would end the session (the
         *                               checks of {@link TwoFactorPaths})
         */
        public TwoFactorWebConfig build() {
            return new TwoFactorWebConfig(this);
        }
    }
}
