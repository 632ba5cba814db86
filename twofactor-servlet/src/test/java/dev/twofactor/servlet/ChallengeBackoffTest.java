package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §7 at the servlet layer: 429 with {@code Retry-After} during a backoff, and the code is not checked. */
class ChallengeBackoffTest {

    private static final String CHALLENGE = "/app/login/two-factor";

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void challengeWhenInBackoffThen429WithRetryAfterAndRightCodeNotChecked() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String right = app.code(alice.secret());
        String wrong = wrongCode(right);

        assertRedirect(browser.post("/login/two-factor", Map.of("code", wrong)), CHALLENGE + "?error=wrong_code");
        // The second consecutive failure starts a 1 s backoff.
        assertRedirect(browser.post("/login/two-factor", Map.of("code", wrong)), CHALLENGE + "?error=wrong_code");

        HttpResponse<String> refused = browser.post("/login/two-factor", Map.of("code", right));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("Too many failed attempts");
        assertRedirect(browser.get("/home"), CHALLENGE);
        // Had the right code been checked during the backoff, it would have signed in (or been used up). It was
        // not: once the backoff is over, the very same code passes.
        app.clock.advance(Duration.ofSeconds(1));
        assertRedirect(browser.post("/login/two-factor", Map.of("code", right)), "/app/home");
        assertThat(browser.get("/home").body()).contains("user=alice");
    }

    @Test
    void challengeWhenInBackoffAndApiClientThen429JsonWithRetryAfter() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String wrong = wrongCode(app.code(alice.secret()));
        browser.postJson("/login/two-factor", Map.of("code", wrong));
        browser.postJson("/login/two-factor", Map.of("code", wrong));
        // The backoff doubles: a failure after the first backoff starts one of 2 s.
        app.clock.advance(Duration.ofSeconds(1));
        assertThat(browser.postJson("/login/two-factor", Map.of("code", wrong)).statusCode()).isEqualTo(401);

        HttpResponse<String> refused = browser.postJson("/login/two-factor",
                Map.of("code", app.code(alice.secret())));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(refused.body()).contains("\"error\":\"rate_limited\"", "\"retryAfter\":2");
    }

    @Test
    void challengeWhenRecoveryCodeDuringBackoffThen429AndCodeNotUsedUp() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String wrong = wrongCode(app.code(alice.secret()));
        browser.post("/login/two-factor", Map.of("code", wrong));
        browser.post("/login/two-factor", Map.of("code", wrong));
        String recoveryCode = alice.recoveryCodes().codes().get(0);

        assertThat(browser.post("/login/two-factor", Map.of("recoveryCode", recoveryCode)).statusCode())
                .isEqualTo(429);

        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        app.clock.advance(Duration.ofSeconds(1));
        assertRedirect(browser.post("/login/two-factor", Map.of("recoveryCode", recoveryCode)), "/app/");
    }

    @Test
    void challengeWhenLockedThenClearErrorAndCodeNotChecked() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options()
                .backoff(BackoffPolicy.builder().toleratedFailures(2).lockAfter(3).build()));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String wrong = wrongCode(app.code(alice.secret()));
        for (int i = 0; i < 3; i++) {
            browser.post("/login/two-factor", Map.of("code", wrong));
        }

        HttpResponse<String> locked = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        assertThat(locked.statusCode()).isEqualTo(403);
        assertThat(locked.body()).contains("locked", "Contact an administrator");
        HttpResponse<String> lockedJson = browser.postJson("/login/two-factor",
                Map.of("code", app.code(alice.secret())));
        assertThat(lockedJson.statusCode()).isEqualTo(403);
        assertThat(lockedJson.body()).contains("\"error\":\"locked\"");
        assertRedirect(browser.get("/home"), CHALLENGE);
        assertThat(app.status("alice").locked()).isTrue();
    }

    static String wrongCode(String right) {
        return right.equals("123456") ? "654321" : "123456";
    }
}
