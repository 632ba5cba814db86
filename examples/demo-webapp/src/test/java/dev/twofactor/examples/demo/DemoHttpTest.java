package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo over plain HTTP: CSRF, cookie flags, restart persistence, the JSON sign-in API, the admin REST (the SDK's
 * {@code AdminUnenrolServlet}), the filter's cross-site refusal and its refusal of password HTTP Basic.
 */
class DemoHttpTest {

    private TestApp app;

    @BeforeEach
    void start() throws Exception {
        app = TestApp.start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void formPostWithoutOrWithWrongCsrfTokenIsRefused() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.get("/login");
        Map<String, String> credentials = Map.of("username", "alice", "password", "alice-password");

        assertThat(browser.postRaw("/login", credentials).statusCode()).isEqualTo(403);
        assertThat(browser.postRaw("/login", Map.of("username", "alice", "password", "alice-password",
                "_csrf", "forged")).statusCode()).isEqualTo(403);
        HttpResponse<String> accepted = browser.post("/login", credentials);
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(HttpSession.location(accepted)).isEqualTo("/");
    }

    @Test
    void sensitiveFormWithoutCsrfTokenChangesNothing() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.enrol();

        HttpResponse<String> refused = browser.postRaw("/my/profile/two-factor/disable",
                Map.of("password", "alice-password"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void sensitiveActionAfterTheStepUpWindowGoesToUnlockAndUnlockingRotatesTheSessionId() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.enrol();
        app.clock.advance(Duration.ofMinutes(6));
        browser.get("/my/profile/two-factor");

        HttpResponse<String> gated = browser.post("/my/profile/two-factor/regenerate", Map.of());
        browser.get("/my/profile/two-factor/unlock");
        HttpResponse<String> wrong = browser.post("/my/profile/two-factor/unlock", Map.of("password", "nope"));
        HttpResponse<String> unlocked = browser.post("/my/profile/two-factor/unlock",
                Map.of("password", "alice-password", "returnTo", "/my/profile/two-factor"));
        HttpResponse<String> regenerated = browser.post("/my/profile/two-factor/regenerate", Map.of());

        assertThat(HttpSession.location(gated)).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Password did not match.");
        assertThat(HttpSession.location(unlocked)).isEqualTo("/my/profile/two-factor");
        assertThat(unlocked.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        assertThat(regenerated.statusCode()).isEqualTo(200);
        assertThat(regenerated.body()).contains("id=\"recovery-codes\"");
    }

    @Test
    void enableAfterTheStepUpWindowGoesToUnlockFirstAndStartsNothing() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(6));
        browser.get("/my/profile/two-factor");

        HttpResponse<String> gated = browser.post("/my/profile/two-factor/enable", Map.of());
        TwoFactorState afterGate = app.app.service().status("alice").state();
        browser.get("/my/profile/two-factor/unlock");
        browser.post("/my/profile/two-factor/unlock", Map.of("password", "alice-password"));
        HttpResponse<String> started = browser.post("/my/profile/two-factor/enable", Map.of());

        assertThat(HttpSession.location(gated)).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(afterGate).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).contains("id=\"secret\"");
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
    }

    @Test
    void userInputIsEscapedInThePages() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.enrol();
        browser.get("/my/profile/app-passwords");

        HttpResponse<String> created = browser.post("/my/profile/app-passwords/new",
                Map.of("name", "<script>alert(1)</script>", "access", "full"));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void limitedAccessWithoutAPermissionIsRefusedAndCreatesNothing() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.enrol();
        browser.get("/my/profile/app-passwords");

        HttpResponse<String> refused = browser.post("/my/profile/app-passwords/new",
                Map.of("name", "CI", "access", "limited"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Choose Full access, or Limited access with at least one permission.");
        assertThat(app.app.service().appPasswords("alice")).isEmpty();
    }

    @Test
    void limitedAccessWithAnUnknownPermissionIsRefusedAndCreatesNothing() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.enrol();
        browser.get("/my/profile/app-passwords");

        HttpResponse<String> refused = browser.post("/my/profile/app-passwords/new",
                Map.of("name", "CI", "access", "limited", "permission", "admin:everything"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Choose Full access, or Limited access with at least one permission.");
        assertThat(app.app.service().appPasswords("alice")).isEmpty();
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLax() throws Exception {
        HttpResponse<String> login = new HttpSession(app).get("/login");

        String cookie = login.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
    }

    @Test
    void enrolledUserStillSignsInWithCodeAfterRestartOnTheSameData() throws Exception {
        HttpSession before = new HttpSession(app);
        before.signIn("alice", "alice-password");
        String secret = before.enrol();
        String key = Files.readString(app.dataDir.resolve(KeyFile.FILE_NAME));

        app.restart();

        assertThat(Files.readString(app.dataDir.resolve(KeyFile.FILE_NAME))).isEqualTo(key);
        HttpSession after = new HttpSession(app);
        after.signIn("alice", "alice-password");
        assertThat(HttpSession.location(after.get("/"))).isEqualTo("/login/two-factor");
        after.get("/login/two-factor");
        HttpResponse<String> passed = after.post("/login/two-factor", Map.of("code", app.code(secret)));
        assertThat(HttpSession.location(passed)).isEqualTo("/");
        assertThat(after.get("/").body()).contains("Welcome, Alice Member");
    }

    @Test
    void jsonSignInAsksForTheCodeAfterThePasswordThenSignsIn() throws Exception {
        HttpSession setup = new HttpSession(app);
        setup.signIn("bob", "bob-password");
        String secret = setup.enrol();
        HttpSession client = new HttpSession(app);

        HttpResponse<String> wrong = client.json("POST", "/login/api",
                "{\"username\":\"bob\",\"password\":\"nope\"}");
        HttpResponse<String> signIn = client.json("POST", "/login/api",
                "{\"username\":\"bob\",\"password\":\"bob-password\"}");
        HttpResponse<String> halfOpen = client.getJson("/account/me");
        HttpResponse<String> verified = client.json("POST", "/login/two-factor",
                "{\"code\":\"" + app.code(secret) + "\"}");
        HttpResponse<String> me = client.getJson("/account/me");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("\"status\":\"two_factor_required\"");
        assertThat(halfOpen.statusCode()).isEqualTo(401);
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(verified.body()).contains("\"status\":\"signed_in\"");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"userId\":\"bob\"");
    }

    @Test
    void adminRestUnenrolAnswers401404400And204() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        String adminSecret = admin.enrol();
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        alice.enrol();
        HttpSession anonymous = new HttpSession(app);
        String path = "/admin/two-factor/unenrol/";

        assertThat(anonymous.json("DELETE", path + "alice", "{\"totpCode\":\"123456\"}").statusCode())
                .isEqualTo(401);
        assertThat(admin.json("DELETE", path + "alice", "{\"totpCode\":\"000000\"}").statusCode())
                .isEqualTo(401);
        app.nextStep();
        assertThat(admin.json("DELETE", path + "nobody", "{\"totpCode\":\"" + app.code(adminSecret) + "\"}")
                .statusCode()).isEqualTo(404);
        app.nextStep();
        HttpResponse<String> noEnrolment = admin.json("DELETE", path + "bob",
                "{\"totpCode\":\"" + app.code(adminSecret) + "\"}");
        app.nextStep();
        HttpResponse<String> done = admin.json("DELETE", path + "alice",
                "{\"totpCode\":\"" + app.code(adminSecret) + "\"}");

        assertThat(noEnrolment.statusCode()).isEqualTo(400);
        assertThat(noEnrolment.body()).contains("No enrollment found for this user.");
        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void adminPurgeOfExpiredTrustedDevicesRemovesOnlyTheExpiredOnes() throws Exception {
        TwoFactorService service = app.app.service();
        enrolAndRememberFirefox(service, "alice");
        app.clock.advance(Duration.ofDays(20));
        enrolAndRememberFirefox(service, "bob");
        app.clock.advance(Duration.ofDays(11));
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        assertThat(admin.get("/admin/settings/security").body()).contains("id=\"purge-devices\"");

        HttpResponse<String> purged = admin.post("/admin/settings/security/purge-devices", Map.of());
        String after = admin.get("/admin/settings/security").body();
        admin.post("/admin/settings/security/purge-devices", Map.of());
        String again = admin.get("/admin/settings/security").body();

        assertThat(HttpSession.location(purged)).isEqualTo("/admin/settings/security");
        assertThat(after).contains("Removed 1 expired trusted device.");
        assertThat(again).contains("No expired trusted device to remove.");
        assertThat(service.trustedDevices().list("bob")).hasSize(1);
    }

    /** Enrols the demo user (password {@code <user>-password}) in the browser and remembers a Firefox for them. */
    private void enrolAndRememberFirefox(TwoFactorService service, String user) throws Exception {
        HttpSession session = new HttpSession(app);
        session.signIn(user, user + "-password");
        String secret = session.enrol();
        assertThat(service.trustedDevices().remember(user, service.verifyCode(user, app.code(secret)), "Firefox")
                .succeeded()).isTrue();
    }

    @Test
    void crossSitePostsToTheChallengeAreRefusedWithoutCountingAFailure() throws Exception {
        HttpSession setup = new HttpSession(app);
        setup.signIn("alice", "alice-password");
        String secret = setup.enrol();
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.get("/login/two-factor");

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> forged = browser.postCrossSite("/login/two-factor", Map.of("code", "000000"));
            assertThat(forged.statusCode()).isEqualTo(403);
        }
        HttpResponse<String> forgedCancel = browser.postCrossSite("/login/two-factor/cancel", Map.of());
        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(secret)));

        assertThat(forgedCancel.statusCode()).isEqualTo(403);
        assertThat(HttpSession.location(passed)).isEqualTo("/");
        assertThat(app.app.service().status("alice").locked()).isFalse();
    }

    @Test
    void crossSitePostToStartAnEnrolmentStartsNothing() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.get("/my/profile/two-factor");

        HttpResponse<String> forged = browser.postCrossSite("/my/profile/two-factor/enable", Map.of());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).doesNotContain("id=\"secret\"");
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void signInAsADifferentUserByGetChangesNothing() throws Exception {
        HttpSession setup = new HttpSession(app);
        setup.signIn("alice", "alice-password");
        setup.enrol();
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");

        HttpResponse<String> linked = browser.get("/login/two-factor/cancel");

        assertThat(linked.statusCode()).isEqualTo(405);
        HttpResponse<String> challenge = browser.get("/login/two-factor");
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).contains("Password accepted. Enter your code to continue.");
    }

    @Test
    void passwordHttpBasicIsRefusedAndTheApiTakesAppPasswordsOnly() throws Exception {
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        alice.enrol();
        alice.get("/my/profile/app-passwords");
        HttpResponse<String> created = alice.post("/my/profile/app-passwords/new",
                Map.of("name", "CLI", "access", "full"));
        Matcher shown = Pattern.compile("id=\"app-password\" class=\"big\">([0-9 ]+)<").matcher(created.body());
        assertThat(shown.find()).as("the new app password on the page").isTrue();
        HttpSession client = new HttpSession(app);

        HttpResponse<String> password = client.getBasic("/api/me", "alice", "alice-password");
        HttpResponse<String> passwordOnPage = client.getBasic("/my/profile/two-factor", "alice", "alice-password");
        HttpResponse<String> appPassword = client.getBasic("/api/me", "alice", shown.group(1));

        assertThat(password.statusCode()).isEqualTo(401);
        assertThat(password.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                header -> assertThat(header).startsWith("Basic"));
        assertThat(passwordOnPage.statusCode()).isEqualTo(403);
        assertThat(passwordOnPage.body()).contains("HTTP Basic authentication with a password is not accepted here");
        assertThat(appPassword.statusCode()).isEqualTo(200);
        assertThat(appPassword.body()).contains("\"userId\":\"alice\"");
    }
}
