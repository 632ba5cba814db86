package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo over plain HTTP: CSRF, cookie flags, restart persistence, the JSON sign-in API and the admin REST. */
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
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("Password did not match.");
        assertThat(HttpSession.location(unlocked)).isEqualTo("/my/profile/two-factor");
        assertThat(unlocked.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        assertThat(regenerated.statusCode()).isEqualTo(200);
        assertThat(regenerated.body()).contains("id=\"recovery-codes\"");
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
        String path = "/admin/rest/two-factor/users/";

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
}
