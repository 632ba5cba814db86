package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §9: sensitive paths need a verification within the step-up window (default 5 minutes). */
class StepUpTest {

    private static final String SENSITIVE = "/my/profile/two-factor/regenerate";
    private static final String STEP_UP = "/app/my/profile/two-factor/unlock";

    private TwoFactorApp app;
    private Enrolled alice;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        alice = app.enrol("alice");
        browser = app.browser();
        app.signInWithCode(browser, alice);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void sensitivePathWhenChallengeWithinWindowThenReachableWithoutAskingAgain() {
        app.clock.advance(Duration.ofMinutes(4));

        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        assertThat(browser.post(SENSITIVE, Map.of()).body()).isEqualTo("regenerated 8");
    }

    @Test
    void sensitivePathWhenWindowOverThenRedirectsToStepUpWithLocalReturnPath() {
        app.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertRedirect(browser.get(SENSITIVE + "?tab=codes"),
                STEP_UP + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate%3Ftab%3Dcodes");
        assertRedirect(browser.post(SENSITIVE, Map.of()), STEP_UP);
        // Everything else stays open.
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);
    }

    @Test
    void sensitivePathWhenWindowOverAndApiClientThen403Json() {
        app.clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> refused = browser.postJson(SENSITIVE, Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"step_up_required\"", "\"location\":\"" + STEP_UP + "\"");
        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(8);
    }

    @Test
    void stepUpWithPasswordThenSensitivePathsOpenForTheWindowOnly() {
        app.clock.advance(Duration.ofMinutes(6));
        assertRedirect(browser.get("/my/profile/two-factor/disable"), STEP_UP
                + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fdisable");

        HttpResponse<String> unlocked = browser.post("/my/profile/two-factor/unlock",
                Map.of("password", "alice-password", "returnTo", "/my/profile/two-factor/disable"));

        assertRedirect(unlocked, "/app/my/profile/two-factor/disable");
        assertThat(browser.get("/my/profile/two-factor/disable").statusCode()).isEqualTo(200);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        app.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(302);
    }

    @Test
    void stepUpWithCodeThenSensitivePathsOpen() {
        app.clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> unlocked = browser.post("/my/profile/two-factor/unlock",
                Map.of("code", app.code(alice.secret())));

        assertRedirect(unlocked, "/app/my/profile/two-factor");
        assertThat(browser.post(SENSITIVE, Map.of()).body()).isEqualTo("regenerated 8");
    }

    @Test
    void stepUpWithPasswordThenSessionIdChangesAndTheOldCookieCarriesNoStepUp() {
        app.clock.advance(Duration.ofMinutes(6));
        String before = browser.sessionId();

        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("password", "alice-password")),
                "/app/my/profile/two-factor");

        assertOldCookieCarriesNoStepUp(before);
    }

    @Test
    void stepUpWithCodeThenSessionIdChangesAndTheOldCookieCarriesNoStepUp() {
        app.clock.advance(Duration.ofMinutes(6));
        String before = browser.sessionId();

        assertRedirect(browser.post("/my/profile/two-factor/unlock", Map.of("code", app.code(alice.secret()))),
                "/app/my/profile/two-factor");

        assertOldCookieCarriesNoStepUp(before);
    }

    private void assertOldCookieCarriesNoStepUp(String before) {
        String after = browser.sessionId();
        assertThat(after).isNotNull().isNotEqualTo(before);
        Browser thief = app.browser();
        HttpResponse<String> stolen = thief.getWithSessionCookie(SENSITIVE, before);
        assertThat(stolen.body()).doesNotContain("user=alice");
        assertThat(thief.getWithSessionCookie("/home", before).body()).contains("user=-");
        HttpResponse<String> owner = thief.getWithSessionCookie(SENSITIVE, after);
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(owner.body()).contains("user=alice");
    }

    @Test
    void stepUpWhenWrongPasswordThenStillLocked() {
        app.clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> refused = browser.post("/my/profile/two-factor/unlock", Map.of("password", "guess"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("Password did not match.");
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(302);
    }

    @Test
    void stepUpWhenInBackoffThen429AndPasswordNotChecked() {
        app.clock.advance(Duration.ofMinutes(6));
        browser.post("/my/profile/two-factor/unlock", Map.of("password", "guess"));
        browser.post("/my/profile/two-factor/unlock", Map.of("password", "guess"));

        HttpResponse<String> refused = browser.post("/my/profile/two-factor/unlock",
                Map.of("password", "alice-password"));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(302);
    }

    @Test
    void stepUpWhenReturnToLeavesTheApplicationThenIgnored() {
        app.clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> unlocked = browser.post("/my/profile/two-factor/unlock",
                Map.of("password", "alice-password", "returnTo", "//evil.example/phish"));

        assertRedirect(unlocked, "/app/my/profile/two-factor");
    }

    @Test
    void passwordOnlyUserWhenSignInOlderThanWindowThenStepUpAsked() {
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        assertThat(carol.get(SENSITIVE).statusCode()).isEqualTo(200);

        app.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(carol.get(SENSITIVE).statusCode()).isEqualTo(302);
    }
}
