package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4, §5, §10: a secret, recovery codes and app passwords are shown once. The host's screens that show them
 * (enrolment, the sensitive actions, the challenge and step-up screens) must not be kept by a browser or proxy
 * cache, even if the host forgets to say so.
 */
class SensitiveScreenCachingTest {

    private TwoFactorApp app;
    private Enrolled alice;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        alice = app.enrol("alice");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void enrolmentWhenHostShowsSecretOrCodesThenResponsesAreNotStored() {
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");

        HttpResponse<String> started = carol.post("/my/profile/two-factor/start", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        assertNoStore(started);
        assertNoStore(carol.get("/my/profile/two-factor"));

        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        HttpResponse<String> regenerated = browser.post("/my/profile/two-factor/regenerate", Map.of());
        assertThat(regenerated.body()).isEqualTo("regenerated 8");
        assertNoStore(regenerated);
        HttpResponse<String> appPassword = browser.post("/my/profile/two-factor/app-passwords",
                Map.of("name", "mail"));
        assertThat(appPassword.body()).isEqualTo("created mail");
        assertNoStore(appPassword);
        assertNoStore(browser.get("/my/profile/two-factor/unlock"));
    }

    @Test
    void challengeScreenWhenHalfOpenThenNotStored() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> challenge = browser.get("/login/two-factor");
        assertThat(challenge.body()).contains("challenge page for alice");
        assertNoStore(challenge);
    }

    @Test
    void ordinaryPageThenHostDecidesCaching() {
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);

        HttpResponse<String> home = browser.get("/home");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(browser.get("/static/app.css").headers().firstValue("Cache-Control")).isEmpty();
    }

    private static void assertNoStore(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Cache-Control")).as(response.uri().toString()).hasValue("no-store");
    }
}
