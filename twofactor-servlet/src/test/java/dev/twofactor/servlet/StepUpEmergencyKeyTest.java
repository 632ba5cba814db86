package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.RecoveryCodePolicy;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: "Unlock settings" with the Atlassian-style emergency recovery key
 * ({@link RecoveryCodePolicy#EMERGENCY_KEY}, rotates on use), in Jetty: the step-up hands the replacement key to the
 * host once, and the used key is refused.
 */
class StepUpEmergencyKeyTest {

    private static final String SENSITIVE = "/my/profile/two-factor/regenerate";
    private static final String UNLOCK = "/my/profile/two-factor/unlock";
    private static final String KEY_FORMAT = "[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}";

    private TwoFactorApp app;
    private Enrolled carol;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().recoveryCodes(RecoveryCodePolicy.EMERGENCY_KEY));
        carol = app.enrol("carol");
        browser = app.browser();
        app.signInWithCode(browser, carol);
        app.clock.advance(Duration.ofMinutes(6));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void stepUpWithEmergencyKeyThenReplacementReturnedOnceAndUsedKeyRefused() {
        String key = carol.recoveryCodes().codes().get(0);
        assertThat(carol.recoveryCodes().codes()).hasSize(1);
        assertRedirect(browser.get(SENSITIVE), "/app" + UNLOCK + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate");

        HttpResponse<String> unlocked = browser.post(UNLOCK, Map.of("recoveryCode", key));

        assertThat(unlocked.statusCode()).isEqualTo(200);
        String replacement = replacementIn(unlocked);
        assertThat(replacement).matches(KEY_FORMAT).isNotEqualTo(key);
        assertThat(app.status("carol").remainingRecoveryCodes()).isEqualTo(1);
        // The step-up counts: the sensitive path is open, and no later page shows the replacement again.
        HttpResponse<String> sensitive = browser.get(SENSITIVE);
        assertThat(sensitive.statusCode()).isEqualTo(200);
        assertThat(sensitive.body()).doesNotContain(replacement);
        assertThat(browser.get("/home").body()).doesNotContain(replacement);

        // The used key unlocks nothing any more, and the refusal carries no replacement.
        app.clock.advance(Duration.ofMinutes(6));
        HttpResponse<String> reused = browser.post(UNLOCK, Map.of("recoveryCode", key));
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(reused.body()).isEqualTo("That recovery code did not match").doesNotContain(replacement);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(302);
        // Nor does it pass the sign-in challenge.
        Browser other = app.browser();
        other.signIn("carol", "carol-password");
        assertRedirect(other.post("/login/two-factor", Map.of("recoveryCode", key)),
                "/app/login/two-factor?error=wrong_recovery_code");

        // The replacement is the one key that works now, and it rotates again on use.
        app.clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> second = browser.post(UNLOCK, Map.of("recoveryCode", replacement));
        assertThat(second.statusCode()).isEqualTo(200);
        String third = replacementIn(second);
        assertThat(third).matches(KEY_FORMAT).isNotEqualTo(replacement).isNotEqualTo(key);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        app.clock.advance(Duration.ofMinutes(6));
        assertThat(browser.post(UNLOCK, Map.of("recoveryCode", replacement)).statusCode()).isEqualTo(401);
    }

    private static String replacementIn(HttpResponse<String> response) {
        assertThat(response.body()).startsWith("replacement=");
        return response.body().substring("replacement=".length());
    }
}
