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

/** Issue 13: "Unlock settings" with a recovery code for a user who lost the phone, in Jetty. */
class StepUpRecoveryCodeTest {

    private static final String SENSITIVE = "/my/profile/two-factor/regenerate";
    private static final String UNLOCK = "/my/profile/two-factor/unlock";

    private TwoFactorApp app;
    private Enrolled alice;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        alice = app.enrol("alice");
        browser = app.browser();
        app.signInWithCode(browser, alice);
        app.clock.advance(Duration.ofMinutes(6));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void stepUpWithRecoveryCodeThenSensitivePathOpenCodeUsedUpAndSessionIdRotated() {
        String code = alice.recoveryCodes().codes().get(0);
        String before = browser.sessionId();
        assertRedirect(browser.get(SENSITIVE), "/app" + UNLOCK + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate");

        assertRedirect(browser.post(UNLOCK, Map.of("recoveryCode", code)), "/app/my/profile/two-factor");

        assertThat(browser.sessionId()).isNotNull().isNotEqualTo(before);
        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(7);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        // The old cookie carries no step-up.
        assertThat(app.browser().getWithSessionCookie(SENSITIVE, before).body()).doesNotContain("user=alice");
        // The code is used up: it unlocks nothing again.
        app.clock.advance(Duration.ofMinutes(6));
        HttpResponse<String> again = browser.post(UNLOCK, Map.of("recoveryCode", code));
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).isEqualTo("That recovery code did not match");
    }

    @Test
    void stepUpWithWrongRecoveryCodesThenBackoffAnswers429AndTheRightCodeIsNotConsumed() {
        assertThat(browser.post(UNLOCK, Map.of("recoveryCode", "AAAA-AAAA")).statusCode()).isEqualTo(401);
        assertThat(browser.post(UNLOCK, Map.of("recoveryCode", "AAAA-AAAB")).statusCode()).isEqualTo(401);

        HttpResponse<String> limited = browser.post(UNLOCK, Map.of("recoveryCode", alice.recoveryCodes().codes()
                .get(1)));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.body()).isEqualTo("Too many failed attempts. Try again in 1 second.");
        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(302);
    }
}
