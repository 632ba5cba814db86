package dev.twofactor.servlet;

import dev.twofactor.TwoFactorService;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

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
 * <p>Defaults (paths are within the application, without the context path; screens per SPEC §14):
 * <table>
 *   <caption>settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link Builder#loginPath}</td><td>{@value #DEFAULT_LOGIN_PATH}</td></tr>
 *   <tr><td>{@link Builder#challengePath}</td><td>{@value #DEFAULT_CHALLENGE_PATH}</td></tr>
 *   <tr><td>{@link Builder#challengeCancelPath}</td><td>{@value #DEFAULT_CHALLENGE_CANCEL_PATH}</td></tr>
 *   <tr><td>{@link Builder#enrolmentPath}</td><td>{@value #DEFAULT_ENROLMENT_PATH}</td></tr>
 *   <tr><td>{@link Builder#stepUpPath}</td><td>{@value #DEFAULT_STEP_UP_PATH}</td></tr>
 *   <tr><td>{@link Builder#signOutPath}</td><td>{@value #DEFAULT_SIGN_OUT_PATH}</td></tr>
 *   <tr><td>{@link Builder#homePath}</td><td>{@value #DEFAULT_HOME_PATH}</td></tr>
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
 *   <tr><td>{@link Builder#clock}</td><td>{@link Clock#systemUTC()}</td></tr>
 * </table>
 */
public final class TwoFactorWebConfig {

    /**
     * The {@link ServletContext} attribute under which a host registers the configuration for a
     * {@link TwoFactorFilter} or {@link AdminUnenrolServlet} created by the container (web.xml) with its no-argument
     * constructor.
     */
    public static final String CONTEXT_ATTRIBUTE = TwoFactorWebConfig.class.getName();

    /** Default sign-in screen path. */
    public static final String DEFAULT_LOGIN_PATH = "/login";
    /** Default challenge screen path. */
    public static final String DEFAULT_CHALLENGE_PATH = "/login/two-factor";
    /** Default path of "Sign in as a different user". */
    public static final String DEFAULT_CHALLENGE_CANCEL_PATH = "/login/two-factor/cancel";
    /** Default enrolment (security settings) screen path. */
    public static final String DEFAULT_ENROLMENT_PATH = "/my/profile/two-factor";
    /** Default step-up ("Unlock settings") screen path. */
    public static final String DEFAULT_STEP_UP_PATH = "/my/profile/two-factor/unlock";
    /** Default sign-out path. */
    public static final String DEFAULT_SIGN_OUT_PATH = "/logout";
    /** Default path to continue at after the challenge when no page was asked for before it. */
    public static final String DEFAULT_HOME_PATH = "/";
    /** Default HTTP Basic realm for app passwords. */
    public static final String DEFAULT_BASIC_REALM = "twofactor";

    private static final Duration MAX_CHALLENGE_TTL = Duration.ofDays(1);

    private final TwoFactorService service;
    private final Clock clock;
    private final CurrentUser currentUser;
    private final String loginPath;
    private final String challengePath;
    private final String challengeCancelPath;
    private final String enrolmentPath;
    private final String stepUpPath;
    private final String signOutPath;
    private final String homePath;
    private final RequestMatcher allowlist;
    private final RequestMatcher stepUpPaths;
    private final RequestMatcher appPasswordPaths;
    private final RequestMatcher apiRequests;
    private final Duration challengeTtl;
    private final String basicRealm;
    private final boolean handleChallengeRequests;
    private final CrossSiteProtection crossSiteProtection;
    private final RequestMatcher enrolmentStartPaths;
    private final boolean stepUpBeforeEnrolment;

    private TwoFactorWebConfig(Builder builder) {
        this.service = builder.service;
        this.clock = builder.clock;
        this.currentUser = builder.currentUser;
        this.loginPath = builder.loginPath;
        this.challengePath = builder.challengePath;
        this.challengeCancelPath = builder.challengeCancelPath;
        this.enrolmentPath = builder.enrolmentPath;
        this.stepUpPath = builder.stepUpPath;
        this.signOutPath = builder.signOutPath;
        this.homePath = builder.homePath;
        this.allowlist = builder.allowlist;
        this.stepUpPaths = builder.stepUpPaths;
        this.appPasswordPaths = builder.appPasswordPaths;
        this.apiRequests = builder.apiRequests;
        this.challengeTtl = builder.challengeTtl;
        this.basicRealm = builder.basicRealm;
        this.handleChallengeRequests = builder.handleChallengeRequests;
        this.crossSiteProtection = builder.crossSiteProtection;
        this.enrolmentStartPaths = builder.enrolmentStartPaths != null ? builder.enrolmentStartPaths
                : RequestMatcher.paths(builder.enrolmentPath + "/start", builder.enrolmentPath + "/change");
        this.stepUpBeforeEnrolment = builder.stepUpBeforeEnrolment;
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
        return new Builder(this);
    }

    /**
     * The configuration a host stored under {@link #CONTEXT_ATTRIBUTE}.
     *
     * @param context the servlet context
     * @return the configuration
     * @throws IllegalStateException if none was stored
     */
    static TwoFactorWebConfig from(ServletContext context) {
        if (context.getAttribute(CONTEXT_ATTRIBUTE) instanceof TwoFactorWebConfig config) {
            return config;
        }
        throw new IllegalStateException("No TwoFactorWebConfig in the servlet context attribute " + CONTEXT_ATTRIBUTE
                + ": store one there (for example in a ServletContextListener) before the filter starts, or pass it"
                + " to the constructor");
    }

    /** @return the service */
    public TwoFactorService service() {
        return service;
    }

    /** @return the clock that times challenges; the service's clock */
    public Clock clock() {
        return clock;
    }

    /** @return who passed the password check */
    public CurrentUser currentUser() {
        return currentUser;
    }

    /** @return the sign-in screen path */
    public String loginPath() {
        return loginPath;
    }

    /** @return the challenge screen path */
    public String challengePath() {
        return challengePath;
    }

    /** @return the "Sign in as a different user" path */
    public String challengeCancelPath() {
        return challengeCancelPath;
    }

    /** @return the enrolment screen path */
    public String enrolmentPath() {
        return enrolmentPath;
    }

    /** @return the step-up screen path */
    public String stepUpPath() {
        return stepUpPath;
    }

    /** @return the sign-out path */
    public String signOutPath() {
        return signOutPath;
    }

    /** @return where to continue after the challenge when nothing else was asked for */
    public String homePath() {
        return homePath;
    }

    /** @return the paths reachable without any check (static assets) */
    public RequestMatcher allowlist() {
        return allowlist;
    }

    /** @return the paths that need a recent step-up */
    public RequestMatcher stepUpPaths() {
        return stepUpPaths;
    }

    /** @return the paths that accept an app password with HTTP Basic */
    public RequestMatcher appPasswordPaths() {
        return appPasswordPaths;
    }

    /** @return which requests are API requests (answered with JSON) */
    public RequestMatcher apiRequests() {
        return apiRequests;
    }

    /** @return how long the challenge stays open after the password was accepted */
    public Duration challengeTtl() {
        return challengeTtl;
    }

    /** @return the HTTP Basic realm for app passwords */
    public String basicRealm() {
        return basicRealm;
    }

    /** @return whether the filter answers challenge submissions and cancels itself */
    public boolean handleChallengeRequests() {
        return handleChallengeRequests;
    }

    /** @return how cross-site state-changing requests to the SDK's paths are refused */
    public CrossSiteProtection crossSiteProtection() {
        return crossSiteProtection;
    }

    /** @return the paths that start an enrolment or a change of authenticator app */
    public RequestMatcher enrolmentStartPaths() {
        return enrolmentStartPaths;
    }

    /** @return whether starting an enrolment needs a verification within the step-up window */
    public boolean stepUpBeforeEnrolment() {
        return stepUpBeforeEnrolment;
    }

    @Override
    public String toString() {
        return "TwoFactorWebConfig[loginPath=" + loginPath + ", challengePath=" + challengePath
                + ", challengeCancelPath=" + challengeCancelPath + ", enrolmentPath=" + enrolmentPath
                + ", stepUpPath=" + stepUpPath + ", signOutPath=" + signOutPath + ", homePath=" + homePath
                + ", challengeTtl=" + challengeTtl + ", basicRealm=" + basicRealm
                + ", handleChallengeRequests=" + handleChallengeRequests + ", crossSiteProtection="
                + crossSiteProtection + "]";
    }

    /**
     * Builds a {@link TwoFactorWebConfig}; each setter validates at once, {@link #build()} checks that the paths fit
     * together.
     */
    public static final class Builder {
        private final TwoFactorService service;
        private Clock clock = Clock.systemUTC();
        private CurrentUser currentUser = CurrentUser.SIGN_IN_HELPER;
        private String loginPath = DEFAULT_LOGIN_PATH;
        private String challengePath = DEFAULT_CHALLENGE_PATH;
        private String challengeCancelPath = DEFAULT_CHALLENGE_CANCEL_PATH;
        private String enrolmentPath = DEFAULT_ENROLMENT_PATH;
        private String stepUpPath = DEFAULT_STEP_UP_PATH;
        private String signOutPath = DEFAULT_SIGN_OUT_PATH;
        private String homePath = DEFAULT_HOME_PATH;
        private RequestMatcher allowlist = RequestMatcher.NONE;
        private RequestMatcher stepUpPaths = RequestMatcher.NONE;
        private RequestMatcher appPasswordPaths = RequestMatcher.NONE;
        private RequestMatcher apiRequests = RequestMatcher.ACCEPTS_JSON;
        private Duration challengeTtl = Duration.ofMinutes(10);
        private String basicRealm = DEFAULT_BASIC_REALM;
        private boolean handleChallengeRequests = true;
        private CrossSiteProtection crossSiteProtection = CrossSiteProtection.DEFAULT;
        private RequestMatcher enrolmentStartPaths;
        private boolean stepUpBeforeEnrolment = true;

        private Builder(TwoFactorService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        private Builder(TwoFactorWebConfig config) {
            this.service = config.service;
            this.clock = config.clock;
            this.currentUser = config.currentUser;
            this.loginPath = config.loginPath;
            this.challengePath = config.challengePath;
            this.challengeCancelPath = config.challengeCancelPath;
            this.enrolmentPath = config.enrolmentPath;
            this.stepUpPath = config.stepUpPath;
            this.signOutPath = config.signOutPath;
            this.homePath = config.homePath;
            this.allowlist = config.allowlist;
            this.stepUpPaths = config.stepUpPaths;
            this.appPasswordPaths = config.appPasswordPaths;
            this.apiRequests = config.apiRequests;
            this.challengeTtl = config.challengeTtl;
            this.basicRealm = config.basicRealm;
            this.handleChallengeRequests = config.handleChallengeRequests;
            this.crossSiteProtection = config.crossSiteProtection;
            this.enrolmentStartPaths = config.enrolmentStartPaths;
            this.stepUpBeforeEnrolment = config.stepUpBeforeEnrolment;
        }

        /**
         * @param clock times the challenge's expiry; give the service's clock; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
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
         * @param path the sign-in screen, where an expired challenge sends the user; default
         *             {@value #DEFAULT_LOGIN_PATH}
         * @return this builder
         */
        public Builder loginPath(String path) {
            this.loginPath = screenPath("loginPath", path);
            return this;
        }

        /**
         * @param path the challenge screen; it and the paths beneath it stay reachable while half-open; default
         *             {@value #DEFAULT_CHALLENGE_PATH}
         * @return this builder
         */
        public Builder challengePath(String path) {
            this.challengePath = screenPath("challengePath", path);
            return this;
        }

        /**
         * @param path "Sign in as a different user": ends a half-open sign-in; default
         *             {@value #DEFAULT_CHALLENGE_CANCEL_PATH}
         * @return this builder
         */
        public Builder challengeCancelPath(String path) {
            this.challengeCancelPath = screenPath("challengeCancelPath", path);
            return this;
        }

        /**
         * @param path the enrolment screen; it and the paths beneath it stay reachable for a user the policy sends
         *             there; default {@value #DEFAULT_ENROLMENT_PATH}
         * @return this builder
         */
        public Builder enrolmentPath(String path) {
            this.enrolmentPath = screenPath("enrolmentPath", path);
            return this;
        }

        /**
         * @param path the step-up ("Unlock settings") screen, where a sensitive path sends a user whose last
         *             verification is older than the service's step-up window; default
         *             {@value #DEFAULT_STEP_UP_PATH}
         * @return this builder
         */
        public Builder stepUpPath(String path) {
            this.stepUpPath = screenPath("stepUpPath", path);
            return this;
        }

        /**
         * @param path the host's sign-out, reachable in every state; default {@value #DEFAULT_SIGN_OUT_PATH}
         * @return this builder
         */
        public Builder signOutPath(String path) {
            this.signOutPath = screenPath("signOutPath", path);
            return this;
        }

        /**
         * @param path where a passed challenge continues when no page was asked for before it; may be {@code "/"};
         *             default {@value #DEFAULT_HOME_PATH}
         * @return this builder
         */
        public Builder homePath(String path) {
            this.homePath = path(path, "homePath", true);
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
            Objects.requireNonNull(ttl, "challengeTtl");
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_CHALLENGE_TTL) > 0) {
                throw new IllegalArgumentException("challengeTtl must be more than zero and at most one day: " + ttl);
            }
            this.challengeTtl = ttl;
            return this;
        }

        /**
         * @param realm the realm named in {@code WWW-Authenticate} when an app password is refused: 1 to 100
         *              printable ASCII characters, no quote or backslash; default {@value #DEFAULT_BASIC_REALM}
         * @return this builder
         */
        public Builder basicRealm(String realm) {
            Objects.requireNonNull(realm, "basicRealm");
            if (realm.isEmpty() || realm.length() > 100
                    || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException(
                        "basicRealm must be 1 to 100 printable ASCII characters without quote or backslash");
            }
            this.basicRealm = realm;
            return this;
        }

        /**
         * @param handle whether the filter itself answers {@code POST} to the challenge path (fields {@code code} and
         *               {@code recoveryCode}) and to the cancel path (any other method there gets 405); {@code false} when the host's own
         *               handlers call {@link TwoFactorSignIn}; default {@code true}
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
         * @return the configuration
         * @throws IllegalStateException if two screens share a path, or the home path would end the session
         */
        public TwoFactorWebConfig build() {
            String[] screens = {loginPath, challengePath, challengeCancelPath, enrolmentPath, signOutPath};
            for (int i = 0; i < screens.length; i++) {
                for (int j = i + 1; j < screens.length; j++) {
                    if (screens[i].equals(screens[j])) {
                        throw new IllegalStateException("two screens share the path " + screens[i]);
                    }
                }
            }
            if (stepUpPath.equals(loginPath) || stepUpPath.equals(challengePath)
                    || stepUpPath.equals(signOutPath)) {
                throw new IllegalStateException("stepUpPath must differ from the sign-in screens: " + stepUpPath);
            }
            if (homePath.equals(signOutPath) || homePath.equals(challengeCancelPath)
                    || homePath.equals(loginPath)) {
                throw new IllegalStateException("homePath must be a page of the application, not a sign-in or"
                        + " sign-out path: " + homePath);
            }
            return new TwoFactorWebConfig(this);
        }

        private static String screenPath(String name, String value) {
            return path(value, name, false);
        }

        private static String path(String value, String name, boolean rootAllowed) {
            Objects.requireNonNull(value, name);
            boolean valid = value.startsWith("/") && value.length() <= 1024 && !value.contains("//")
                    && (rootAllowed || value.length() > 1) && (value.length() == 1 || !value.endsWith("/"))
                    && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && "?#*;\\%".indexOf(c) < 0);
            if (!valid) {
                throw new IllegalArgumentException(name + " must be a path within the application such as"
                        + " \"/login\": starting with '/', without query, wildcard, '//', '%' or trailing '/': "
                        + value);
            }
            return value;
        }
    }
}
