package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 13: a host without passwords (single sign-on) disables after a recent step-up, in Jetty. */
class DisableAfterStepUpTest {

    private static final String DISABLE = "/my/profile/two-factor/disable-after-step-up";
    private static final String UNLOCK = "/my/profile/two-factor/unlock";

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void disableWithinTheWindowAfterACodeStepUpThenDisabledWithoutAPassword() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.disableAfterStepUp(true)));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        app.clock.advance(Duration.ofMinutes(6));
        assertThat(browser.post(DISABLE, Map.of()).body()).isEqualTo("Confirm your password or an authenticator"
                + " code to continue.");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);

        assertRedirect(browser.post(UNLOCK, Map.of("code", app.code(alice.secret()))), "/app/my/profile/two-factor");
        HttpResponse<String> disabled = browser.post(DISABLE, Map.of());

        assertThat(disabled.body()).isEqualTo("disabled NOT_CONFIGURED");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(browser.get("/home").body()).contains("user=alice");
    }

    @Test
    void disableUnderAPolicyThenTheNextRequestGoesStraightBackToEnrolment() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.disableAfterStepUp(true)));
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);

        assertThat(browser.post(DISABLE, Map.of()).body()).isEqualTo("disabled NOT_CONFIGURED");

        assertRedirect(browser.get("/home"), "/app/my/profile/two-factor");
    }

    @Test
    void disableWithAZeroWindowThenOnlyRightAfterAStepUpAndOnlyOnce() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options()
                .service(b -> b.disableAfterStepUp(true).stepUpWindow(Duration.ZERO)));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        assertThat(browser.post(DISABLE, Map.of()).statusCode()).isEqualTo(400);
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);

        browser.post(UNLOCK, Map.of("password", "alice-password"));

        assertThat(browser.post(DISABLE, Map.of()).body()).isEqualTo("disabled NOT_CONFIGURED");
    }
}
