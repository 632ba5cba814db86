package dev.twofactor.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.examples.demo.sdkgap.LiveServiceSettings;
import dev.twofactor.examples.demo.web.AdminServlet;
import dev.twofactor.examples.demo.web.ApiServlet;
import dev.twofactor.examples.demo.web.AppPasswordsServlet;
import dev.twofactor.examples.demo.web.ChallengeServlet;
import dev.twofactor.examples.demo.web.Csrf;
import dev.twofactor.examples.demo.web.HomeServlet;
import dev.twofactor.examples.demo.web.Pages;
import dev.twofactor.examples.demo.web.Services;
import dev.twofactor.examples.demo.web.SignInServlet;
import dev.twofactor.examples.demo.web.SignedInOnly;
import dev.twofactor.examples.demo.web.StaticFiles;
import dev.twofactor.examples.demo.web.TwoFactorSettingsServlet;
import dev.twofactor.examples.demo.web.UnlockServlet;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.servlet.RequestMatcher;
import dev.twofactor.servlet.TrustedDeviceCookie;
import dev.twofactor.servlet.TwoFactorWebConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The demo web application: embedded Jetty 12 (ee10), the JDBC store on an embedded H2 file database through
 * HikariCP, AES-256-GCM with a key kept beside the database, the twofactor servlet filter, JTE pages. Start it with
 * {@link #start(Options)}; {@link DemoMain} is the command line.
 */
// close() stops Jetty, whose stop() declares InterruptedException; javac's "try" lint would flag every
// try-with-resources over it.
@SuppressWarnings("try")
public final class DemoApp implements AutoCloseable {

    static final String ISSUER = "Acme Workspace";
    /**
     * Starting an enrolment ("Enable two-factor", "Change authentication app"): the filter sends a session without a
     * recent verification to "Unlock settings" first, and {@code TwoFactorSignIn.startEnrolment} refuses it too.
     */
    static final RequestMatcher ENROLMENT_START = RequestMatcher.paths("/my/profile/two-factor/enable",
            "/my/profile/two-factor/change");
    /**
     * The other sensitive actions: the filter's step-up paths. Without a recent verification (password, code or
     * recovery code, sign-in included) a {@code GET} goes to "Unlock settings" and returns to itself, a form to
     * "Unlock settings" and then the two-factor screen (a redirect cannot re-send a form).
     */
    static final RequestMatcher SENSITIVE = RequestMatcher.paths("/my/profile/two-factor/regenerate",
            "/my/profile/two-factor/emergency-key", "/my/profile/two-factor/disable", "/my/profile/app-passwords/new");
    /** Admin unenrol as REST: {@code DELETE /admin/two-factor/unenrol/{userId}} with {@code {"totpCode": "..."}}. */
    static final String ADMIN_UNENROL = "/admin/two-factor/unenrol";

    /** How to start. */
    public static final class Options {
        Path dataDir = Path.of("data");
        int port = 8080;
        String host = "127.0.0.1";
        Clock clock = Clock.systemUTC();
        SecretHasher hasher = SecretHasher.pbkdf2();

        /** @param dir the directory of the database and the key file @return these options */
        public Options dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir);
            return this;
        }

        /** @param port the port, 0 for any free one @return these options */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** @param clock the clock of the service and the filter (tests move it on) @return these options */
        public Options clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** @param hasher the hasher of passwords and codes (tests use fewer iterations) @return these options */
        public Options hasher(SecretHasher hasher) {
            this.hasher = Objects.requireNonNull(hasher);
            return this;
        }
    }

    private final DemoDatabase database;
    private final Server server;
    private final URI uri;
    private final LiveServiceSettings<DemoSettings> live;

    private DemoApp(Options options) throws Exception {
        try {
            if (!Files.isDirectory(options.dataDir)) {
                Files.createDirectories(options.dataDir);
                // A data directory inside a clone must never be committed: it holds the encryption key.
                Files.writeString(options.dataDir.resolve(".gitignore"), "*\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + options.dataDir, e);
        }
        SecretCipher cipher = SecretCipher.aesGcm(KeyFile.loadOrCreate(options.dataDir));
        this.database = new DemoDatabase(options.dataDir);
        try {
            JdbcTwoFactorStore store = JdbcTwoFactorStore.builder(database.dataSource())
                    .createSchemaIfMissing(true)
                    .build();
            DemoUsers users = new DemoUsers(database.dataSource(), options.hasher);
            SecurityActivity activity = new SecurityActivity(database.dataSource());
            Clock clock = options.clock;
            this.live = new LiveServiceSettings<>(DemoSettings.load(database.dataSource()), settings ->
                    LiveServiceSettings.Runtime.of(TwoFactorWebConfig.builder(TwoFactorService.builder()
                                    .issuer(ISSUER)
                                    .store(store)
                                    .secretCipher(cipher)
                                    .clock(clock)
                                    .hasher(options.hasher)
                                    .recoveryCodePolicy(settings.recoveryCodePolicy())
                                    .requireRecoveryCodeAcknowledgement(settings.requireAcknowledgement())
                                    .passwordVerifier(users)
                                    .userDirectory(users)
                                    .listener(activity)
                                    .appPasswordPermissions(AppPasswordPermissions.LABELS.keySet())
                                    // "Remember this device for 30 days" (off by default in the SDK); the
                                    // devices live in the JDBC store's trusted_device table
                                    .trustedDevices(true)
                                    .build())
                            .allowlist(RequestMatcher.paths("/static/*", "/favicon.ico"))
                            .appPasswordPaths(RequestMatcher.paths("/api/*"))
                            .stepUpPaths(SENSITIVE)
                            .enrolmentStartPaths(ENROLMENT_START)
                            .cancelPendingEnrolmentOnLeave(true)
                            .handleChallengeRequests(false)
                            .trustedDevices(TrustedDeviceCookie.DEFAULT)
                            .build()));
            Pages pages = new Pages(users);
            Services services = new Services(live, settings -> {
                settings.save(database.dataSource());
                live.apply(settings);
            }, users, activity, pages, clock,
                    new ObjectMapper());

            this.server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(options.host);
            connector.setPort(options.port);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS);
            SessionHandler sessions = context.getSessionHandler();
            sessions.setHttpOnly(true);
            sessions.setSameSite(HttpCookie.SameSite.LAX);
            sessions.setMaxInactiveInterval(30 * 60);
            filter(context, new Csrf(pages), "/*");
            filter(context, live, "/*");
            filter(context, new SignedInOnly(pages), "/my/*", "/admin/settings/*");
            SignInServlet signIn = new SignInServlet(services);
            servlet(context, signIn, "/login", "/login/api", "/logout");
            servlet(context, new ChallengeServlet(services), "/login/two-factor", "/login/two-factor/*");
            servlet(context, new TwoFactorSettingsServlet(services), "/my/profile/two-factor/*");
            servlet(context, new UnlockServlet(services), "/my/profile/two-factor/unlock");
            servlet(context, new AppPasswordsServlet(services), "/my/profile/app-passwords/*");
            servlet(context, new AdminServlet(services), "/admin/settings/security/*");
            servlet(context, new CurrentAdminUnenrol(live), ADMIN_UNENROL, ADMIN_UNENROL + "/*");
            servlet(context, new ApiServlet(services), "/api/*", "/account/me");
            servlet(context, new StaticFiles(), "/static/*");
            servlet(context, new HomeServlet(services), "/");
            server.setHandler(context);
            server.start();
            this.uri = URI.create("http://" + ("127.0.0.1".equals(options.host) ? "localhost" : options.host) + ":"
                    + connector.getLocalPort() + "/");
        } catch (Exception e) {
            database.close();
            throw e;
        }
    }

    /** The SDK's {@code AdminUnenrolServlet} of the current settings (an administrator's change rebuilds it). */
    private static final class CurrentAdminUnenrol extends HttpServlet {

        private static final long serialVersionUID = 1L;
        private final transient LiveServiceSettings<DemoSettings> live;

        CurrentAdminUnenrol(LiveServiceSettings<DemoSettings> live) {
            this.live = live;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            live.runtime().adminUnenrol().service(request, response);
        }
    }

    private static void filter(ServletContextHandler context, Filter filter, String... paths) {
        FilterHolder holder = new FilterHolder(filter);
        for (String path : paths) {
            context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
        }
    }

    private static void servlet(ServletContextHandler context, HttpServlet servlet, String... paths) {
        ServletHolder holder = new ServletHolder(servlet);
        for (String path : paths) {
            context.addServlet(holder, path);
        }
    }

    /**
     * @param options how to start
     * @return the running application
     * @throws Exception if it cannot start (a port in use: {@link java.io.IOException} with a {@link
     *         java.net.BindException} cause)
     */
    public static DemoApp start(Options options) throws Exception {
        return new DemoApp(options);
    }

    /** @return the address of the start page */
    public URI uri() {
        return uri;
    }

    /** @return the current service, for tests */
    TwoFactorService service() {
        return live.runtime().service();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            database.close();
        }
    }
}
