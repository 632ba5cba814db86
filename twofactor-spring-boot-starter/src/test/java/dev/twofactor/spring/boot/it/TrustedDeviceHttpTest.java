package dev.twofactor.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spring.boot.it.Accounts.Account;
import dev.twofactor.spring.security.TwoFactorApplicationEvent;
import dev.twofactor.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * "Remember this device" over real HTTP ({@code twofactor.trusted-devices.enabled=true}, a 5-minute lifetime): the
 * challenge's checkbox sets the device cookie, and the cookie stands in for the challenge at the next password
 * sign-in of the same user only. The application is {@link TestApplication} on its own H2 database.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"twofactor.trusted-devices.enabled=true", "twofactor.trusted-devices.lifetime=5m",
                "spring.datasource.url=jdbc:h2:mem:twofactor-trusted-devices;DB_CLOSE_DELAY=-1"})
class TrustedDeviceHttpTest {

    private static final String COOKIE = "twofactor_device";

    @LocalServerPort
    int port;
    @Autowired
    TwoFactorService service;
    @Autowired
    MutableClock clock;
    @Autowired
    InMemoryUserDetailsManager users;

    @BeforeEach
    void resetClock() {
        // Spring Security stamps FACTOR_PASSWORD with the system time; keep the service's clock next to it.
        clock.set(Instant.now());
    }

