package dev.twofactor.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.Enrolment;
import dev.twofactor.AppPasswordScope;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The Spring Security integration in a real Boot application (Tomcat, the starter's auto-configuration, the JDBC store
 * on H2), driven over HTTP with cookies, CSRF tokens and no redirect following.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TwoFactorSpringSecurityHttpTest {


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
    void passwordOnlySessionCannotReachProtectedUrls() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = new Browser(port);

        HttpResponse<String> login = browser.signIn(alice.name(), alice.password());
        assertThat(login.statusCode()).isEqualTo(302);

        assertRedirect(browser.get("/"), "/login/two-factor");
        assertRedirect(browser.get("/settings/danger"), "/login/two-factor");
        assertRedirect(browser.get("/method/factor"), "/login/two-factor");
        HttpResponse<String> api = browser.getJson("/api/reports");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("\"error\":\"two_factor_required\"");
        assertThat(browser.get("/login/two-factor").body()).isEqualTo("challenge page");
    }

    @Test
    void userWithoutTwoFactorIsNotChallenged() {
        Account carol = accounts().passwordUser("user");
        Browser browser = new Browser(port);
        browser.signIn(carol.name(), carol.password());

        HttpResponse<String> home = browser.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("FACTOR_PASSWORD").doesNotContain("FACTOR_TOTP");
    }

    @Test
    void factorIsAddedOnlyAfterTheCodePassesAndOnlyForTheSameUser() {
        Account alice = accounts().enrolledUser("user");
        Account bob = accounts().enrolledUser("user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());
        String halfOpenSession = browser.sessionId();

        // Bob's valid code does not open Alice's session.
        HttpResponse<String> wrongUser = browser.post("/login/two-factor", Map.of("code", bob.code(clock)));
        assertRedirect(wrongUser, "/login/two-factor?error");
        assertRedirect(browser.get("/"), "/login/two-factor");
        assertRedirect(browser.get("/settings/danger"), "/login/two-factor");

        clock.advance(Duration.ofSeconds(31)); // past the backoff the failure may have started
        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", alice.code(clock)));
        assertRedirect(passed, "/settings/danger");
        assertThat(browser.sessionId()).isNotEqualTo(halfOpenSession);

        HttpResponse<String> home = browser.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        // The password factor and the role stay; the TOTP factor is merged in, for Alice.
        assertThat(home.body()).startsWith("home " + alice.name() + " ")
                .contains("FACTOR_PASSWORD", "FACTOR_TOTP", "ROLE_USER");
        assertThat(TestApplication.EVENTS).anySatisfy(event -> assertThat(event)
                .isInstanceOfSatisfying(AuthenticationSuccessEvent.class,
                        success -> assertThat(success.getAuthentication().getName()).isEqualTo(alice.name())));
        assertThat(TestApplication.EVENTS).anySatisfy(event -> assertThat(event)
                .isInstanceOf(AuthenticationFailureBadCredentialsEvent.class));
        assertThat(TestApplication.EVENTS).anySatisfy(event -> assertThat(event)
                .isInstanceOfSatisfying(TwoFactorApplicationEvent.class, e -> {
                    assertThat(e.event().userId()).isEqualTo(alice.name());
                    assertThat(e.event().type()).isEqualTo(TwoFactorEventType.VERIFICATION_FAILED);
                }));
    }

    @Test
    void challengeAnsweredAfterItsTimeToLiveEndsTheSession() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());

        clock.advance(Duration.ofMinutes(10));
        assertRedirect(browser.post("/login/two-factor", Map.of("code", alice.code(clock))), "/login?expired");
        assertRedirect(browser.get("/"), "/login");
    }

    @Test
    void stepUpScreenDoesNotReplaceTheChallenge() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());

        // A password "step-up" renews only the password factor: still half-open.
        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("password", alice.password())), "/");
        assertRedirect(browser.get("/"), "/login/two-factor");
        // A code sent there is checked as the challenge, replay protection and all.
        String code = alice.code(clock);
        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("code", code)), "/");
        assertThat(browser.get("/").body()).contains("FACTOR_TOTP");
        Browser other = new Browser(port);
        other.signIn(alice.name(), alice.password());
        assertRedirect(other.post("/my/profile/two-factor/unlock", Map.of("code", code)),
                "/my/profile/two-factor/unlock?error");
    }

    @Test
    void recoveryCodePassesTheChallenge() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("recoveryCode", alice.recoveryCode()));
        assertRedirect(passed, "/");
        assertThat(browser.get("/").body()).contains("FACTOR_TOTP");

        Browser again = new Browser(port);
        again.signIn(alice.name(), alice.password());
        assertRedirect(again.post("/login/two-factor", Map.of("recoveryCode", alice.recoveryCode())),
                "/login/two-factor?error");
    }

    @Test
    void replayedCodeIsRefused() {
        Account alice = accounts().enrolledUser("user");
        String code = alice.code(clock);
        Browser first = new Browser(port);
        first.signIn(alice.name(), alice.password());
        assertRedirect(first.post("/login/two-factor", Map.of("code", code)), "/");

        Browser second = new Browser(port);
        second.signIn(alice.name(), alice.password());
        HttpResponse<String> replay = second.post("/login/two-factor", Map.of("code", code),
                "Accept", "application/json");
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains(Reason.CODE_ALREADY_USED.message());
        assertRedirect(second.get("/"), "/login/two-factor");
    }

    @Test
    void oneCodeRacedFromManySessionsOpensExactlyOne() throws Exception {
        Account alice = accounts().enrolledUser("user");
        int sessions = 12;
        List<Browser> browsers = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Browser browser = new Browser(port);
            browser.signIn(alice.name(), alice.password());
            browsers.add(browser);
            tokens.add(browser.get("/csrf").body());
        }
        String code = alice.code(clock);
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                Browser browser = browsers.get(i);
                String token = tokens.get(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return browser.postWithToken("/login/two-factor", Map.of("code", code), token);
                }));
            }
            start.countDown();
            int opened = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isIn(302, 429);
                if ("/".equals(Browser.location(response).replaceFirst("[?&]continue$", ""))) {
                    opened++;
                }
            }
            assertThat(opened).isEqualTo(1);
            assertThat(browsers.stream().filter(b -> b.get("/").statusCode() == 200).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void backoffAnswers429WithRetryAfterAndChecksNoCode() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = new Browser(port);
        browser.signIn(alice.name(), alice.password());

        assertRedirect(browser.post("/login/two-factor", Map.of("code", "000000")), "/login/two-factor?error");
        assertRedirect(browser.post("/login/two-factor", Map.of("code", "000001")), "/login/two-factor?error");
        // The second failure started a 1 s backoff: even the right code is not checked.
        HttpResponse<String> limited = browser.post("/login/two-factor", Map.of("code", alice.code(clock)));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertRedirect(browser.get("/"), "/login/two-factor");

        clock.advance(Duration.ofSeconds(2));
        assertRedirect(browser.post("/login/two-factor", Map.of("code", alice.code(clock))), "/");
    }

    @Test
    void stepUpExpiresAfterTheWindowAndAFreshCodeRenewsIt() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = signedInWithTwoFactor(alice);
        assertThat(browser.get("/settings/danger").body()).isEqualTo("danger zone");

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(browser.get("/").statusCode()).isEqualTo(200); // the sign-in itself does not expire
        assertRedirect(browser.get("/settings/danger"), "/my/profile/two-factor/unlock");
        HttpResponse<String> api = browser.getJson("/settings/danger");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("\"error\":\"step_up_required\"");

        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("code", "000000")),
                "/my/profile/two-factor/unlock?error");
        clock.advance(Duration.ofSeconds(31));
        browser.get("/settings/danger"); // saves the request again
        HttpResponse<String> unlocked = browser.post("/my/profile/two-factor/unlock",
                Map.of("code", alice.code(clock)));
        assertRedirect(unlocked, "/settings/danger");
        assertThat(browser.get("/settings/danger").body()).isEqualTo("danger zone");
    }

    @Test
    void preAuthorizeSeesTheFactorAndAMissingFactorIsNotAPlain403() {
        Account alice = accounts().enrolledUser("user");
        Browser browser = signedInWithTwoFactor(alice);
        assertThat(browser.get("/method/factor").body()).isEqualTo("factor seen");
        assertThat(browser.get("/method/step-up").body()).isEqualTo("stepped up");

        // An expired factor on @PreAuthorize goes to the step-up screen (the Spring Security 7.0 pitfall: 403).
        clock.advance(Duration.ofMinutes(6));
        assertRedirect(browser.get("/method/step-up"), "/my/profile/two-factor/unlock");
        HttpResponse<String> api = browser.getJson("/method/step-up");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("\"error\":\"step_up_required\"");

        // A user without a second factor is sent to set one up, not answered 403.
        Account carol = accounts().passwordUser("user");
        Browser other = new Browser(port);
        other.signIn(carol.name(), carol.password());
        assertRedirect(other.get("/method/factor"), "/my/profile/two-factor");

        // Denials that have nothing to do with a factor stay plain 403s.
        assertThat(browser.get("/method/admin").statusCode()).isEqualTo(403);
    }

    @Test
    void preAuthorizeStepUpWhenPasswordFactorExpiredThenStepUpScreenNotTheLoginPage() {
        // A user without 2FA steps up with the password: the expired factor is FACTOR_PASSWORD, which Spring's
        // own handler (form login's) would answer with the login page.
        Account carol = accounts().passwordUser("user");
        Browser browser = new Browser(port);
        browser.signIn(carol.name(), carol.password());
        assertThat(browser.get("/method/step-up").body()).isEqualTo("stepped up");

        clock.advance(Duration.ofMinutes(6));
        assertRedirect(browser.get("/method/step-up"), "/my/profile/two-factor/unlock");
        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("password", carol.password())),
                "/method/step-up");
        assertThat(browser.get("/method/step-up").body()).isEqualTo("stepped up");
    }

    @Test
    void appPasswordsAuthenticateOnlyApiPathsWithTheirPermissions() {
        Account alice = accounts().enrolledUser("user");
        Outcome<NewAppPassword> created = service.createAppPassword(alice.name(), "CI",
                AppPasswordScope.limited(Set.of("reports:read")));
        String appPassword = ((Outcome.Success<NewAppPassword>) created).value().code();
        Browser client = new Browser(port);

        HttpResponse<String> reports = client.getBasic("/api/reports", alice.name(), appPassword);
        assertThat(reports.statusCode()).isEqualTo(200);
        assertThat(reports.body()).contains("reports:read", "FACTOR_APP_PASSWORD").doesNotContain("ROLE_USER");
        assertThat(client.sessionId()).isNull();
        // Only the granted permissions count.
        assertThat(client.getBasic("/api/admin", alice.name(), appPassword).statusCode()).isEqualTo(403);
        // Not a way into the pages.
        HttpResponse<String> page = client.getBasic("/", alice.name(), appPassword);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(Browser.location(page)).isEqualTo("/login");
        // The account password is not an app password.
        HttpResponse<String> password = client.getBasic("/api/reports", alice.name(), alice.password());
        assertThat(password.statusCode()).isEqualTo(401);
        assertThat(password.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic"));
        // Guessing is gated by the app-password backoff: the password above was failure 1 (tolerated), this guess
        // failure 2, which closes the gate. A closed gate answers exactly like a wrong password (401, no
        // Retry-After), even for the right app password, so a guesser cannot tell which accounts have app passwords.
        assertThat(client.getBasic("/api/reports", alice.name(), "1111 2222 3333 4444 5555").statusCode())
                .isEqualTo(401);
        HttpResponse<String> gated = client.getBasic("/api/reports", alice.name(), appPassword);
        assertThat(gated.statusCode()).isEqualTo(401);
        assertThat(gated.headers().firstValue("Retry-After")).isEmpty();
        assertThat(service.verifyAppPassword(alice.name(), appPassword)).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void policyRequiringEnrolmentSendsTheUserToEnrolment() {
        Account dave = accounts().passwordUser("user");
        service.setPolicy("test-admin", EnforcementLevel.EVERYONE, Duration.ZERO);
        try {
            Browser browser = new Browser(port);
            browser.signIn(dave.name(), dave.password());
            assertRedirect(browser.get("/"), "/my/profile/two-factor");
            HttpResponse<String> api = browser.getJson("/api/reports");
            assertThat(api.statusCode()).isEqualTo(403);
            assertThat(api.body()).contains("\"error\":\"enrolment_required\"");
            assertThat(browser.get("/my/profile/two-factor").body()).isEqualTo("enrolment page");
        } finally {
            service.setPolicy("test-admin", EnforcementLevel.NONE, Duration.ZERO);
        }
    }

    @Test
    void enabledElsewhereSendsAPasswordOnlySessionToTheChallengeAtTheRequirementMaxAge() {
        Account carol = accounts().passwordUser("user");
        Browser browser = new Browser(port);
        browser.signIn(carol.name(), carol.password());
        assertThat(browser.get("/").statusCode()).isEqualTo(200);   // read now: no second factor
        Instant read = clock.instant();

        // Carol enables two-factor authentication elsewhere (another session, another node: the service itself).
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(carol.name(),
                carol.name() + "@example.com")).value();
        String code = Accounts.TOTP.generate(enrolment.secret(), Accounts.TOTP.timeStep(clock.instant()));
        assertThat(service.confirmEnrolment(carol.name(), code).succeeded()).isTrue();
        clock.set(read.plus(Duration.ofSeconds(10)).minusMillis(1));
        assertThat(browser.get("/").statusCode()).isEqualTo(200);   // within twofactor.web.requirement-max-age

        clock.set(read.plus(Duration.ofSeconds(10)));
        assertRedirect(browser.get("/"), "/login/two-factor");
        assertRedirect(browser.get("/settings/danger"), "/login/two-factor");
    }

    // ---------------------------------------------------------------- helpers

    private Browser signedInWithTwoFactor(Account account) {
        Browser browser = new Browser(port);
        browser.signIn(account.name(), account.password());
        assertRedirect(browser.post("/login/two-factor", Map.of("code", account.code(clock))), "/");
        return browser;
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
