package dev.twofactor.servlet;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.RecoveryCodePolicy;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.UserContext;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A tiny host application in a real Jetty 12 container: a password sign-in page that calls
 * {@link TwoFactorSignIn#passwordAccepted} after a fake password check, a challenge page, pages, the security
 * settings ({@link SettingsPages}: an enrolment area with sensitive actions, a step-up page), an API, a static
 * path, a failing page with a container error page and the admin unenrol endpoint, all behind the
 * {@link TwoFactorFilter}. The service runs over an in-memory store wrapped to count store calls, AES-GCM sealing
 * and a {@link MutableClock}. Bound to 127.0.0.1 on a free port, context path {@code /app}.
 */
// Jetty's stop() declares InterruptedException; the Set form of createAppPassword is still tested here.
@SuppressWarnings({"try", "deprecation"})
final class TwoFactorApp implements AutoCloseable {

    static final String CONTEXT = "/app";
    static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-password",
            "bob", "bob-password",
            "carol", "carol-password",
            "root", "root-password");
    static final Set<String> ADMINS = Set.of("root");
    static final String HOST_USER_ATTRIBUTE = "test.host.user";

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final AtomicInteger storeCalls = new AtomicInteger();
    /** When set, every store call (still counted) throws this: a store that cannot handle its input. */
    final AtomicReference<RuntimeException> storeFailure = new AtomicReference<>();
    /** Requests that reached an application servlet other than the challenge page, sign-out and static files. */
    final AtomicInteger applicationHits = new AtomicInteger();
    final TwoFactorService service;
    /** The service's store (counted), for tests that set up state the service would no longer create. */
    final TwoFactorStore store;
    final TwoFactorWebConfig config;
    final TwoFactorSignIn signIn;
    final TrustedDeviceSignIn devices;
    private final Server server;
    private final URI base;

    private TwoFactorApp(Options options) throws Exception {
        this.store = counting(new InMemoryTwoFactorStore(), storeCalls, storeFailure);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.service = options.service.apply(TwoFactorService.builder()
                .issuer("Servlet Test")
                .store(store)
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("test-1", key).build()))
                .clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .backoffPolicy(options.backoff)
                .recoveryCodePolicy(options.recoveryCodes)
                .passwordVerifier(TwoFactorApp::checkPassword)
                .userDirectory(PASSWORDS::containsKey)
                .appPasswordPermissions(Set.of("reports:read", "reports:write")))
                .build();
        this.config = options.config.apply(TwoFactorWebConfig.builder(service)
                .allowlist(RequestMatcher.paths("/static/*", "/favicon.ico"))
                .stepUpPaths(RequestMatcher.paths("/my/profile/two-factor/regenerate",
                        "/my/profile/two-factor/disable", "/my/profile/two-factor/change",
                        "/my/profile/two-factor/app-passwords/*"))
                .appPasswordPaths(RequestMatcher.paths("/api/*")))
                .build();
        this.signIn = new TwoFactorSignIn(config);
        this.devices = new TrustedDeviceSignIn(config);

        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // X-Forwarded-Proto: https makes a request secure (as behind a TLS proxy), for the Secure cookie flag; the
        // large header limit lets a megabyte cookie reach the filter instead of the container's 431.
        http.addCustomizer(new ForwardedRequestCustomizer());
        http.setRequestHeaderSize(2 * 1024 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(CONTEXT, ServletContextHandler.SESSIONS);
        context.addFilter(new FilterHolder(new TwoFactorFilter(config)), "/*", options.dispatcherTypes);
        context.addServlet(new ServletHolder(new LoginServlet()), "/login");
        context.addServlet(new ServletHolder(new ChallengePage()), "/login/two-factor");
        context.addServlet(new ServletHolder(new LogoutServlet()), "/logout");
        context.addServlet(new ServletHolder(new HostLoginServlet()), "/host-login");
        context.addServlet(new ServletHolder(new HostLogoutServlet()), "/host-logout");
        context.addServlet(new ServletHolder(new RefreshServlet()), "/refresh");
        context.addServlet(new ServletHolder(new PageServlet()), "/");
        SettingsPages settings = new SettingsPages(this);
        context.addServlet(new ServletHolder(settings.enrolmentArea()), "/my/profile/two-factor/*");
        context.addServlet(new ServletHolder(settings.stepUpPage()), "/my/profile/two-factor/unlock");
        context.addServlet(new ServletHolder(new ApiServlet()), "/api/*");
        context.addServlet(new ServletHolder(settings.outcomeEndpoints()), "/outcome/*");
        context.addServlet(new ServletHolder(new StaticServlet()), "/static/*");
        context.addServlet(new ServletHolder(new AdminUnenrolServlet(config)), "/admin/two-factor/unenrol/*");
        context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
        context.addServlet(new ServletHolder(new ErrorPage()), "/error-page");
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.addErrorPage(500, "/error-page");
        context.setErrorHandler(errors);
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + CONTEXT);
    }

    static TwoFactorApp start() throws Exception {
        return new TwoFactorApp(new Options());
    }

    static TwoFactorApp start(Options options) throws Exception {
        return new TwoFactorApp(options);
    }

    Browser browser() {
        return new Browser(base);
    }

    /** @return the application's base URI, {@code http://127.0.0.1:port/app} */
    URI base() {
        return base;
    }

    /** A user enrolled through the service, the clock then moved to the next time step (the code is used). */
    Enrolled enrol(String userId) {
        Enrolment enrolment = success(service.startEnrolment(userId, userId + "@example.com"));
        Confirmation confirmation = success(service.confirmEnrolment(userId,
                Totp.defaults().generateAt(enrolment.secret(), clock.instant())));
        nextStep();
        return new Enrolled(userId, enrolment.secret(), confirmation.recoveryCodes());
    }

    /** Moves the clock to the next 30-second time step, so a fresh code can be accepted. */
    void nextStep() {
        clock.advance(Duration.ofSeconds(30));
    }

    String code(TotpSecret secret) {
        return Totp.defaults().generateAt(secret, clock.instant());
    }

    NewAppPassword createAppPassword(String userId, String name, Set<String> permissions) {
        return success(service.createAppPassword(userId, name, permissions));
    }

    TwoFactorStatus status(String userId) {
        return service.status(userId);
    }

    /** Signs the browser in and passes the challenge with a current code. */
    void signInWithCode(Browser browser, Enrolled user) {
        browser.signIn(user.userId(), PASSWORDS.get(user.userId()));
        var passed = browser.post("/login/two-factor", Map.of("code", code(user.secret())));
        if (passed.statusCode() != 302 || passed.headers().firstValue("Location").orElse("").contains("two-factor")) {
            throw new AssertionError("challenge did not pass: " + passed.statusCode() + " " + passed.headers().map());
        }
        nextStep();
    }

    static <T> T success(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Success<T> success) {
            return success.value();
        }
        throw new AssertionError("expected success, got " + outcome);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static PasswordVerifier.Verdict checkPassword(String userId, char[] password) {
        String expected = PASSWORDS.get(userId);
        return expected != null && Arrays.equals(expected.toCharArray(), password)
                ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH;
    }

    /** Wraps a store so that every call through any of its interfaces is counted. */
    static TwoFactorStore counting(TwoFactorStore delegate, AtomicInteger calls,
                                   AtomicReference<RuntimeException> failure) {
        return (TwoFactorStore) Proxy.newProxyInstance(TwoFactorStore.class.getClassLoader(),
                new Class<?>[] {TwoFactorStore.class, TrustedDeviceStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "CountingStore[" + delegate + "]";
                        };
                    }
                    calls.incrementAndGet();
                    RuntimeException failing = failure.get();
                    if (failing != null) {
                        throw failing;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A user enrolled for the test. */
    record Enrolled(String userId, TotpSecret secret, RecoveryCodes recoveryCodes) {
    }

    /** What a test may change about the application. */
    static final class Options {
        BackoffPolicy backoff = BackoffPolicy.DEFAULT;
        RecoveryCodePolicy recoveryCodes = RecoveryCodePolicy.STANDARD;
        UnaryOperator<TwoFactorWebConfig.Builder> config = UnaryOperator.identity();
        UnaryOperator<TwoFactorService.Builder> service = UnaryOperator.identity();
        EnumSet<DispatcherType> dispatcherTypes = EnumSet.of(DispatcherType.REQUEST);

        Options backoff(BackoffPolicy policy) {
            this.backoff = policy;
            return this;
        }

        Options recoveryCodes(RecoveryCodePolicy policy) {
            this.recoveryCodes = policy;
            return this;
        }

        /** Changes the service's settings (step-up window, disable after step-up, acknowledgement ...). */
        Options service(UnaryOperator<TwoFactorService.Builder> change) {
            this.service = change;
            return this;
        }

        Options config(UnaryOperator<TwoFactorWebConfig.Builder> change) {
            this.config = change;
            return this;
        }

        /** The dispatcher types the filter is mapped for (the README's registration: {@code REQUEST} only). */
        Options dispatcherTypes(EnumSet<DispatcherType> types) {
            this.dispatcherTypes = EnumSet.copyOf(types);
            return this;
        }
    }

    // ------------------------------------------------------------------ the host application's servlets

    static void text(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    static String signedIn(HttpServletRequest request) {
        return TwoFactorSessions.signedInUser(request).orElse("-");
    }

    /** Any page: says who the application sees as signed in. */
    private final class PageServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            text(response, 200, "page " + request.getRequestURI() + " user=" + signedIn(request)
                    + " remote=" + request.getRemoteUser()
                    + " reminder=" + TwoFactorSessions.enrolmentRequirement(request)
                    .map(enrol -> enrol.message() + (enrol.enforced() ? " (enforced)" : " (grace)")).orElse("-"));
        }
    }

    /** The host's sign-in: a fake password check, then the one helper call. */
    private final class LoginServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            text(response, 200, "login page error=" + TwoFactorSessions.errorMessage(request).orElse("-"));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            String user = request.getParameter("username");
            String password = request.getParameter("password");
            if (user == null || password == null || !password.equals(PASSWORDS.get(user))) {
                text(response, 401, "wrong password");
                return;
            }
            signIn.passwordAccepted(request, UserContext.of(user, ADMINS.contains(user)));
            response.sendRedirect(CONTEXT + "/home");
        }
    }

    /** A host whose own authentication marks the session (for a custom {@link CurrentUser}). */
    private final class HostLoginServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            String user = request.getParameter("username");
            if (!request.getParameter("password").equals(PASSWORDS.get(user))) {
                text(response, 401, "wrong password");
                return;
            }
            if (request.getSession(false) != null) {
                request.changeSessionId();
            }
            request.getSession(true).setAttribute(HOST_USER_ATTRIBUTE, user);
            response.sendRedirect(CONTEXT + "/home");
        }
    }

    private final class HostLogoutServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(HOST_USER_ATTRIBUTE);
            }
            text(response, 200, "host signed out");
        }
    }

    /** The host changed the user's two-factor status through the service and tells the filter. */
    private final class RefreshServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            signIn.refresh(request);
            text(response, 200, "refreshed");
        }
    }

    /**
     * The challenge screen; the filter answers its POST, unless {@code handleChallengeRequests(false)}: then the host
     * does, as the javadoc of {@link TrustedDeviceSignIn#rememberAfterChallenge} tells it to, and says what each of
     * two calls of it answered.
     */
    private final class ChallengePage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, "challenge page for " + TwoFactorSessions.challengeUser(request).orElse("-")
                    + " remote=" + request.getRemoteUser() + " user=" + signedIn(request)
                    + " error=" + TwoFactorSessions.errorMessage(request).orElse("-"));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean early = devices.rememberAfterChallenge(request, response);
            ChallengeResult result = signIn.verifyChallenge(request, request.getParameter("code"),
                    request.getParameter("recoveryCode"));
            boolean first = devices.rememberAfterChallenge(request, response);
            boolean again = devices.rememberAfterChallenge(request, response);
            text(response, 200, "passed=" + result.passed() + " early=" + early + " remembered=" + first
                    + " again=" + again);
        }
    }

    private final class LogoutServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            signIn.signOut(request);
            response.sendRedirect(CONTEXT + "/login");
        }
    }

    /** A page of the application that fails, so the container dispatches to its error page. */
    private final class FailingServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            applicationHits.incrementAndGet();
            throw new IllegalStateException("boom");
        }
    }

    /** The container's error page (an {@code ERROR} dispatch): says whom it sees as signed in. */
    private static final class ErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, response.getStatus(), "error page dispatch=" + request.getDispatcherType()
                    + " user=" + signedIn(request) + " remote=" + request.getRemoteUser());
        }
    }

    private static final class StaticServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, "static " + request.getPathInfo());
        }
    }

    /** The API: who is calling, and with which app-password grant. */
    private final class ApiServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            text(response, 200, "api user=" + signedIn(request) + " remote=" + request.getRemoteUser()
                    + " grant=" + TwoFactorSessions.appPasswordGrant(request)
                    .map(grant -> grant.name() + " " + grant.userId() + " " + grant.permissions()).orElse("-"));
        }
    }
}
