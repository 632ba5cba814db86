package dev.twofactor.spring.security;

import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.DeviceCookieRules;
import dev.twofactor.internal.web.RequirementFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * twofactor in a Spring Security filter chain, with sensible defaults:
 * <pre>{@code
 * http.formLogin(Customizer.withDefaults())
 *     .with(TwoFactorConfigurer.twoFactor(), twoFactor -> twoFactor
 *         .stepUpPaths("/my/profile/two-factor/disable", "/my/profile/app-passwords/**")
 *         .apiPaths("/api/**"));
 * }</pre>
 *
 * <p>It adds:
 * <ul>
 *   <li>the {@link TwoFactorAuthenticationFilter} for {@code POST} to the challenge path (default
 *       {@value #DEFAULT_CHALLENGE_PATH}) and the step-up path (default {@value #DEFAULT_STEP_UP_PATH}), whose
 *       {@link TwoFactorAuthorities#FACTOR_TOTP} factor Spring Security's multi-factor merge adds to the existing
 *       authentication; the host renders the two screens ({@code GET});</li>
 *   <li>the {@link TwoFactorEnforcementFilter} before the host's authorization rules: the organisation policy and
 *       step-up ({@link TwoFactorAuthorizationManager}), reading the user's requirement from the store at most once
 *       per {@link #requirementMaxAge(Duration)} (default 10 s) for each HTTP session;</li>
 *   <li>{@code exceptionHandling().defaultDeniedHandlerForMissingAuthority(}{@link TwoFactorEntryPoint}{@code ,
 *       FACTOR_TOTP)} (browsers to the challenge, API clients 401 JSON) and the {@link TwoFactorAccessDeniedHandler}
 *       as the default access-denied handler (enrolment redirect, step-up, the {@code @PreAuthorize} pitfall);</li>
 *   <li>with {@link #trustedDevices(boolean) trusted devices} on, "remember this device": the challenge's checkbox
 *       remembers the browser, and its device cookie stands in for the challenge at the next password sign-in;</li>
 *   <li>unless {@link #appPasswords(boolean) turned off}, HTTP Basic with app passwords on the API paths (default
 *       {@value #DEFAULT_API_PATHS}) through {@link AppPasswordAuthenticationProvider}.</li>
 * </ul>
 *
 * <p>The {@link TwoFactorService} comes from the application context unless set here, and every time the integration
 * stamps or compares (factor issue times, step-up expiry, the challenge's time limit) is its
 * {@link TwoFactorService#clock() clock}: one clock for the service and the integration. Users are identified by
 * {@link Authentication#getName()} and are administrators when they hold {@code ROLE_ADMIN}, unless
 * {@link #users(Function)} says otherwise. Spring Security's authentication success and failure events are published
 * through the context's {@link AuthenticationEventPublisher}.
 */
public final class TwoFactorConfigurer extends AbstractHttpConfigurer<TwoFactorConfigurer, HttpSecurity> {

    /** Default challenge screen. */
    public static final String DEFAULT_CHALLENGE_PATH = "/login/two-factor";
    /** Default enrolment screen. */
    public static final String DEFAULT_ENROLMENT_PATH = "/my/profile/two-factor";
    /** Default step-up screen. */
    public static final String DEFAULT_STEP_UP_PATH = "/my/profile/two-factor/unlock";
    /** Default name of the device cookie of {@link #trustedDevices(boolean)}, the servlet filter's: {@value}. */
    public static final String DEFAULT_TRUSTED_DEVICE_COOKIE = DeviceCookieRules.DEFAULT_NAME;
    /** Default API paths. */
    public static final String DEFAULT_API_PATHS = "/api/**";

    private TwoFactorService service;
    private Clock clock;
    private String challengePath = DEFAULT_CHALLENGE_PATH;
    private String enrolmentPath = DEFAULT_ENROLMENT_PATH;
    private String stepUpPath = DEFAULT_STEP_UP_PATH;
    private String loginPath = "/login";
    private String logoutPath = "/logout";
    private List<String> stepUpPaths = List.of();
    private List<String> apiPaths = List.of(DEFAULT_API_PATHS);
    private List<String> permitPaths = List.of("/error", "/css/**", "/js/**", "/images/**", "/webjars/**",
            "/favicon.ico");
    private String administratorAuthority = "ROLE_ADMIN";
    private Function<Authentication, UserContext> users;
    private boolean appPasswords = true;
    private UserDetailsService userDetailsService;
    private Duration challengeTtl = Duration.ofMinutes(10);
    private String realm = "twofactor";
    private boolean defaultPages;
    private Duration requirementMaxAge = TwoFactorAuthorizationManager.DEFAULT_REQUIREMENT_MAX_AGE;
    private boolean trustedDevices;
    private String trustedDeviceCookie = DEFAULT_TRUSTED_DEVICE_COOKIE;

    private TwoFactorEntryPoint entryPoint;
    private TwoFactorAuthorizationManager manager;

    /**
     * @return a configurer with the defaults, for {@code http.with(twoFactor(), customizer)}
     */
    public static TwoFactorConfigurer twoFactor() {
        return new TwoFactorConfigurer();
    }

    /**
     * @param service the service; default the application context's {@link TwoFactorService} bean
     * @return this
     */
    public TwoFactorConfigurer service(TwoFactorService service) {
        this.service = Objects.requireNonNull(service, "service");
        return this;
    }

    /**
     * @param path the challenge screen (host renders {@code GET}, twofactor handles {@code POST}); default
     *             {@value #DEFAULT_CHALLENGE_PATH}
     * @return this
     */
    public TwoFactorConfigurer challengePath(String path) {
        this.challengePath = path(path);
        return this;
    }

    /**
     * @param path the enrolment screen; it and the paths beneath it stay reachable for users who must enrol; default
     *             {@value #DEFAULT_ENROLMENT_PATH}
     * @return this
     */
    public TwoFactorConfigurer enrolmentPath(String path) {
        this.enrolmentPath = path(path);
        return this;
    }

    /**
     * @param path the step-up screen (host renders {@code GET}, twofactor handles {@code POST}); default
     *             {@value #DEFAULT_STEP_UP_PATH}
     * @return this
     */
    public TwoFactorConfigurer stepUpPath(String path) {
        this.stepUpPath = path(path);
        return this;
    }

    /**
     * @param path the password sign-in screen, where an expired challenge returns; default {@code /login}
     * @return this
     */
    public TwoFactorConfigurer loginPath(String path) {
        this.loginPath = path(path);
        return this;
    }

    /**
     * @param path the sign-out path, always reachable; default {@code /logout}
     * @return this
     */
    public TwoFactorConfigurer logoutPath(String path) {
        this.logoutPath = path(path);
        return this;
    }

    /**
     * @param patterns path patterns of sensitive actions that need a recent verification; default none
     * @return this
     */
    public TwoFactorConfigurer stepUpPaths(String... patterns) {
        this.stepUpPaths = List.of(patterns);
        return this;
    }

    /**
     * @param patterns path patterns where HTTP Basic with app passwords is accepted; default
     *                 {@value #DEFAULT_API_PATHS}
     * @return this
     */
    public TwoFactorConfigurer apiPaths(String... patterns) {
        this.apiPaths = List.of(patterns);
        return this;
    }

    /**
     * @param patterns path patterns always reachable, also in a half-open session (static resources); default
     *                 {@code /error}, {@code /css/**}, {@code /js/**}, {@code /images/**}, {@code /webjars/**},
     *                 {@code /favicon.ico}
     * @return this
     */
    public TwoFactorConfigurer permitPaths(String... patterns) {
        this.permitPaths = List.of(patterns);
        return this;
    }

    /**
     * @param authority the authority of administrators for the "Require MFA for admins" policy; default
     *                  {@code ROLE_ADMIN}
     * @return this
     */
    public TwoFactorConfigurer administratorAuthority(String authority) {
        this.administratorAuthority = Objects.requireNonNull(authority, "authority");
        return this;
    }

    /**
     * @param users what the service is told about a signed-in user; default the name as user id and
     *              {@link #administratorAuthority} for the administrator flag
     * @return this
     */
    public TwoFactorConfigurer users(Function<Authentication, UserContext> users) {
        this.users = Objects.requireNonNull(users, "users");
        return this;
    }

    /**
     * @param enabled whether HTTP Basic with app passwords is accepted on the API paths; default {@code true}
     * @return this
     */
    public TwoFactorConfigurer appPasswords(boolean enabled) {
        this.appPasswords = enabled;
        return this;
    }

    /**
     * @param users where app-password principals and full-access authorities come from; default the context's
     *              unique {@link UserDetailsService}, if any
     * @return this
     */
    public TwoFactorConfigurer userDetailsService(UserDetailsService users) {
        this.userDetailsService = Objects.requireNonNull(users, "users");
        return this;
    }

    /**
     * @param ttl how long after the password the challenge can be answered; default 10 minutes
     * @return this
     */
    public TwoFactorConfigurer challengeTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("challengeTtl must be positive");
        }
        this.challengeTtl = ttl;
        return this;
    }

    /**
     * @param enabled whether twofactor renders plain built-in screens for the challenge, the step-up and the
     *                two-factor card (enable with QR code, confirm, recovery codes, regenerate, change app, disable)
     *                on the configured paths, for applications that render none; default {@code false}
     * @return this
     */
    public TwoFactorConfigurer defaultPages(boolean enabled) {
        this.defaultPages = enabled;
        return this;
    }

    /**
     * "Remember this device" ({@link dev.twofactor.TrustedDevices}), with the servlet filter's semantics. On, a
     * sign-in challenge passed with {@value TwoFactorAuthenticationFilter#REMEMBER_DEVICE_PARAMETER} ticked remembers
     * the browser and sets the device cookie ({@link #trustedDeviceCookie(String)}: {@code HttpOnly}, {@code Secure}
     * when the request is secure, {@code SameSite=Lax}, {@code Path} the context path, {@code Max-Age} the service's
     * lifetime); at a later sign-in, a session signed in with the password whose user has two-factor authentication
     * enabled and whose cookie the service recognises for that same user gets {@link TwoFactorAuthorities#FACTOR_TOTP}
     * without the challenge, under a new session id. Any other cookie (another user's, expired, revoked, forged,
     * garbage) is cleared and the challenge shown as without it. The factor is stamped with the password factor's
     * time, so a remembered device adds no step-up freshness of its own. The built-in challenge screen
     * ({@link #defaultPages}) shows the checkbox. The service's own switch must be on too
     * ({@code TwoFactorService.Builder#trustedDevices(true)}); listing and revoking devices is the host's settings
     * screen's, through {@link dev.twofactor.TwoFactorService#trustedDevices()}.
     *
     * @param enabled whether to offer it; default {@code false}
     * @return this
     */
    public TwoFactorConfigurer trustedDevices(boolean enabled) {
        this.trustedDevices = enabled;
        return this;
    }

    /**
     * @param name the device cookie's name: 1 to 64 characters of an HTTP token, no {@code __Host-} or
     *             {@code __Secure-} prefix; default {@value #DEFAULT_TRUSTED_DEVICE_COOKIE}, the servlet filter's
     * @return this
     * @throws IllegalArgumentException if it is no valid cookie name
     */
    public TwoFactorConfigurer trustedDeviceCookie(String name) {
        this.trustedDeviceCookie = DeviceCookieRules.checkName(name);
        return this;
    }

    /**
     * @param realm the HTTP Basic realm of the API paths; default {@code twofactor}
     * @return this
     */
    public TwoFactorConfigurer realm(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
        return this;
    }

    /**
     * How long a signed-in session's requests may rely on what was last read about its user (two-factor
     * authentication enabled, the policy's demand): see {@link TwoFactorAuthorizationManager}. Ignored when an
     * {@link #authorizationManager(TwoFactorAuthorizationManager)} is given (it has its own).
     *
     * @param maxAge zero (read on every request, one store round trip or two each) up to 10 minutes; default 10 s
     * @return this
     * @throws IllegalArgumentException if negative or longer than 10 minutes
     */
    public TwoFactorConfigurer requirementMaxAge(Duration maxAge) {
        this.requirementMaxAge = RequirementFacts.checkMaxAge(maxAge);
        return this;
    }

    /**
     * @param manager the policy and step-up decisions; default one built from the {@link #service} and
     *                {@link #users} (or {@link #administratorAuthority})
     * @return this
     */
    public TwoFactorConfigurer authorizationManager(TwoFactorAuthorizationManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
        return this;
    }

    @Override
    public void init(HttpSecurity http) {
        if (service == null) {
            service = http.getSharedObject(ApplicationContext.class).getBean(TwoFactorService.class);
        }
        clock = service.clock();
        if (trustedDevices && !service.trustedDevices().enabled()) {
            throw new IllegalStateException("trustedDevices(true) needs the service's trusted devices on: "
                    + "TwoFactorService.Builder.trustedDevices(true)");
        }
        if (users == null) {
            String admin = administratorAuthority;
            users = authentication -> UserContext.of(authentication.getName(),
                    authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                            .anyMatch(admin::equals));
        }
        if (manager == null) {
            manager = new TwoFactorAuthorizationManager(service, users, requirementMaxAge);
        }
        entryPoint = new TwoFactorEntryPoint(challengePath, stepUpPath, requestCache(http));
        TwoFactorAccessDeniedHandler denied = new TwoFactorAccessDeniedHandler(entryPoint, manager, enrolmentPath,
                null);
        // A step-up decision of a user without 2FA names an expired FACTOR_PASSWORD: Spring's own handler for it
        // (form login's) would send the user to sign in again; the step-up screen is the way to renew it.
        AuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint(loginPath);
        AuthenticationEntryPoint passwordFactor = (request, response, failure) -> {
            if (TwoFactorEntryPoint.deniedResult(failure) instanceof TwoFactorAuthorizationManager.StepUpRequired) {
                entryPoint.commence(request, response, failure);
            } else {
                login.commence(request, response, failure);
            }
        };
        http.exceptionHandling(exceptions -> exceptions
                .defaultDeniedHandlerForMissingAuthority(entryPoint, TwoFactorAuthorities.FACTOR_TOTP)
                .defaultDeniedHandlerForMissingAuthority(passwordFactor, FactorGrantedAuthority.PASSWORD_AUTHORITY)
                .defaultAccessDeniedHandlerFor(denied, AnyRequestMatcher.INSTANCE));
    }

    @Override
    public void configure(HttpSecurity http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        AuthenticationEventPublisher events = new TwoFactorAuthenticationEventPublisher(
                context.getBeanProvider(AuthenticationEventPublisher.class)
                        .getIfUnique(() -> new DefaultAuthenticationEventPublisher(context)), context);
        RequestMatcher challengePost = getRequestMatcherBuilder().matcher(HttpMethod.POST, challengePath);
        RequestMatcher stepUpPost = getRequestMatcherBuilder().matcher(HttpMethod.POST, stepUpPath);

        ProviderManager codes = new ProviderManager(new TwoFactorAuthenticationProvider(service));
        codes.setAuthenticationEventPublisher(events);
        TwoFactorAuthenticationFilter challenge = new TwoFactorAuthenticationFilter(challengePost, stepUpPost, codes,
                clock, challengeTtl);
        SecurityContextRepository contexts = http.getSharedObject(SecurityContextRepository.class);
        challenge.setSecurityContextRepository(contexts != null ? contexts : new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository()));
        SessionAuthenticationStrategy sessions = http.getSharedObject(SessionAuthenticationStrategy.class);
        challenge.setSessionAuthenticationStrategy(sessions != null ? sessions
                : new ChangeSessionIdAuthenticationStrategy());
        SavedRequestAwareAuthenticationSuccessHandler success = new SavedRequestAwareAuthenticationSuccessHandler();
        success.setRequestCache(requestCache(http));
        challenge.setAuthenticationSuccessHandler((request, response, authentication) -> {
            if (HttpAnswers.wantsJson(request)) {
                response.setStatus(204);
            } else {
                success.onAuthenticationSuccess(request, response, authentication);
            }
        });
        challenge.setAuthenticationFailureHandler(new TwoFactorFailureHandler(challengePath, stepUpPath, stepUpPost,
                loginPath));
        challenge.setApplicationEventPublisher(context);
        challenge.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        http.addFilterAfter(postProcess(challenge), UsernamePasswordAuthenticationFilter.class);
        TwoFactorFactors factors = new TwoFactorFactors(service, contexts);
        DeviceCookie devices = trustedDevices ? new DeviceCookie(trustedDeviceCookie, service) : null;
        if (devices != null) {
            challenge.setDeviceCookie(devices);
            http.addFilterBefore(postProcess(new TrustedDeviceFilter(devices, factors, manager, clock, challengeTtl,
                    getRequestMatcherBuilder().matcher(HttpMethod.GET, challengePath), success)),
                    AuthorizationFilter.class);
        }

        RequestMatcher open = new OrRequestMatcher(
                matchers(List.of(challengePath, logoutPath, loginPath), permitPaths));
        RequestMatcher enrolment = new OrRequestMatcher(matchers(List.of(enrolmentPath, enrolmentPath + "/**",
                stepUpPath), List.of()));
        RequestMatcher sensitive = stepUpPaths.isEmpty() ? request -> false
                : new OrRequestMatcher(matchers(stepUpPaths, List.of()));
        http.addFilterBefore(postProcess(new TwoFactorEnforcementFilter(manager, open, enrolment, sensitive)),
                AuthorizationFilter.class);

        if (defaultPages) {
            http.addFilterAfter(postProcess(new TwoFactorDefaultPagesFilter(service, factors, manager, devices,
                    challengePath, stepUpPath, enrolmentPath, logoutPath)), AuthorizationFilter.class);
        }

        if (appPasswords && !apiPaths.isEmpty()) {
            UserDetailsService details = userDetailsService != null ? userDetailsService
                    : context.getBeanProvider(UserDetailsService.class).getIfUnique();
            ProviderManager basicManager = new ProviderManager(
                    new AppPasswordAuthenticationProvider(service, details));
            basicManager.setAuthenticationEventPublisher(events);
            AppPasswordBasicAuthenticationFilter basic = new AppPasswordBasicAuthenticationFilter(basicManager,
                    new AppPasswordEntryPoint(realm), new OrRequestMatcher(matchers(apiPaths, List.of())));
            basic.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
            http.addFilterBefore(postProcess(basic), BasicAuthenticationFilter.class);
        }
    }

    /**
     * @return the policy and step-up decisions this configurer uses (after {@code init})
     */
    public TwoFactorAuthorizationManager authorizationManager() {
        return manager;
    }

    private List<RequestMatcher> matchers(List<String> first, List<String> second) {
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String pattern : first) {
            matchers.add(getRequestMatcherBuilder().matcher(pattern));
        }
        for (String pattern : second) {
            matchers.add(getRequestMatcherBuilder().matcher(pattern));
        }
        return matchers;
    }

    private static RequestCache requestCache(HttpSecurity http) {
        RequestCache cache = http.getSharedObject(RequestCache.class);
        return cache != null ? cache : new HttpSessionRequestCache();
    }

    private static String path(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("A path starts with /: " + path);
        }
        return path;
    }
}