    @Test
    void rememberedDeviceSkipsTheChallengeUnderANewSessionId() {
        Account alice = accounts().enrolledUser("device-user");
        Browser first = new Browser(port);
        first.signIn(alice.name(), alice.password());
        HttpResponse<String> passed = first.post("/login/two-factor",
                Map.of("code", alice.code(clock), "rememberDevice", "on"));
        assertRedirect(passed, "/");
        String setCookie = passed.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=300")
                .doesNotContain("Secure");   // a plain-HTTP request
        String token = first.cookie(COOKIE);
        assertThat(token).hasSize(80);

        Browser later = new Browser(port);
        later.setCookie(COOKIE, token);
        later.signIn(alice.name(), alice.password());
        String passwordSession = later.sessionId();
        HttpResponse<String> home = later.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).startsWith("home " + alice.name() + " ").contains("FACTOR_PASSWORD", "FACTOR_TOTP");
        assertThat(later.sessionId()).isNotEqualTo(passwordSession);
        assertThat(later.get("/settings/danger").body()).isEqualTo("danger zone");   // the password is recent
        assertThat(later.cookie(COOKIE)).isEqualTo(token);
        assertThat(events(alice)).contains(TwoFactorEventType.DEVICE_TRUSTED, TwoFactorEventType.TRUSTED_DEVICE_USED);
    }

    @Test
    void challengePassedWithoutTheCheckboxSetsNoCookieAndTheNextSignInIsChallenged() {
        Account alice = accounts().enrolledUser("device-user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());
        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", alice.code(clock)));
        assertRedirect(passed, "/");
        assertThat(passed.headers().allValues("Set-Cookie")).noneMatch(header -> header.startsWith(COOKIE));
        assertThat(browser.cookie(COOKIE)).isNull();
        assertThat(service.trustedDevices().list(alice.name())).isEmpty();

        Browser again = new Browser(port);
        again.signIn(alice.name(), alice.password());
        assertRedirect(again.get("/"), "/login/two-factor");
    }

    @Test
    void anotherUsersCookieDoesNotSkipTheChallengeAndIsCleared() {
        Account alice = accounts().enrolledUser("device-user");
        Account bob = accounts().enrolledUser("device-user");
        String bobs = remember(bob);

        Browser browser = new Browser(port);
        browser.setCookie(COOKIE, bobs);
        browser.signIn(alice.name(), alice.password());
        HttpResponse<String> home = browser.get("/");
        assertRedirect(home, "/login/two-factor");
        assertCleared(home);
        assertThat(browser.cookie(COOKIE)).isNull();
        assertRedirect(browser.get("/settings/danger"), "/login/two-factor");

        // It is still Bob's device.
        Browser bobsBrowser = new Browser(port);
        bobsBrowser.setCookie(COOKIE, bobs);
        bobsBrowser.signIn(bob.name(), bob.password());
        assertThat(bobsBrowser.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void expiredRevokedGarbageOrDisabledCookieIsChallengedAsUsual() {
        Account alice = accounts().enrolledUser("device-user");
        List<String> worthless = new ArrayList<>(List.of("garbage", "x".repeat(80)));
        String revoked = remember(alice);
        service.trustedDevices().revokeAll(alice.name());
        worthless.add(revoked);
        for (String value : worthless) {
            assertChallenged(alice, value);
        }

        String expiring = remember(alice);
        clock.advance(Duration.ofMinutes(5));
        assertChallenged(alice, expiring);

        // Disabling two-factor authentication makes the cookie worthless, also once enrolled again.
        String beforeDisable = remember(alice);
        assertThat(service.disable(alice.name(), alice.password().toCharArray()).succeeded()).isTrue();
        Account again = accounts().enrol(alice);
        assertChallenged(again, beforeDisable);
    }

    @Test
    void challengePostWithTheCheckboxStillNeedsTheCsrfToken() {
        Account alice = accounts().enrolledUser("device-user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());
        String code = alice.code(clock);

        HttpResponse<String> forged = browser.postWithToken("/login/two-factor",
                Map.of("code", code, "rememberDevice", "on"), "not-the-token");
        // Spring Security's CSRF denial, which the integration's access-denied handler sends to the challenge.
        assertRedirect(forged, "/login/two-factor");
        assertThat(browser.cookie(COOKIE)).isNull();
        assertThat(service.trustedDevices().list(alice.name())).isEmpty();
        assertRedirect(browser.get("/"), "/login/two-factor");
        // The code was not even checked: it still passes, with the token.
        assertRedirect(browser.post("/login/two-factor", Map.of("code", code, "rememberDevice", "on")), "/");
        assertThat(browser.cookie(COOKIE)).hasSize(80);
    }

    @Test
    void deviceTokenNeverAppearsInLogLinesOrAnswers() {
        // DEBUG of twofactor and Spring Security into a list only (not onto the console), for the run below.
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("dev.twofactor"),
                (Logger) LoggerFactory.getLogger("org.springframework.security"));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        for (Logger logger : loggers) {
            logger.addAppender(lines);
            logger.setAdditive(false);
            logger.setLevel(Level.DEBUG);
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        String token;
        try {
            Account alice = accounts().enrolledUser("device-user");
            Account bob = accounts().enrolledUser("device-user");
            Browser first = new Browser(port);
            first.signIn(alice.name(), alice.password());
            first.post("/login/two-factor", Map.of("code", alice.code(clock), "rememberDevice", "on"));
            token = first.cookie(COOKIE);
            assertThat(token).hasSize(80);

            Browser same = new Browser(port);
            same.setCookie(COOKIE, token);
            answers.add(same.signIn(alice.name(), alice.password()));
            answers.add(same.get("/"));
            Browser other = new Browser(port);
            other.setCookie(COOKIE, token);
            answers.add(other.signIn(bob.name(), bob.password()));
            answers.add(other.get("/"));
            answers.add(other.getJson("/api/reports"));
            Browser forged = new Browser(port);
            forged.setCookie(COOKIE, token.substring(0, 50) + (token.charAt(50) == 'A' ? 'B' : 'A')
                    + token.substring(51));
            answers.add(forged.signIn(alice.name(), alice.password()));
            answers.add(forged.get("/"));
        } finally {
            for (Logger logger : loggers) {
                logger.detachAppender(lines);
                logger.setAdditive(true);
                logger.setLevel(null);
            }
        }
        assertThat(lines.list).as("DEBUG lines were captured").isNotEmpty();
        assertThat(lines.list).allSatisfy(line -> {
            assertThat(line.getFormattedMessage()).doesNotContain(token);
            if (line.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(line.getThrowableProxy())).doesNotContain(token);
            }
        });
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.body()).doesNotContain(token);
            assertThat(answer.headers().map().toString()).doesNotContain(token);
        });
    }

    // ---------------------------------------------------------------- helpers

    private void assertChallenged(Account account, String cookie) {
        Browser browser = new Browser(port);
        browser.setCookie(COOKIE, cookie);
        browser.signIn(account.name(), account.password());
        HttpResponse<String> home = browser.get("/");
        assertRedirect(home, "/login/two-factor");
        assertCleared(home);
        assertThat(home.body()).doesNotContain(cookie);
        assertThat(browser.get("/login/two-factor").body()).isEqualTo("challenge page");
    }

    private static void assertCleared(HttpResponse<String> response) {
        // Max-Age=0, which Tomcat writes as an expiry in the past.
        assertThat(response.headers().allValues("Set-Cookie")).anySatisfy(header -> assertThat(header)
                .startsWith(COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970", "HttpOnly", "Path=/"));
    }

    /** Signs in, passes the challenge with the checkbox ticked: the device cookie's value. */
    private String remember(Account account) {
        clock.advance(Duration.ofSeconds(30));   // a fresh code
        Browser browser = new Browser(port);
        browser.signIn(account.name(), account.password());
        assertRedirect(browser.post("/login/two-factor", Map.of("code", account.code(clock), "rememberDevice", "on")),
                "/");
        return browser.cookie(COOKIE);
    }

    private List<TwoFactorEventType> events(Account account) {
        return TestApplication.EVENTS.stream().filter(TwoFactorApplicationEvent.class::isInstance)
                .map(event -> ((TwoFactorApplicationEvent) event).event())
                .filter(event -> event.userId().equals(account.name())).map(event -> event.type()).toList();
    }

    /** A redirect to the path; a saved request is marked with Spring Security's {@code ?continue}. */
    private static void assertRedirect(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(302);
        assertThat(Browser.location(response).replaceFirst("[?&]continue$", "")).isEqualTo(path);
    }

    private Accounts accounts() {
        return new Accounts(users, service, clock);
    }
}
